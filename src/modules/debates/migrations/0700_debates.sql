-- Public debates (issue 15, "concertation"): a debate, its dated phases, the contributions of signed-in
-- people (proposals, questions, opinions), comments threaded one level, supports (one per person per
-- proposal), and moderation (charter acceptances, reports, blocks). Kits, documents, FAQ, meetings and
-- results are the kits part's (0720–0799).
-- Tenant first in every key, row-level security on every table (docs/modules.md §3). Rules the pages and
-- the API rely on are written here so that no way in can break them: one support per person and per
-- proposal, supports only on proposals, comments one level deep and on the same contribution, a stance
-- only on opinions, a reason on every hidden text.

create table debates (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  presentation text not null default '' check (length(presentation) <= 20000),
  -- draft: seen by the team only; published: open to all (what may be done follows the phase); closed: read only.
  status text not null default 'draft' check (status in ('draft', 'published', 'closed')),
  -- pre: a contribution or comment waits for a moderator before it is shown; post: shown at once, hidden after.
  moderation text not null default 'post' check (moderation in ('pre', 'post')),
  -- The participation charter each person accepts before a first contribution (empty: none to accept).
  charter text not null default '' check (length(charter) <= 20000),
  -- Where the setup came from (the kit and version it was copied from), written by the kits part.
  origin jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('debates');

-- Phases, in order, with dates (days in the collectivité's time, both ends included) and a summary written
-- to be easy to read ("facile à lire et à comprendre").
create table debate_phases (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  position int not null check (position between 0 and 49),
  kind text not null check (kind in ('information', 'contributions', 'synthesis', 'answers')),
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 20000),
  summary text not null default '' check (length(summary) <= 2000),
  starts_on date not null,
  ends_on date not null,
  primary key (tenant_id, id),
  unique (tenant_id, debate_id, position),
  check (ends_on >= starts_on),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_phases');

create table debate_contributions (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  phase_id uuid not null,
  kind text not null check (kind in ('proposal', 'question', 'opinion')),
  -- An opinion's stance; nothing else has one.
  stance text check (stance in ('for', 'against', 'neutral')),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) between 1 and 10000),
  -- The signed-in author (null once the account is deleted, or when a mediator posted for someone without one).
  author_person_id uuid references people (id) on delete set null,
  -- The name shown: the person's display name or the pseudonym chosen.
  display_name text not null check (length(display_name) between 1 and 80),
  -- A mediator's post with and for a person: {mediator_person_id, consent: {name, how, given_at}} (as dossiers).
  mediation jsonb,
  moderation text not null check (moderation in ('visible', 'pending', 'hidden')),
  -- Shown in place of the text once hidden.
  hide_reason text check (length(hide_reason) between 1 and 500),
  moderated_at timestamptz,
  -- The collectivité's official answer status (the answer itself is the kits part's).
  answer_status text check (answer_status in ('retained', 'studied', 'not_retained')),
  -- Kept by the support and comment actions in their transaction: "most supported" is a sort on an index.
  support_count int not null default 0 check (support_count >= 0),
  comment_count int not null default 0 check (comment_count >= 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  -- Targets of the supports' and comments' keys below.
  unique (tenant_id, id, kind),
  unique (tenant_id, debate_id, id),
  check ((kind = 'opinion') = (stance is not null)),
  check ((moderation = 'hidden') = (hide_reason is not null)),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade,
  foreign key (tenant_id, phase_id) references debate_phases (tenant_id, id)
);
select bastide_tenant_table('debate_contributions');
-- The list page: one debate, what the public sees, newest first or most supported; filters on kind and phase.
create index debate_contributions_list on debate_contributions (tenant_id, debate_id, moderation, created_at desc, id desc);
create index debate_contributions_kind on debate_contributions (tenant_id, debate_id, kind, moderation, created_at desc, id desc);
create index debate_contributions_supported on debate_contributions (tenant_id, debate_id, moderation, support_count desc, created_at desc, id desc);
create index debate_contributions_author on debate_contributions (tenant_id, author_person_id, created_at) where author_person_id is not null;

-- Comments, threaded one level: a reply's parent is a comment of depth 0 of the same contribution. The key
-- (parent_id, parent_depth) points at (id, depth) of that comment, and parent_depth can only be 0.
create table debate_comments (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  contribution_id uuid not null,
  parent_id uuid,
  depth smallint not null default 0 check (depth in (0, 1)),
  parent_depth smallint check (parent_depth = 0),
  body text not null check (length(body) between 1 and 5000),
  author_person_id uuid references people (id) on delete set null,
  display_name text not null check (length(display_name) between 1 and 80),
  mediation jsonb,
  moderation text not null check (moderation in ('visible', 'pending', 'hidden')),
  hide_reason text check (length(hide_reason) between 1 and 500),
  moderated_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, contribution_id, id, depth),
  check ((parent_id is null) = (depth = 0)),
  check ((parent_id is null) = (parent_depth is null)),
  check ((moderation = 'hidden') = (hide_reason is not null)),
  foreign key (tenant_id, debate_id, contribution_id) references debate_contributions (tenant_id, debate_id, id) on delete cascade,
  foreign key (tenant_id, contribution_id, parent_id, parent_depth) references debate_comments (tenant_id, contribution_id, id, depth) on delete cascade
);
select bastide_tenant_table('debate_comments');
create index debate_comments_contribution on debate_comments (tenant_id, contribution_id, created_at);
create index debate_comments_author on debate_comments (tenant_id, author_person_id, created_at) where author_person_id is not null;

-- One support per person and per proposal: the primary key says it, the kind column and its key say
-- that only a proposal is supported.
create table debate_supports (
  tenant_id uuid not null,
  contribution_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  kind text not null default 'proposal' check (kind = 'proposal'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, contribution_id, person_id),
  foreign key (tenant_id, contribution_id, kind) references debate_contributions (tenant_id, id, kind) on delete cascade
);
select bastide_tenant_table('debate_supports');

-- Reports by participants: one per person per contribution or comment.
create table debate_reports (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  contribution_id uuid not null,
  comment_id uuid,
  reporter_person_id uuid references people (id) on delete set null,
  reason text not null check (reason in ('spam', 'offensive', 'off_topic', 'personal_data', 'other')),
  details text not null default '' check (length(details) <= 1000),
  -- Set when a moderator dealt with it (hid the text or kept it).
  resolved_at timestamptz,
  resolution text check (resolution in ('hidden', 'kept')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((resolved_at is null) = (resolution is null)),
  foreign key (tenant_id, debate_id, contribution_id) references debate_contributions (tenant_id, debate_id, id) on delete cascade,
  foreign key (tenant_id, comment_id) references debate_comments (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_reports');
create unique index debate_reports_once_contribution on debate_reports (tenant_id, contribution_id, reporter_person_id) where comment_id is null;
create unique index debate_reports_once_comment on debate_reports (tenant_id, comment_id, reporter_person_id) where comment_id is not null;
create index debate_reports_open on debate_reports (tenant_id, debate_id, created_at) where resolved_at is null;

-- A participant blocked from a debate: can read, cannot contribute, comment, support or report there.
create table debate_blocks (
  tenant_id uuid not null,
  debate_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  reason text not null check (length(reason) between 1 and 500),
  blocked_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, debate_id, person_id),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_blocks');

-- Who accepted the charter of a debate, and which text (its SHA-256): a new charter is accepted again.
create table debate_charter_acceptances (
  tenant_id uuid not null,
  debate_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  charter_sha256 text not null check (charter_sha256 ~ '^[0-9a-f]{64}$'),
  accepted_at timestamptz not null default now(),
  primary key (tenant_id, debate_id, person_id, charter_sha256),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_charter_acceptances');

-- The application role: moderation hides, it never deletes a contribution, a comment or a report; an
-- acceptance is written once; counters and moderation columns are the only things changed afterwards.
revoke delete, truncate on debate_contributions, debate_comments, debate_reports from bastide_app;
revoke update, delete, truncate on debate_charter_acceptances from bastide_app;
revoke update, truncate on debate_supports from bastide_app;
revoke update on debate_contributions from bastide_app;
grant update (moderation, hide_reason, moderated_at, answer_status, support_count, comment_count) on debate_contributions to bastide_app;
revoke update on debate_comments from bastide_app;
grant update (moderation, hide_reason, moderated_at) on debate_comments to bastide_app;
revoke update on debate_reports from bastide_app;
grant update (resolved_at, resolution) on debate_reports to bastide_app;

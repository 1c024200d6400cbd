-- The network of collectivités (an association such as Les Interconnectés): its bodies and seats, meetings,
-- contributions with versions and endorsements, events with their programme, support programmes, and the
-- solutions directory. Every row belongs to the NETWORK's tenant (tenant_id = the network), under
-- row-level security, except the solutions a member declares it runs (network_solution_uses), which belong
-- to that member.
--
-- Members are tenant_relations rows (kind 'network_member', tenant_id = the member, related_tenant_id = the
-- network), global rows the application role cannot write. A member joins by accepting the network's
-- invitation and leaves by itself (or is removed by the network): three SECURITY DEFINER functions below,
-- each of which takes the acting collectivité from app_tenant() (the transaction's tenant, whose roles the
-- application checked) and writes the journal of the other side in the same transaction.

create table network_bodies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  kind text not null check (kind in ('board', 'commission', 'working_group')),
  name text not null check (length(name) between 1 and 200),
  description text not null default '' check (length(description) <= 5000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('network_bodies');

-- A seat names a member collectivité and the role its holder has in the body ("Co-président").
create table network_seats (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  body_id uuid not null,
  member_tenant_id uuid not null references tenants (id) on delete cascade,
  seat_role text not null check (length(seat_role) between 1 and 120),
  holder_name text not null default '' check (length(holder_name) <= 200),
  holder_title text not null default '' check (length(holder_title) <= 300),
  since date,
  primary key (tenant_id, id),
  foreign key (tenant_id, body_id) references network_bodies (tenant_id, id) on delete cascade
);
select bastide_tenant_table('network_seats');

create table network_meetings (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  body_id uuid not null,
  held_on date not null,
  title text not null check (length(title) between 1 and 300),
  place text not null default '' check (length(place) <= 300),
  agenda jsonb not null default '[]' check (jsonb_typeof(agenda) = 'array'),
  -- Minutes are for the members' staff only until the network publishes them.
  minutes text not null default '' check (length(minutes) <= 100000),
  minutes_public boolean not null default false,
  primary key (tenant_id, id),
  foreign key (tenant_id, body_id) references network_bodies (tenant_id, id) on delete cascade
);
select bastide_tenant_table('network_meetings');
create index network_meetings_body on network_meetings (tenant_id, body_id, held_on desc);

create table network_contributions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 300),
  summary text not null default '' check (length(summary) <= 10000),
  topics text[] not null default '{}',
  state text not null default 'draft' check (state in ('draft', 'adopted', 'withdrawn')),
  adopted_by uuid,
  adopted_on date,
  -- 'members': only the members' staff read it; 'public': anyone.
  visibility text not null default 'members' check (visibility in ('members', 'public')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug),
  foreign key (tenant_id, adopted_by) references network_bodies (tenant_id, id),
  check ((state = 'adopted') = (adopted_by is not null and adopted_on is not null) or state = 'withdrawn')
);
select bastide_tenant_table('network_contributions');

create table network_contribution_versions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  contribution_id uuid not null,
  version int not null check (version > 0),
  blob_sha256 text not null,
  file_name text not null check (length(file_name) between 1 and 255),
  note text not null default '' check (length(note) <= 2000),
  created_at timestamptz not null default now(),
  created_by text not null,
  primary key (tenant_id, contribution_id, version),
  foreign key (tenant_id, contribution_id) references network_contributions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, blob_sha256) references blobs (tenant_id, sha256)
);
select bastide_tenant_table('network_contribution_versions');

-- An endorsement is the member's act, recorded in the network's data: the application role may read these
-- rows but never write them; only network_endorse() / network_unendorse() do, for the caller's collectivité.
create table network_endorsements (
  tenant_id uuid not null references tenants (id) on delete cascade,
  contribution_id uuid not null,
  member_tenant_id uuid not null references tenants (id) on delete cascade,
  person_id uuid references people (id) on delete set null,
  comment text not null default '' check (length(comment) <= 2000),
  endorsed_at timestamptz not null default now(),
  primary key (tenant_id, contribution_id, member_tenant_id),
  foreign key (tenant_id, contribution_id) references network_contributions (tenant_id, id) on delete cascade
);
select bastide_tenant_table('network_endorsements');
revoke insert, update, delete on network_endorsements from bastide_app;

create table network_events (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  kind text not null check (kind in ('forum', 'webinar', 'workshop')),
  title text not null check (length(title) between 1 and 300),
  description text not null default '' check (length(description) <= 10000),
  starts_on date not null,
  ends_on date not null,
  place text not null default '' check (length(place) <= 300),
  online boolean not null default false,
  primary key (tenant_id, id),
  unique (tenant_id, slug),
  check (ends_on >= starts_on)
);
select bastide_tenant_table('network_events');

create table network_event_sessions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  event_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  title text not null check (length(title) between 1 and 300),
  speakers text not null default '' check (length(speakers) <= 1000),
  primary key (tenant_id, id),
  foreign key (tenant_id, event_id) references network_events (tenant_id, id) on delete cascade,
  check (ends_at > starts_at)
);
select bastide_tenant_table('network_event_sessions');

create table network_programmes (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name text not null check (length(name) between 1 and 200),
  description text not null default '' check (length(description) <= 10000),
  link text not null default '' check (link = '' or link ~ '^https://'),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('network_programmes');

-- The network invites a collectivité; the collectivité's admin accepts (network_join).
create table network_invitations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  invited_tenant_id uuid not null references tenants (id) on delete cascade,
  invited_at timestamptz not null default now(),
  invited_by text not null,
  primary key (tenant_id, invited_tenant_id)
);
select bastide_tenant_table('network_invitations');

-- The solutions directory (SILL / Comptoir du Libre): software and services the network lists.
create table network_solutions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('software', 'service')),
  theme text not null check (length(theme) between 1 and 60),
  licence text not null default '' check (length(licence) <= 100),
  link text not null default '' check (link = '' or link ~ '^https://'),
  description text not null default '' check (length(description) <= 5000),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('network_solutions');
create index network_solutions_theme on network_solutions (tenant_id, theme);

-- Who runs it: declared by the collectivité itself (its rows, its tenant), readable by the network's
-- members through network_solution_users() while it is a member and the row is public.
create table network_solution_uses (
  tenant_id uuid not null references tenants (id) on delete cascade,
  network_tenant_id uuid not null references tenants (id) on delete cascade,
  solution_id uuid not null,
  referent text not null default '' check (length(referent) <= 200),
  opinion text not null default '' check (length(opinion) <= 2000),
  since date,
  public boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, network_tenant_id, solution_id)
);
select bastide_tenant_table('network_solution_uses');
create index network_solution_uses_solution on network_solution_uses (network_tenant_id, solution_id);

-- Debate kits (issue 15): the reusable setup of a debate, versioned, shared in the host's library or with
-- the members of a network, copied into new debates; and what a debate carries besides its contributions:
-- documents, FAQ, questions to ask, public meetings and registrations, datasets shown as tables, official
-- answers, synthesis, follows. Tenant first in every key, row-level security on every table. A kit is read
-- across collectivités only through the security-definer functions at the end, which return a kit's
-- versions to a collectivité that may see it (its own, its host's shared library, a network it belongs
-- to) and nothing else of the owner's.

create table debate_kits (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  summary text not null default '' check (length(summary) <= 1000),
  -- private: this collectivité only; hosted: also the collectivités it hosts (its library); network: also
  -- the members of the networks listed in debate_kit_networks.
  sharing text not null default 'private' check (sharing in ('private', 'hosted', 'network')),
  -- Where version 1 came from: {"product": "debat-local-5g"} or {"kit": {owner, id, version}} or {"debate": id}.
  origin jsonb,
  latest_version int not null default 1 check (latest_version between 1 and 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('debate_kits');

create table debate_kit_versions (
  tenant_id uuid not null,
  kit_id uuid not null,
  version int not null check (version between 1 and 10000),
  -- The kit document (kit-format.ts, checked before it is written), at most 512 KB of text.
  document jsonb not null check (octet_length(document::text) <= 1048576),
  note text not null default '' check (length(note) <= 1000),
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, kit_id, version),
  foreign key (tenant_id, kit_id) references debate_kits (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_kit_versions');

-- A kit shared with a network (a tenant of kind 'network') its owner belongs to.
create table debate_kit_networks (
  tenant_id uuid not null,
  kit_id uuid not null,
  network_id uuid not null references tenants (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (tenant_id, kit_id, network_id),
  foreign key (tenant_id, kit_id) references debate_kits (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_kit_networks');

-- Which kit (and version) a debate was copied from, kept by the collectivité that copied it; the kit's
-- page lists its users through debates_kit_users() below.
create table debate_kit_uses (
  tenant_id uuid not null,
  debate_id uuid not null,
  kit_owner uuid references tenants (id) on delete set null,
  kit_id uuid,
  product_slug text check (product_slug ~ '^[a-z0-9-]{1,80}$'),
  version int not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, debate_id),
  check ((kit_id is null) = (product_slug is not null)),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_kit_uses');
create index debate_kit_uses_kit on debate_kit_uses (kit_owner, kit_id);
create index debate_kit_uses_product on debate_kit_uses (product_slug) where product_slug is not null;

-- Documents: a reference (https link), an uploaded file (blobs), or a catalogue dataset shown as a table.
create table debate_documents (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  position int not null check (position between 0 and 999),
  title text not null check (length(title) between 1 and 300),
  publisher text not null default '' check (length(publisher) <= 200),
  url text check (url ~ '^https://' and length(url) <= 2000),
  blob_sha256 text check (blob_sha256 ~ '^[0-9a-f]{64}$'),
  filename text check (length(filename) <= 255),
  media_type text check (length(media_type) <= 100),
  byte_size bigint check (byte_size >= 0),
  dataset_slug text check (length(dataset_slug) <= 120),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (num_nonnulls(url, blob_sha256, dataset_slug) = 1),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_documents');
create index debate_documents_debate on debate_documents (tenant_id, debate_id, position);

-- FAQ and the questions the debate asks (to operators, experts, residents).
create table debate_faq (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  position int not null check (position between 0 and 999),
  question text not null check (length(question) between 1 and 500),
  answer text not null check (length(answer) between 1 and 5000),
  primary key (tenant_id, id),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_faq');
create index debate_faq_debate on debate_faq (tenant_id, debate_id, position);

create table debate_questions (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  position int not null check (position between 0 and 999),
  addressee text not null check (length(addressee) between 1 and 200),
  text text not null check (length(text) between 1 and 1000),
  primary key (tenant_id, id),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_questions');
create index debate_questions_debate on debate_questions (tenant_id, debate_id, position);

-- Public meetings: in a place, online or both; registration up to a capacity (null: no registration
-- limit); minutes published afterwards.
create table debate_meetings (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  debate_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  format text not null check (format in ('in_person', 'online', 'hybrid')),
  description text not null default '' check (length(description) <= 3000),
  place text not null default '' check (length(place) <= 300),
  online_url text check (online_url ~ '^https://' and length(online_url) <= 2000),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity int check (capacity between 1 and 100000),
  registered int not null default 0 check (registered >= 0),
  minutes text check (length(minutes) <= 50000),
  minutes_published_at timestamptz,
  cancelled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, debate_id, id),
  check (ends_at > starts_at),
  check (capacity is null or registered <= capacity),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_meetings');
create index debate_meetings_debate on debate_meetings (tenant_id, debate_id, starts_at);

create table debate_meeting_registrations (
  tenant_id uuid not null,
  meeting_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (tenant_id, meeting_id, person_id),
  foreign key (tenant_id, meeting_id) references debate_meetings (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_meeting_registrations');

-- Rows of a dataset the kit asks for (the ANFR radio sites), loaded from a file into one debate.
create table debate_dataset_rows (
  tenant_id uuid not null,
  debate_id uuid not null,
  dataset_key text not null check (dataset_key ~ '^[a-z][a-z0-9-]{0,62}$'),
  row_no int not null check (row_no >= 0),
  data jsonb not null,
  primary key (tenant_id, debate_id, dataset_key, row_no),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_dataset_rows');

create table debate_datasets (
  tenant_id uuid not null,
  debate_id uuid not null,
  dataset_key text not null check (dataset_key ~ '^[a-z][a-z0-9-]{0,62}$'),
  title text not null check (length(title) between 1 and 300),
  description text not null default '' check (length(description) <= 2000),
  layout text not null check (layout in ('anfr-sup-support')),
  source_note text not null default '' check (length(source_note) <= 500),
  row_count int not null default 0,
  loaded_at timestamptz,
  primary key (tenant_id, debate_id, dataset_key),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_datasets');

-- The collectivité's official answer to a question or a proposal (its status is also on the contribution).
create table debate_answers (
  tenant_id uuid not null,
  contribution_id uuid not null,
  debate_id uuid not null,
  status text not null check (status in ('retained', 'studied', 'not_retained')),
  answer text not null check (length(answer) between 1 and 10000),
  answered_by text not null,
  answered_at timestamptz not null default now(),
  primary key (tenant_id, contribution_id),
  foreign key (tenant_id, debate_id, contribution_id) references debate_contributions (tenant_id, debate_id, id) on delete cascade
);
select bastide_tenant_table('debate_answers');

create table debate_syntheses (
  tenant_id uuid not null,
  debate_id uuid not null,
  text text not null check (length(text) between 1 and 50000),
  published_at timestamptz,
  updated_at timestamptz not null default now(),
  -- The catalogue dataset of the anonymised contributions, once published.
  dataset_slug text check (length(dataset_slug) <= 120),
  primary key (tenant_id, debate_id),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_syntheses');

-- People who follow a debate (an email at each new phase and each official answer), and the phases whose
-- start was announced (so a phase is announced once, whatever the number of processes).
create table debate_follows (
  tenant_id uuid not null,
  debate_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (tenant_id, debate_id, person_id),
  foreign key (tenant_id, debate_id) references debates (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_follows');

create table debate_phase_notices (
  tenant_id uuid not null,
  phase_id uuid not null,
  notified_at timestamptz not null default now(),
  primary key (tenant_id, phase_id),
  foreign key (tenant_id, phase_id) references debate_phases (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_phase_notices');

revoke truncate on debate_kits, debate_kit_versions, debate_kit_networks, debate_kit_uses, debate_documents, debate_faq, debate_questions,
  debate_meetings, debate_meeting_registrations, debate_dataset_rows, debate_datasets, debate_answers, debate_syntheses, debate_follows,
  debate_phase_notices from bastide_app;
-- A version, once written, is what its users copied: never changed.
revoke update, delete on debate_kit_versions, debate_kit_uses, debate_phase_notices from bastide_app;

-- The collectivités whose shared kits this one may read: its host (host_tenant_id, or an EPCI it is a
-- member of, or a host it is hosted by) for kits shared 'hosted'; the networks it belongs to (or is) for
-- kits shared with them.
create or replace function debates_kit_visible(owner uuid, kit uuid, sharing text) returns boolean
language sql stable security definer set search_path = public as $$
  select app_tenant() is not null and (
    owner = app_tenant()
    or (sharing = 'hosted' and owner in (
      select host_tenant_id from tenants where id = app_tenant() and host_tenant_id is not null
      union select related_tenant_id from tenant_relations where tenant_id = app_tenant() and kind in ('member_of', 'hosted_by')))
    or (sharing = 'network' and exists (
      select 1 from debate_kit_networks n
      where n.tenant_id = owner and n.kit_id = kit
        and (n.network_id = app_tenant() or exists (
          select 1 from tenant_relations r where r.tenant_id = app_tenant() and r.related_tenant_id = n.network_id and r.kind = 'network_member')))))
$$;
revoke execute on function debates_kit_visible(uuid, uuid, text) from public;

create or replace function debates_visible_kits() returns table (
  owner_tenant uuid, owner_slug text, owner_name text, id uuid, slug text, title text, summary text, sharing text,
  latest_version int, updated_at timestamptz
) language sql stable security definer set search_path = public as $$
  select k.tenant_id, t.slug, t.name, k.id, k.slug, k.title, k.summary, k.sharing, k.latest_version, k.updated_at
  from debate_kits k join tenants t on t.id = k.tenant_id
  where debates_kit_visible(k.tenant_id, k.id, k.sharing)
$$;
revoke execute on function debates_visible_kits() from public;
grant execute on function debates_visible_kits() to bastide_app;

create or replace function debates_kit_versions(owner uuid, kit uuid) returns table (
  version int, document jsonb, note text, created_at timestamptz
) language sql stable security definer set search_path = public as $$
  select v.version, v.document, v.note, v.created_at
  from debate_kit_versions v join debate_kits k on k.tenant_id = v.tenant_id and k.id = v.kit_id
  where k.tenant_id = owner and k.id = kit and debates_kit_visible(k.tenant_id, k.id, k.sharing)
  order by v.version desc
$$;
revoke execute on function debates_kit_versions(uuid, uuid) from public;
grant execute on function debates_kit_versions(uuid, uuid) to bastide_app;

-- Who uses a kit the caller may see: the collectivités (name and address) and the version each copied.
create or replace function debates_kit_users(owner uuid, kit uuid, product text) returns table (
  tenant_slug text, tenant_name text, version int, copied_at timestamptz
) language sql stable security definer set search_path = public as $$
  select t.slug, t.name, u.version, u.created_at
  from debate_kit_uses u join tenants t on t.id = u.tenant_id
  where app_tenant() is not null and (
    (product is not null and u.product_slug = product)
    or (product is null and u.kit_owner = owner and u.kit_id = kit and exists (
      select 1 from debate_kits k where k.tenant_id = owner and k.id = kit and debates_kit_visible(k.tenant_id, k.id, k.sharing))))
  order by u.created_at
$$;
revoke execute on function debates_kit_users(uuid, uuid, text) from public;
grant execute on function debates_kit_users(uuid, uuid, text) to bastide_app;

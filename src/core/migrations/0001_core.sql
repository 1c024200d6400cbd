-- Core schema: extensions, the application role, tenants and people, the helpers every module uses.
-- Runs as the schema owner; the application role `bastide_app` owns nothing and is subject to RLS.

create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- The application role. Looked up first: an owner that is not allowed to create roles (the production
-- setup, docs/deployment.md §3) finds the role its administrator created beforehand. The owner must be
-- able to switch to it for each transaction (SET LOCAL ROLE); when neither is possible the migration
-- stops and says what to run, instead of failing later at the first request.
do $$
declare
  setup text := format('as a superuser, once: create role bastide_app nologin; grant bastide_app to %I; (docs/deployment.md §3)', current_user);
begin
  if not exists (select from pg_roles where rolname = 'bastide_app') then
    begin
      create role bastide_app nologin;
    exception
      when duplicate_object or unique_violation then null;  -- created meanwhile by another migrating server
      when insufficient_privilege then
        raise exception 'the application role bastide_app does not exist and % may not create roles: %', current_user, setup
          using errcode = 'insufficient_privilege';
    end;
  end if;
  if not exists (select from pg_auth_members m
                 where m.roleid = (select oid from pg_roles where rolname = 'bastide_app')
                   and m.member = (select oid from pg_roles where rolname = current_user)) then
    begin
      execute format('grant bastide_app to %I', current_user);
    exception when others then
      -- Not allowed to grant it: fine only if the owner can already switch to it (through another role).
      if not pg_has_role(current_user, 'bastide_app', 'member') then
        raise exception '% is not a member of the application role bastide_app and may not grant it (%): %', current_user, sqlerrm, setup
          using errcode = 'insufficient_privilege';
      end if;
    end;
  end if;
end $$;

grant usage on schema public to bastide_app;
alter default privileges in schema public grant select, insert, update, delete on tables to bastide_app;
alter default privileges in schema public grant usage, select on sequences to bastide_app;
alter default privileges in schema public grant execute on functions to bastide_app;

-- French full-text search that ignores accents: "équipe" matches "equipe".
do $$
begin
  create text search configuration french_unaccent (copy = french);
  alter text search configuration french_unaccent
    alter mapping for hword, hword_part, word with unaccent, french_stem;
exception when unique_violation or duplicate_object then null;
end $$;

-- Time-ordered UUID (version 7); PostgreSQL 15 has no uuidv7().
create or replace function uuid_v7() returns uuid language plpgsql volatile as $$
declare
  b bytea := uuid_send(gen_random_uuid());
begin
  b := overlay(b placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6);
  b := set_byte(b, 6, (get_byte(b, 6) & 15) | 112);
  return encode(b, 'hex')::uuid;
end $$;

-- The tenant of the current transaction, or null when none was set: a query that forgot it sees nothing.
create or replace function app_tenant() returns uuid language sql stable as $$
  select nullif(current_setting('app.tenant_id', true), '')::uuid
$$;

-- Every tenant-owned table calls this once: RLS on, one policy for reading and writing.
create or replace function bastide_tenant_table(tbl regclass) returns void language plpgsql as $$
begin
  execute format('alter table %s enable row level security', tbl);
  execute format('create policy tenant_isolation on %s using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', tbl);
end $$;

-- Installation-wide settings (generated secrets, version). Written by the owner only.
create table installation_settings (
  key text primary key,
  value text not null
);
revoke insert, update, delete on installation_settings from bastide_app;

-- Global: the collectivités of this installation.
create table tenants (
  id uuid primary key default uuid_v7(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 63),
  name text not null,
  kind text not null check (kind in ('commune', 'epci', 'departement', 'region', 'syndicate', 'network')),
  -- INSEE code (commune, département, région) or SIREN (EPCI), from the COG.
  official_code text,
  epci_type text,
  host_tenant_id uuid references tenants (id),
  settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  unique (kind, official_code)
);
revoke insert, update, delete on tenants from bastide_app;

-- Global: member_of (commune → EPCI), hosted_by (tenant → host), network_member.
create table tenant_relations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  related_tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('member_of', 'hosted_by', 'network_member')),
  primary key (tenant_id, related_tenant_id, kind)
);
revoke insert, update, delete on tenant_relations from bastide_app;

-- Global: one account per person across tenants.
create table people (
  id uuid primary key default uuid_v7(),
  email text not null,
  display_name text not null default '',
  password_hash text,
  email_verified_at timestamptz,
  totp_secret text,
  is_host_operator boolean not null default false,
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  created_at timestamptz not null default now()
);
create unique index people_email on people (lower(email));

-- Per tenant: roles of a person in a collectivité.
create table memberships (
  tenant_id uuid not null references tenants (id) on delete cascade,
  person_id uuid not null references people (id) on delete cascade,
  role text not null check (role in ('citizen', 'mediator', 'agent', 'procedure_admin', 'data_steward', 'archivist', 'moderator', 'tenant_admin')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, person_id, role)
);
create index memberships_person on memberships (person_id);
select bastide_tenant_table('memberships');

-- Per tenant: API bearer tokens; only a SHA-256 of the token is stored, the token is shown once.
create table api_tokens (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  token_hash text not null,
  role text not null,
  person_id uuid references people (id) on delete cascade,
  label text not null default '',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, token_hash)
);
select bastide_tenant_table('api_tokens');

-- Per tenant: content-addressed files (bytes under files/<tenant>/<sha256>).
create table blobs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null check (size >= 0),
  content_type text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, sha256)
);
select bastide_tenant_table('blobs');

-- Global: browser sessions; only a SHA-256 of the cookie value is stored.
create table sessions (
  id text primary key,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  -- Set while a staff account has given its password but not yet its TOTP code.
  second_factor_pending boolean not null default false,
  user_agent text not null default ''
);
create index sessions_person on sessions (person_id);

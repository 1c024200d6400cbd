-- Procedures (démarches) and their immutable published revisions.
-- Tenant first in every key, RLS on every table (see shared/design/data-model.md).

create table procedures (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null,
  description text not null default '',
  -- draft: never published; published: open to filing; closed: no new dossiers, existing ones continue.
  state text not null default 'draft' check (state in ('draft', 'published', 'closed')),
  -- The definition being edited; publishing freezes a copy of it as a new revision.
  draft_definition jsonb not null,
  current_revision int,
  -- retention, notification templates, webhook (helper C's settings live here too).
  settings jsonb not null default '{}',
  -- Where the definition came from when it was imported or offered by a host tenant.
  origin jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('procedures');

create table procedure_revisions (
  tenant_id uuid not null,
  procedure_id uuid not null,
  revision int not null check (revision > 0),
  definition jsonb not null,
  published_at timestamptz not null default now(),
  published_by text not null,
  primary key (tenant_id, procedure_id, revision),
  foreign key (tenant_id, procedure_id) references procedures (tenant_id, id) on delete cascade
);
select bastide_tenant_table('procedure_revisions');
-- A published revision is what dossiers were filed against: the application can add one, never change one.
revoke update, delete, truncate on procedure_revisions from bastide_app;

create or replace function procedure_revisions_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'a published procedure revision cannot be changed' using errcode = 'insufficient_privilege';
end $$;
create trigger procedure_revisions_immutable before update on procedure_revisions
  for each row execute function procedure_revisions_immutable();

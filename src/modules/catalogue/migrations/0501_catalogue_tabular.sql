-- The tabular API's loads (issue 12): each valid CSV version of a resource is loaded into a table of its
-- own, `catalogue_tabular_<load id, hex>`, created by the load job as the schema owner (text columns c1…cN
-- in the file's order, `row_number` from 1, `tenant_id` on every row, row-level security through
-- bastide_tenant_table, read-only for the application role). This table says which load of a resource is
-- the one the API reads (`current`): the pointer moves only in the transaction that finishes a load, so a
-- failed load leaves the previous one queryable. docs/catalogue.md §8 explains the choice.

create table catalogue_tabular_loads (
  tenant_id uuid not null,
  id uuid not null,
  resource_id uuid not null,
  version_id uuid not null,
  -- queued → loading → done (then replaced by a newer load), or failed (the error says why).
  state text not null default 'queued' check (state in ('queued', 'loading', 'done', 'failed', 'replaced')),
  current boolean not null default false,
  table_name text not null check (table_name ~ '^catalogue_tabular_[0-9a-f]{32}$'),
  -- [{name, column, type, kind}]: the file's header, the schema's type of each column, its SQL column.
  columns jsonb not null default '[]',
  rows_loaded bigint not null default 0,
  bytes_read bigint not null default 0,
  bytes_total bigint not null default 0,
  error text check (length(error) <= 2000),
  requested_by text not null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, table_name),
  check (not current or state = 'done'),
  foreign key (tenant_id, resource_id) references catalogue_resources (tenant_id, id) on delete cascade,
  foreign key (tenant_id, version_id) references catalogue_resource_versions (tenant_id, id)
);
select bastide_tenant_table('catalogue_tabular_loads');
create unique index catalogue_tabular_loads_current on catalogue_tabular_loads (tenant_id, resource_id) where current;
create index catalogue_tabular_loads_resource on catalogue_tabular_loads (tenant_id, resource_id, created_at desc);
-- History: the application records loads and their progress, never deletes one.
revoke delete, truncate on catalogue_tabular_loads from bastide_app;

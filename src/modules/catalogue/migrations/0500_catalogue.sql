-- The data catalogue (issue 12): datasets with their DCAT-AP metadata, resources, and the versions of
-- each resource (every upload is a new version; earlier ones stay downloadable). Tenant first in every
-- key, row-level security on every table (docs/modules.md §3).

create table catalogue_datasets (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 20000),
  keywords text[] not null default '{}',
  -- Codes of the EU data-theme vocabulary (AGRI, ECON, … TRAN).
  themes text[] not null default '{}',
  licence text not null default 'etalab-2.0',
  -- A code of the EU frequency vocabulary (ANNUAL, MONTHLY, IRREG, …), or null when not declared.
  frequency text,
  -- COG codes (communes, EPCI, départements, régions).
  spatial text[] not null default '{}',
  temporal_start date,
  temporal_end date check (temporal_end is null or temporal_start is null or temporal_end >= temporal_start),
  publisher text not null default '',
  contact_point text not null default '',
  steward_person_id uuid references people (id) on delete set null,
  personal_data boolean not null default false,
  -- The recorded decision to publish data about persons (also journaled), required to publish such a dataset.
  personal_data_decision text,
  -- A bundled schema (src/modules/catalogue/schemas/<name>) or a Table Schema the steward gave; not both.
  schema_name text,
  custom_schema jsonb,
  state text not null default 'draft' check (state in ('draft', 'in_review', 'published', 'archived')),
  review_comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, slug),
  check (schema_name is null or custom_schema is null),
  check (state <> 'published' or not personal_data or personal_data_decision is not null)
);
select bastide_tenant_table('catalogue_datasets');
create index catalogue_datasets_state on catalogue_datasets (tenant_id, state, updated_at desc);

create table catalogue_resources (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  dataset_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 5000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, dataset_id) references catalogue_datasets (tenant_id, id) on delete cascade
);
select bastide_tenant_table('catalogue_resources');
create index catalogue_resources_dataset on catalogue_resources (tenant_id, dataset_id, created_at);

create table catalogue_resource_versions (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  resource_id uuid not null,
  version int not null check (version > 0),
  sha256 text not null,
  size bigint not null check (size > 0),
  content_type text not null,
  filename text not null,
  -- CSV, JSON, GeoJSON, PDF, XLSX, ODS, TXT… (from the stored type and the file's name).
  format text not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  -- none: not validated (no schema, or not a CSV); pending: a job will; done; failed (could not run).
  validation_state text not null default 'none' check (validation_state in ('none', 'pending', 'done', 'failed')),
  valid boolean,
  error_count int,
  warning_count int,
  -- The validator's JSON report (docs/catalogue-validation.md §2), errors capped at 1,000.
  report jsonb,
  validated_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, resource_id, version),
  foreign key (tenant_id, resource_id) references catalogue_resources (tenant_id, id) on delete cascade,
  foreign key (tenant_id, sha256) references blobs (tenant_id, sha256)
);
select bastide_tenant_table('catalogue_resource_versions');
-- A version is what was published: the application adds versions and records their validation, never deletes one.
revoke delete, truncate on catalogue_resource_versions from bastide_app;

-- Procedures, operations side: webhook delivery log, retention and draft-expiry bookkeeping, agents'
-- daily digests. Procedure-level settings (templates, webhook URL and secret, retention) live in
-- procedures.settings; these tables record what was done, per tenant, under RLS.

-- One row per HTTP attempt of a webhook delivery (a delivery retried three times leaves three rows).
create table webhook_deliveries (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  procedure_id uuid not null,
  -- The dossier the event is about (kept even when the dossier is later deleted by retention).
  dossier_number bigint,
  event text not null,
  -- Identifies the event across retries (sent as X-Bastide-Delivery so receivers can de-duplicate).
  delivery_id uuid not null,
  attempt int not null check (attempt > 0),
  url text not null,
  status_code int,
  duration_ms int not null check (duration_ms >= 0),
  ok boolean not null,
  error text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, procedure_id) references procedures (tenant_id, id) on delete cascade
);
create index webhook_deliveries_procedure on webhook_deliveries (tenant_id, procedure_id, created_at desc);
select bastide_tenant_table('webhook_deliveries');

-- What the retention sweep and the draft reminder did to a dossier (a deleted dossier leaves only its
-- journal entry). archive: kept, waiting for the archive module (archived_at set once transferred).
create table dossier_retention (
  tenant_id uuid not null,
  dossier_id uuid not null,
  draft_reminded_at timestamptz,
  outcome text check (outcome in ('archive', 'anonymise')),
  applied_at timestamptz,
  archived_at timestamptz,
  primary key (tenant_id, dossier_id),
  foreign key (tenant_id, dossier_id) references dossiers (tenant_id, id) on delete cascade
);
create index dossier_retention_archive on dossier_retention (tenant_id) where outcome = 'archive' and archived_at is null;
select bastide_tenant_table('dossier_retention');

-- One digest per agent per day, whatever the number of processes running the scheduler.
create table agent_digests (
  tenant_id uuid not null references tenants (id) on delete cascade,
  person_id uuid not null references people (id) on delete cascade,
  day date not null,
  sent_at timestamptz not null default now(),
  primary key (tenant_id, person_id, day)
);
select bastide_tenant_table('agent_digests');

-- The retention sweep looks for decided dossiers by decision date.
create index dossiers_decided on dossiers (tenant_id, procedure_id, decided_at) where decided_at is not null;
-- The draft sweep looks for drafts by last change.
create index dossiers_drafts on dossiers (tenant_id, updated_at) where state = 'brouillon';

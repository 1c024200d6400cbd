-- Exports of a collectivité asked for through the API (GET /api/v1/<slug>/export, issue 14): a job writes
-- the archive (core/transfer/export.ts) and stores it in the blob store under the collectivité's key; this
-- row says where it is and until when it may be downloaded. The archive has no `blobs` row, so the daily
-- sweep removes its bytes once they are more than a day old: the row's expiry says the same to the API.
-- Not part of the exports themselves (core/transfer/format.ts).
create table tenant_exports (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  state text not null default 'queued' check (state in ('queued', 'done', 'failed')),
  requested_by text not null,
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint,
  error text check (length(error) <= 500),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  expires_at timestamptz,
  primary key (tenant_id, id)
);
select bastide_tenant_table('tenant_exports');
-- Written by the job as the owner; the application role only asks (insert) and reads.
revoke update, delete, truncate on tenant_exports from bastide_app;

-- Row-level security on every table that has a tenant_id, not only on those made with
-- bastide_tenant_table(): the three core tables below had none, and `jobs` holds every collectivité's
-- job payloads (mail bodies with reset and verification links among them), all readable by the
-- application role. src/core/db/tenant-tables.test.ts checks the whole catalogue, future tables too.
-- The owner is not subject to RLS (not FORCEd): the job runner, the journal sealer and host operations
-- work across collectivités through owner transactions.

-- The job queue: the application role only enqueues, for the collectivité of its transaction (or, with
-- none set, an installation-wide job such as an account mail). Claiming, reading and finishing jobs is
-- the runner's work, as the owner. An enqueue with a unique key (ON CONFLICT on `jobs_unique_key`) has
-- to read the index's columns, and PostgreSQL then checks the new row against a SELECT policy too:
-- those three columns, of the transaction's own jobs, are all the application role can read — never a
-- payload, never another collectivité's job.
alter table jobs enable row level security;
revoke select, update, delete, truncate on jobs from bastide_app;
grant select (tenant_id, unique_key, state) on jobs to bastide_app;
create policy enqueue on jobs for insert to bastide_app
  with check (tenant_id is not distinct from app_tenant());
create policy own_unique_keys on jobs for select to bastide_app
  using (tenant_id is not distinct from app_tenant());

-- Journal heads: owner only (no privilege, and no policy: nothing would be visible anyway).
alter table journal_heads enable row level security;

-- Which collectivité is a member of, or hosted by, which: public structure, shown on every home page
-- like `tenants` itself. The application role reads all of it and writes none of it.
alter table tenant_relations enable row level security;
create policy public_read on tenant_relations for select to bastide_app using (true);

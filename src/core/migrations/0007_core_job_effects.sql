-- Effects committed once (core/jobs/effects.ts). A handler records, in the transaction that makes its
-- effect (a mail queued, say), that this job's effect is committed; a job run again after its process died
-- between that commit and being marked done finds the record and is marked done without running again.
-- The record is keyed by a random key of the job, not by its id: ids are per installation and the
-- sequence restarts elsewhere, while the key never meets another job's.
alter table jobs add column effect_key uuid not null default uuid_v7();

create table job_effects (
  effect_key uuid primary key,
  -- Null for an installation-wide job, as in `jobs`.
  tenant_id uuid references tenants (id) on delete cascade,
  committed_at timestamptz not null default now()
);
create index job_effects_committed on job_effects (committed_at);

-- The application role records the effects of its own collectivité's jobs (or of installation-wide ones
-- in a transaction without a collectivité) and reads none: the runner checks them as the owner. A second
-- record of one key fails the transaction that would repeat the effect.
alter table job_effects enable row level security;
revoke select, update, delete, truncate on job_effects from bastide_app;
create policy record_own on job_effects for insert to bastide_app
  with check (tenant_id is not distinct from app_tenant());

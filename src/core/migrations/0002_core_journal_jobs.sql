-- The audit journal and the job queue.

-- Per tenant, append-only. Business transactions only INSERT (no shared row to wait on); the sealer
-- then chains entries in the order it finds them committed: chain_pos, prev_hash and hash are filled once.
create sequence journal_seq;
create table journal_entries (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Insertion order; may commit out of order, which is why the chain uses chain_pos, not seq.
  seq bigint not null default nextval('journal_seq'),
  at timestamptz not null,
  actor text not null,
  action text not null,
  subject_type text not null default '',
  subject_id text not null default '',
  data jsonb not null default '{}',
  chain_pos bigint,
  prev_hash text,
  hash text,
  primary key (tenant_id, id),
  unique (tenant_id, chain_pos)
);
create index journal_unsealed on journal_entries (tenant_id, seq) where chain_pos is null;
create index journal_subject on journal_entries (tenant_id, subject_type, subject_id);
select bastide_tenant_table('journal_entries');
revoke update, delete, truncate on journal_entries from bastide_app;

-- Second guard, whoever the role: entries are never deleted, their content never changes, and the chain
-- fields are written once.
create or replace function journal_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'journal entries cannot be deleted' using errcode = 'insufficient_privilege';
  end if;
  if old.chain_pos is not null
     or (new.tenant_id, new.id, new.seq, new.at, new.actor, new.action, new.subject_type, new.subject_id, new.data)
        is distinct from (old.tenant_id, old.id, old.seq, old.at, old.actor, old.action, old.subject_type, old.subject_id, old.data) then
    raise exception 'journal entries cannot be changed' using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;
create trigger journal_append_only before update or delete on journal_entries
  for each row execute function journal_append_only();

-- The head of each tenant's chain: a removed tail is detected against it. Owner only.
create table journal_heads (
  tenant_id uuid primary key references tenants (id),
  last_pos bigint not null,
  last_hash text not null,
  sealed_at timestamptz not null
);
revoke all on journal_heads from bastide_app;

-- Global job queue: enqueued inside business transactions, claimed with SKIP LOCKED by any process.
create table jobs (
  id bigint generated always as identity primary key,
  tenant_id uuid references tenants (id) on delete cascade,
  kind text not null,
  payload jsonb not null default '{}',
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  attempts int not null default 0,
  max_attempts int not null default 8,
  run_at timestamptz not null default now(),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  -- Optional de-duplication key: one live job per key (scheduled sweeps, digest per day).
  unique_key text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_ready on jobs (run_at) where state in ('queued', 'running');
create unique index jobs_unique_key on jobs (unique_key) where unique_key is not null and state in ('queued', 'running');
create index jobs_tenant on jobs (tenant_id, state);

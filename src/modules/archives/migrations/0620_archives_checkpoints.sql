-- Journal checkpoints of the archives (proof of integrity, docs/archives.md §11). A checkpoint commits to
-- the tenant's sealed journal entries from_pos…to_pos by a Merkle root over their hashes (RFC 9162), and
-- to the checkpoint before it by its hash: a short chain (one link an hour at most) that a unit's proof
-- follows from the checkpoint holding its ingest to the latest one, without showing any other entry.
-- Written once: the application role inserts, never rewrites; a trigger refuses changes by the owner too.
create table archives_checkpoints (
  tenant_id uuid not null references tenants (id) on delete cascade,
  seq int not null check (seq >= 1),
  from_pos bigint not null check (from_pos >= 1),
  to_pos bigint not null,
  head_hash text not null check (head_hash ~ '^[0-9a-f]{64}$'),
  root text not null check (root ~ '^[0-9a-f]{64}$'),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, seq),
  check (to_pos >= from_pos)
);
select bastide_tenant_table('archives_checkpoints');
revoke update, delete, truncate on archives_checkpoints from bastide_app;

create or replace function archives_checkpoints_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and not exists (select 1 from tenants where id = old.tenant_id) then
    return old; -- the collectivité is being deleted
  end if;
  raise exception 'archives checkpoints are written once' using errcode = 'insufficient_privilege';
end $$;
create trigger archives_checkpoints_guard before update or delete on archives_checkpoints for each row execute function archives_checkpoints_guard();
create trigger archives_checkpoints_truncate before truncate on archives_checkpoints for each statement execute function archives_checkpoints_guard();

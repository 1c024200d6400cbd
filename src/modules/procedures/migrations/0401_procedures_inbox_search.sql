-- Inbox search and the all-states inbox at 1,000,000 dossiers (bench/inbox.ts, inbox-search).

-- Under row-level security PostgreSQL evaluates the tenant policy before any condition whose function
-- is not LEAKPROOF, and then cannot use an index for it: `search @@ query` never used the GIN index and
-- every dossier of the collectivité was read (3 s at 100,000). ts_match_vq (the tsvector @@ tsquery
-- operator) raises no error and has no side effect that depends on a row, so declaring it leakproof
-- reveals nothing across tenants. Only a superuser may do so: otherwise this is skipped with a notice
-- (search stays correct, just slower) and docs/performance.md says what to run once as superuser.
do $$
begin
  alter function ts_match_vq(tsvector, tsquery) leakproof;
exception when insufficient_privilege then
  raise notice 'ts_match_vq not declared leakproof (needs a superuser): inbox search will not use its index under RLS';
end $$;

-- A procedure's inbox across states (the default view, and searches of frequent words) in date order,
-- read from the index instead of sorting every dossier of the procedure.
create index dossiers_procedure_recent on dossiers (tenant_id, procedure_id, submitted_at desc, number desc);

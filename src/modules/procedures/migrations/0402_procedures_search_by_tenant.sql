-- Inbox search with the collectivité in the same index (bench/inbox-search at 1,000,000 dossiers of
-- 2,000,000). With GIN on `search` alone, PostgreSQL intersected it with a b-tree on tenant_id, reading
-- one entry per dossier of the tenant (0.9 s); a GIN on (tenant_id, search) answers both conditions in
-- one scan. btree_gin is a trusted extension (PostgreSQL ≥ 13): no superuser needed.
create extension if not exists btree_gin;
create index dossiers_search_tenant on dossiers using gin (tenant_id, search);
drop index dossiers_search;

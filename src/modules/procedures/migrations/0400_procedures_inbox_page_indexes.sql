-- Inbox pages straight from an index (bench/inbox.ts measured 600 ms → 3 ms for one page at 100,000
-- dossiers). The inbox sorts by submitted_at and then number (a stable order for paging); an index
-- without `number` cannot deliver that order, so PostgreSQL read and sorted every dossier of the state.
-- These replace dossiers_inbox and dossiers_inbox_all (their prefixes): same uses, no extra write cost.
create index dossiers_inbox_page on dossiers (tenant_id, procedure_id, state, submitted_at desc, number desc);
create index dossiers_inbox_all_page on dossiers (tenant_id, state, submitted_at desc, number desc);
drop index dossiers_inbox;
drop index dossiers_inbox_all;

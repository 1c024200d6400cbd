-- A decided dossier (kind 'procedures', source_ref = the dossier's id) and a dataset version (kind
-- 'catalogue', source_ref = the version's id) are filed once: two runs of the archiving job, or two
-- processes running it at once, cannot make two units of one record (the second ingest fails on this
-- index, rolls back whole, and finds the first). Uploads and SEDA packages may repeat a reference.
create unique index archives_ingests_source on archives_ingests (tenant_id, kind, source_ref) where kind in ('procedures', 'catalogue');

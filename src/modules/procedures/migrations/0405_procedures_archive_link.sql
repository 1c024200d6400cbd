-- Retention "archive" (issue 13): the archives module files a flagged dossier as an archive unit, then
-- procedures records the link (which unit, which ingest) and what it kept of the dossier afterwards
-- (the procedure's `then`: keep, anonymise; a deleted dossier leaves this row with it, the link stays in
-- the journal entry procedures.dossier.archived and in the archives' ingest, source_ref = dossier id).
alter table dossier_retention add column archive_unit_id uuid;
alter table dossier_retention add column archive_ingest_id uuid;
alter table dossier_retention add column after_archive text check (after_archive in ('keep', 'anonymise'));

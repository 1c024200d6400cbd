-- Datasets another part of Bastide writes (the statistics of procedures, the debates' and the roadmap's
-- open data: generated/publish.ts): who generates it, so that a run only ever writes the datasets it
-- created and never a steward's dataset that happens to hold the same slug. Null: a person's dataset.
alter table catalogue_datasets add column generated_by text check (length(generated_by) between 1 and 100);

-- The team's pages (issue 15): documents uploaded to a debate point at a blob of the same collectivité
-- (the bytes are kept while a document records them), and a catalogue dataset is linked once per debate.
alter table debate_documents
  add constraint debate_documents_blob foreign key (tenant_id, blob_sha256) references blobs (tenant_id, sha256);
create unique index debate_documents_dataset on debate_documents (tenant_id, debate_id, dataset_slug) where dataset_slug is not null;

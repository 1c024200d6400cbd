-- Issue 10, row 7: an Idempotency-Key is a client's secret, no longer stored as sent. The column now holds
-- an HMAC (installation secret) of the key, the collectivité, the procedure, the caller and a hash of the
-- whole request (actions/submit-dossier.ts, idempotencyDigest): a retry finds its dossier only with the
-- same key and the same request. Keys stored in clear before are dropped; a retry across the upgrade
-- files a new dossier rather than replaying on a key anyone may have guessed.
update dossiers set idempotency_key = null where idempotency_key is not null;
comment on column dossiers.idempotency_key is
  'HMAC-SHA256 (hex) of the Idempotency-Key with tenant, procedure, caller and request hash; never the key itself';
-- Nothing else can be written there again by mistake.
alter table dossiers add constraint dossiers_idempotency_key_digest
  check (idempotency_key is null or idempotency_key ~ '^[0-9a-f]{64}$');

// Daily clean-up of the blob store (local folder or bucket alike). An upload is adopted before the
// transaction that records it commits, so a failed or rolled back request leaves bytes without a
// `blobs` row; a crash during an upload leaves a `.part` file (or, in a bucket, an unfinished multipart
// upload); a deleted tenant leaves its blobs. Only what is older than a day goes: anything younger may
// belong to a transaction still running.
import type { Database } from '../db/database.ts';
import { blobStoreFor, SealedBlobError, type FilesConfig, type SealRelease } from './store.ts';

export const FILES_SWEEP_JOB = 'core.files.sweep';
const GRACE_MS = 24 * 3600 * 1000;
/** Digests looked up in one query. */
const BATCH = 500;

export async function sweepFiles(deps: { db: Database; config: FilesConfig }, now = Date.now()): Promise<{ removed: number; sealed: number }> {
  const store = blobStoreFor(deps.config);
  const before = new Date(now - GRACE_MS);
  let removed = await store.removeLeftovers(before);
  // The store lists tenant by tenant; candidates are checked against the rows a batch at a time.
  let tenantId = '';
  let candidates: string[] = [];
  let sealed = 0;
  const erasure: SealRelease = {
    reason: 'erasure',
    get reference() {
      return tenantId;
    },
    confirm: async () => !(await deps.db.ownerTransaction((tx) => tx.one('select 1 from tenants where id = $1', [tenantId]))),
  };
  const flush = async () => {
    if (candidates.length === 0) return;
    // Row-level security: the tenant's own transaction sees exactly the rows of that tenant.
    const names = candidates;
    const known = new Set(
      (await deps.db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [names]))).map(
        (r) => r.sha256,
      ),
    );
    for (const name of names) {
      if (known.has(name)) continue;
      try {
        await store.remove(tenantId, name, erasure);
        removed += 1;
      } catch (error) {
        // Write-once bytes (an archived object) without a row: only the erasure of their collectivité
        // releases them here; an elimination removes its own after its commit. They stay, counted.
        if (!(error instanceof SealedBlobError)) throw error;
        sealed += 1;
      }
    }
    candidates = [];
  };
  for await (const blob of store.list()) {
    if (blob.tenantId !== tenantId || candidates.length >= BATCH) {
      await flush();
      tenantId = blob.tenantId;
    }
    if (blob.modified < before) candidates.push(blob.sha256);
  }
  await flush();
  return { removed, sealed };
}

// Taking back the bytes a request stored that no committed `blobs` row records (a refused file, a record
// that failed, a file the answers did not keep). Called before the answer leaves, so that a client reading
// the store when it receives the answer never finds them (AdoptedBlob.discard: only this upload's copy).
import type { Database } from '../db/database.ts';
import type { AdoptedBlob } from './store.ts';

/** Deletes the blobs in `created` that no `blobs` row of the tenant refers to; returns how many. */
export async function discardUnrecorded(db: Database, tenantId: string, created: readonly AdoptedBlob[]): Promise<number> {
  if (created.length === 0) return 0;
  const shas = [...new Set(created.map((b) => b.sha256))];
  const recorded = new Set(
    (await db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [shas]))).map((r) => r.sha256),
  );
  let removed = 0;
  for (const blob of created) {
    if (recorded.has(blob.sha256)) continue;
    await blob.discard();
    removed += 1;
  }
  return removed;
}

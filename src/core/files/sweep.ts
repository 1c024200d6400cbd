// Daily clean-up of the local blob store. An upload is adopted before the transaction that records
// it commits, so a failed or rolled back request leaves bytes without a `blobs` row; a crash during
// an upload leaves a `.part` file; a deleted tenant leaves its folder. Only what is older than a day
// goes: anything younger may belong to a transaction still running.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../db/database.ts';
import { isUuid } from '../db/ids.ts';
import { LocalBlobStore, blobStoreFor } from './store.ts';

export const FILES_SWEEP_JOB = 'core.files.sweep';
const GRACE_MS = 24 * 3600 * 1000;

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function oldEnough(path: string, now: number): Promise<boolean> {
  try {
    return now - (await stat(path)).mtimeMs > GRACE_MS;
  } catch {
    return false;
  }
}

export async function sweepFiles(deps: { db: Database; config: { dataDir: string } }, now = Date.now()): Promise<{ removed: number }> {
  const store = blobStoreFor(deps.config);
  if (!(store instanceof LocalBlobStore)) return { removed: 0 };
  let removed = 0;
  for (const name of await entries(store.tempDir)) {
    const path = join(store.tempDir, name);
    if (await oldEnough(path, now)) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  for (const tenantId of await entries(store.root)) {
    if (!isUuid(tenantId)) continue;
    for (const prefix of await entries(join(store.root, tenantId))) {
      const dir = join(store.root, tenantId, prefix);
      const candidates: string[] = [];
      for (const name of await entries(dir)) if (/^[0-9a-f]{64}$/.test(name) && (await oldEnough(join(dir, name), now))) candidates.push(name);
      if (candidates.length === 0) continue;
      // Row-level security: the tenant's own transaction sees exactly the rows of that tenant.
      const known = new Set(
        (await deps.db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [candidates]))).map(
          (r) => r.sha256,
        ),
      );
      for (const name of candidates) {
        if (!known.has(name)) {
          await store.remove(tenantId, name);
          removed += 1;
        }
      }
    }
  }
  return { removed };
}

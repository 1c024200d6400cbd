// The contract every blob store keeps (store.ts: the local folder; s3-store.ts: a bucket) and the small
// helpers both use. Its own file so that the two stores import it without importing each other.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isUuid } from '../db/ids.ts';

/** A blob that one upload created (the store had no copy of these bytes before it). */
export interface AdoptedBlob {
  readonly sha256: string;
  /**
   * Deletes the bytes again, for a request that failed: unless another upload of the same bytes came
   * since (then they stay, for it). The caller checks first that no `blobs` row refers to them.
   */
  discard(): Promise<void>;
}

/** A blob as a store lists it. */
export interface StoredBlob {
  readonly tenantId: string;
  readonly sha256: string;
  readonly size: number;
  /** When the bytes were written (file mtime, object LastModified). */
  readonly modified: Date;
}

/**
 * Leave to delete bytes a store keeps write-once (archived objects, sealed by the archives after their
 * ingest committed). The store asks `confirm` at the moment of deletion, so that the records (an executed
 * elimination with its visa, or the collectivité's erasure) are checked where the bytes go.
 */
export interface SealRelease {
  readonly reason: 'elimination' | 'erasure';
  /** The elimination's id, or the erased tenant's. */
  readonly reference: string;
  confirm(sha256: string): Promise<boolean>;
}

/** Refusal to overwrite or delete write-once bytes. */
export class SealedBlobError extends Error {
  readonly code = 'sealed';
  constructor(sha256: string, why: string) {
    super(`blob ${sha256} is write-once: ${why}`);
  }
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Where the bytes are, without credentials (for messages and logs). */
  describe(): string;
  /** A fresh path for an upload being written; on the same filesystem as the store when possible. */
  tempPath(): Promise<string>;
  /**
   * Makes a complete, hashed temp file the blob (tenant, sha256). The temp file is gone afterwards. Gives
   * the new blob when this call created it, null when the store held these bytes already.
   */
  adopt(tenantId: string, sha256: string, tempFile: string): Promise<AdoptedBlob | null>;
  /** The blob's bytes, or null when the store does not hold it. */
  open(tenantId: string, sha256: string): Promise<{ stream: Readable; size: number } | null>;
  /** The blob's size when the store holds it, else null (no bytes read). */
  sizeOf(tenantId: string, sha256: string): Promise<number | null>;
  /**
   * Deletes the blob's bytes (the sweep, for bytes no row refers to; the erasure of a tenant). A sealed
   * blob goes only with a release whose `confirm` says yes; otherwise SealedBlobError.
   */
  remove(tenantId: string, sha256: string, release?: SealRelease): Promise<void>;
  /**
   * Makes the blob write-once: never replaced by adopt(), never removed without a release. true when the
   * store enforces it (the local folder: mode 0444, checked by every write path); false when it cannot
   * (a bucket without object lock: docs/archives.md §2).
   */
  seal(tenantId: string, sha256: string): Promise<boolean>;
  /** Whether the blob is sealed (false when absent, or when the store cannot seal). */
  isSealed(tenantId: string, sha256: string): Promise<boolean>;
  /** Every blob the store holds, tenant by tenant; names that are not blob keys are left out (and alone). */
  list(): AsyncIterable<StoredBlob>;
  /** Removes what interrupted uploads left that is older than `before` (temp files, unfinished multipart uploads). */
  removeLeftovers(before: Date): Promise<number>;
}

export const SHA256 = /^[0-9a-f]{64}$/;

/** Refuses anything that is not a tenant id and a SHA-256: a key can never name a path elsewhere. */
export function checkKey(tenantId: string, sha256: string): void {
  if (!isUuid(tenantId) || !SHA256.test(sha256)) throw new Error('invalid blob key');
}

/** Deletes the files of `dir` last written before `before` (partial uploads of crashed requests). */
export async function removeOldFiles(dir: string, before: Date): Promise<number> {
  let removed = 0;
  for (const name of await entries(dir)) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtime < before) {
        await rm(path, { force: true });
        removed += 1;
      }
    } catch {
      /* removed meanwhile */
    }
  }
  return removed;
}

export async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

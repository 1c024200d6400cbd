// Where blob bytes live. Content addressing (SHA-256) makes a stored blob immutable: writing the same
// bytes twice lands on the same key, and a key's bytes never change. The interface is what an
// S3-compatible backend would implement later (upload the finished temp file, then delete it); only
// the local filesystem backend exists today.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isUuid } from '../db/ids.ts';

export interface BlobStore {
  /** A fresh path for an upload being written; on the same filesystem as the store when possible. */
  tempPath(): Promise<string>;
  /** Makes a complete, hashed temp file the blob (tenant, sha256). The temp file is gone afterwards. */
  adopt(tenantId: string, sha256: string, tempFile: string): Promise<void>;
  /** The blob's bytes, or null when the store does not hold it. */
  open(tenantId: string, sha256: string): Promise<{ stream: Readable; size: number } | null>;
  /** Deletes the blob's bytes (the caller removed the last row referring to them). */
  remove(tenantId: string, sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Refuses anything that is not a tenant id and a SHA-256: a key can never name a path elsewhere. */
export function checkKey(tenantId: string, sha256: string): void {
  if (!isUuid(tenantId) || !SHA256.test(sha256)) throw new Error('invalid blob key');
}

/** `<dataDir>/files/<tenantId>/<aa>/<sha256>`: one folder per tenant (export or erase it with the tenant). */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  readonly tempDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'files');
    // Outside files/ so that a backup of files/ never carries half-written uploads, but on the same
    // filesystem so that adopting a finished upload is an atomic rename.
    this.tempDir = join(dataDir, 'tmp', 'uploads');
  }

  pathOf(tenantId: string, sha256: string): string {
    checkKey(tenantId, sha256);
    return join(this.root, tenantId, sha256.slice(0, 2), sha256);
  }

  async tempPath(): Promise<string> {
    await mkdir(this.tempDir, { recursive: true });
    return join(this.tempDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  }

  async adopt(tenantId: string, sha256: string, tempFile: string): Promise<void> {
    const target = this.pathOf(tenantId, sha256);
    await mkdir(join(target, '..'), { recursive: true });
    // Same bytes under the same name: replacing an existing copy is harmless, and rename is atomic,
    // so a reader sees either the old complete file or the new complete file.
    await rename(tempFile, target);
  }

  async open(tenantId: string, sha256: string): Promise<{ stream: Readable; size: number } | null> {
    const path = this.pathOf(tenantId, sha256);
    try {
      const info = await stat(path);
      return { stream: createReadStream(path), size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(tenantId: string, sha256: string): Promise<void> {
    await rm(this.pathOf(tenantId, sha256), { force: true });
  }
}

const stores = new Map<string, BlobStore>();

/** The configured store (one per data folder). An object-store backend would be chosen here. */
export function blobStoreFor(config: { dataDir: string }): BlobStore {
  let store = stores.get(config.dataDir);
  if (!store) stores.set(config.dataDir, (store = new LocalBlobStore(config.dataDir)));
  return store;
}

// Where blob bytes live. Content addressing (SHA-256) makes a stored blob immutable: writing the same
// bytes twice lands on the same key, and a key's bytes never change. The interface is what an
// S3-compatible backend would implement later (upload the finished temp file, then delete it); only
// the local filesystem backend exists today.
import { createReadStream } from 'node:fs';
import { link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
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

export interface BlobStore {
  /** A fresh path for an upload being written; on the same filesystem as the store when possible. */
  tempPath(): Promise<string>;
  /**
   * Makes a complete, hashed temp file the blob (tenant, sha256). The temp file is gone afterwards. Gives
   * the new blob when this call created it, null when the store held these bytes already.
   */
  adopt(tenantId: string, sha256: string, tempFile: string): Promise<AdoptedBlob | null>;
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

  async adopt(tenantId: string, sha256: string, tempFile: string): Promise<AdoptedBlob | null> {
    const target = this.pathOf(tenantId, sha256);
    await mkdir(join(target, '..'), { recursive: true });
    // A hard link creates the name only if it is free: then this upload made the blob and may take it
    // back (the temp name is removed by the caller).
    try {
      await link(tempFile, target);
      const made = await stat(target, { bigint: true });
      return { sha256, discard: () => this.discard(target, made.dev, made.ino) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    }
    // Same bytes under the same name (or a filesystem without hard links): replacing the copy is
    // harmless, and rename is atomic, so a reader sees either the old or the new complete file. The new
    // copy is a new inode: an earlier upload of the same bytes that failed will see it is not its own.
    await rename(tempFile, target);
    return null;
  }

  /**
   * Takes the name away atomically (a rename into the temp folder), then deletes the file only if it is
   * still the inode this upload created; if another upload replaced it meanwhile, it is put back.
   */
  private async discard(target: string, dev: bigint, ino: bigint): Promise<void> {
    const aside = join(this.tempDir, `${Date.now()}-${randomBytes(8).toString('hex')}.discard`);
    try {
      await rename(target, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const info = await stat(aside, { bigint: true });
    if (info.dev !== dev || info.ino !== ino) {
      try {
        await link(aside, target);
      } catch (error) {
        // Put back already by a newer upload of the same bytes: same content, nothing to do.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    await rm(aside, { force: true });
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

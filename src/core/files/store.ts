// Where blob bytes live. Content addressing (SHA-256) makes a stored blob immutable: writing the same
// bytes twice lands on the same key, and a key's bytes never change. Two backends: the local folder
// below, and an S3-compatible bucket (s3-store.ts) when BASTIDE_S3_URL or BASTIDE_S3_ENDPOINT is set.
// Both receive an upload as a finished, hashed temp file on the local disk (upload.ts), so that the
// bytes appear under their content key only once their digest is known.
import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isUuid } from '../db/ids.ts';
import {
  checkKey,
  entries,
  removeOldFiles,
  SealedBlobError,
  SHA256,
  type AdoptedBlob,
  type BlobStore,
  type SealRelease,
  type StoredBlob,
} from './blob-contract.ts';
import type { S3Settings } from '../net/s3-settings.ts';
import { S3BlobStore } from './s3-store.ts';
export { checkKey, removeOldFiles, SealedBlobError } from './blob-contract.ts';
export type { AdoptedBlob, BlobStore, SealRelease, StoredBlob } from './blob-contract.ts';

/** `<dataDir>/files/<tenantId>/<aa>/<sha256>`: one folder per tenant (export or erase it with the tenant). */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';
  readonly root: string;
  readonly tempDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'files');
    // Outside files/ so that a backup of files/ never carries half-written uploads, but on the same
    // filesystem so that adopting a finished upload is an atomic rename.
    this.tempDir = join(dataDir, 'tmp', 'uploads');
  }

  describe(): string {
    return `folder ${this.root}`;
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
    // A sealed blob (write-once: an archived object) is never replaced: the bytes are the same by their
    // key, and the caller removes the temp file.
    if (await this.isSealed(tenantId, sha256)) return null;
    // Same bytes under the same name (or a filesystem without hard links): replacing the copy is
    // harmless, and rename is atomic, so a reader sees either the old or the new complete file. The new
    // copy is a new inode: an earlier upload of the same bytes that failed will see it is not its own.
    await rename(tempFile, target);
    return null;
  }

  /** Write-once: mode 0444. Creation was already exclusive (link() fails on an existing name). */
  async seal(tenantId: string, sha256: string): Promise<boolean> {
    try {
      await chmod(this.pathOf(tenantId, sha256), 0o444);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async isSealed(tenantId: string, sha256: string): Promise<boolean> {
    try {
      return ((await stat(this.pathOf(tenantId, sha256))).mode & 0o222) === 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Takes the name away atomically (a rename into the temp folder), then deletes the file only if it is
   * still the inode this upload created; if another upload replaced it meanwhile, it is put back.
   */
  private async discard(target: string, dev: bigint, ino: bigint): Promise<void> {
    // Sealed since (the same bytes were archived by another request): they stay.
    try {
      if (((await stat(target)).mode & 0o222) === 0) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
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

  async sizeOf(tenantId: string, sha256: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(tenantId, sha256))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(tenantId: string, sha256: string, release?: SealRelease): Promise<void> {
    if (await this.isSealed(tenantId, sha256)) {
      if (!release) throw new SealedBlobError(sha256, 'removed only by an approved elimination or the erasure of its collectivité');
      if (!(await release.confirm(sha256))) throw new SealedBlobError(sha256, `the ${release.reason} ${release.reference} does not cover it`);
    }
    await rm(this.pathOf(tenantId, sha256), { force: true });
  }

  async *list(): AsyncIterable<StoredBlob> {
    for (const tenantId of (await entries(this.root)).sort()) {
      if (!isUuid(tenantId)) continue;
      for (const prefix of (await entries(join(this.root, tenantId))).sort()) {
        for (const name of (await entries(join(this.root, tenantId, prefix))).sort()) {
          if (!SHA256.test(name) || name.slice(0, 2) !== prefix) continue;
          try {
            const info = await stat(join(this.root, tenantId, prefix, name));
            if (info.isFile()) yield { tenantId, sha256: name, size: info.size, modified: info.mtime };
          } catch {
            /* removed meanwhile */
          }
        }
      }
    }
  }

  async removeLeftovers(before: Date): Promise<number> {
    return removeOldFiles(this.tempDir, before);
  }
}

/** What the store needs of the configuration (the whole Config fits). */
export interface FilesConfig {
  dataDir: string;
  /** The object store; null or absent: the local folder. */
  s3?: S3Settings | null;
}

const localStores = new Map<string, LocalBlobStore>();
const s3Stores = new WeakMap<S3Settings, S3BlobStore>();

/** The configured store: the bucket when the configuration names one, else the data folder's. One per process. */
export function blobStoreFor(config: FilesConfig): BlobStore {
  if (config.s3) {
    let store = s3Stores.get(config.s3);
    if (!store) s3Stores.set(config.s3, (store = new S3BlobStore(config.s3, { tempDir: join(config.dataDir, 'tmp', 'uploads') })));
    return store;
  }
  return localBlobStore(config.dataDir);
}

/** The data folder's store, whatever the configuration says (the move to a bucket reads it). */
export function localBlobStore(dataDir: string): LocalBlobStore {
  let store = localStores.get(dataDir);
  if (!store) localStores.set(dataDir, (store = new LocalBlobStore(dataDir)));
  return store;
}

// Staging an object: its bytes are streamed once to a temp file while SHA-256 and SHA-512 are computed and
// the size is measured (stopped past the limit), the format is identified from the content, then the
// blob store adopts the file under its SHA-256. The `blobs` and `archives_objects` rows are written by
// ingestUnits in its one transaction; a staged object nothing records is discarded again.
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { blobStoreFor, type AdoptedBlob, type BlobStore, type FilesConfig } from '../../core/files/store.ts';
import { sanitizeFilename } from '../../core/files/names.ts';
import { identifyFile, type FormatIdentity } from './formats/identify.ts';

export interface StagedObject {
  sha256: string;
  sha512: string;
  size: number;
  format: FormatIdentity;
  filename: string;
  /** Set when this staging created the blob (the store had no copy of these bytes). */
  created: AdoptedBlob | null;
}

export class StagingError extends Error {
  readonly code: 'too_large' | 'digest_mismatch' | 'size_mismatch' | 'unreadable';
  readonly details: Record<string, string | number>;
  constructor(code: StagingError['code'], details: Record<string, string | number> = {}) {
    super(code);
    this.code = code;
    this.details = details;
  }
}

/** The largest object accepted (BASTIDE_ARCHIVES_MAX_OBJECT_BYTES, 4 GiB by default). */
export function maxObjectBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_ARCHIVES_MAX_OBJECT_BYTES) || 4 * 1024 ** 3;
}

const CHUNK = 1024 * 1024;
const HEAD = 64 * 1024;
const SMALL_FILE = 1024 * 1024;

class Digests extends Transform {
  readonly sha256 = createHash('sha256');
  readonly sha512 = createHash('sha512');
  size = 0;
  /** The first bytes, for format identification without reading the file again. */
  head: Buffer = Buffer.alloc(0);
  private readonly max: number;
  constructor(max: number) {
    super();
    this.max = max;
  }
  /** Counts and hashes a chunk; throws past the limit. */
  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.max) throw new StagingError('too_large', { max: this.max });
    this.sha256.update(chunk);
    this.sha512.update(chunk);
    if (this.head.length < HEAD) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD - this.head.length)]);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.add(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }
}

/**
 * A local file (a SEDA package's object, a benchmark's file) copied chunk by chunk through the digests,
 * without the stream machinery: for 10,000 small objects it is what separates the ingest from
 * `sha256sum` + `sha512sum` + `cp` (bench/archive-ingest.ts).
 */
async function copyFile(path: string, temp: string, meter: Digests): Promise<void> {
  // A small file (most records: letters, forms, photos) in one synchronous read and write: each call is
  // tens of microseconds from the page cache, where six asynchronous calls through the thread pool cost
  // milliseconds on a busy machine.
  let small: Buffer | null = null;
  try {
    if (statSync(path).size <= SMALL_FILE) small = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new StagingError('unreadable');
    throw error;
  }
  if (small && small.length <= SMALL_FILE) {
    meter.add(small);
    writeFileSync(temp, small, { flag: 'wx', mode: 0o600 });
    return;
  }
  let input: FileHandle;
  try {
    input = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new StagingError('unreadable');
    throw error;
  }
  const output = await open(temp, 'wx', 0o600);
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await input.read(buf, 0, CHUNK, null));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new StagingError('unreadable');
        throw error;
      }
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      meter.add(chunk);
      await output.write(chunk, 0, bytesRead);
    }
  } finally {
    await input.close();
    await output.close();
  }
}

/** Temp names for many objects from one store.tempPath() call (one folder creation, not one per object). */
export class TempNames {
  private base: Promise<string> | null = null;
  private n = 0;
  private readonly store: BlobStore;
  constructor(store: BlobStore) {
    this.store = store;
  }
  async next(): Promise<string> {
    this.base ??= this.store.tempPath();
    return `${await this.base}.${++this.n}`;
  }
}

export interface Expected {
  sha256?: string;
  sha512?: string;
  size?: number;
}

export async function stageObject(
  deps: { config: FilesConfig; blobs?: BlobStore },
  tenantId: string,
  source: Readable | string,
  options: { filename: string; expected?: Expected; maxBytes?: number; temp?: TempNames },
): Promise<StagedObject> {
  const store = deps.blobs ?? blobStoreFor(deps.config);
  const temp = options.temp ? await options.temp.next() : await store.tempPath();
  const meter = new Digests(options.maxBytes ?? maxObjectBytes());
  try {
    if (typeof source === 'string') await copyFile(source, temp, meter);
    else {
      try {
        await pipeline(source, meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        source.destroy();
        throw error;
      }
    }
    const sha256 = meter.sha256.digest('hex');
    const sha512 = meter.sha512.digest('hex');
    const e = options.expected ?? {};
    if (e.size !== undefined && e.size !== meter.size) throw new StagingError('size_mismatch', { expected: e.size, actual: meter.size });
    if (e.sha256 && e.sha256.toLowerCase() !== sha256) throw new StagingError('digest_mismatch', { algorithm: 'SHA-256', expected: e.sha256, actual: sha256 });
    if (e.sha512 && e.sha512.toLowerCase() !== sha512) throw new StagingError('digest_mismatch', { algorithm: 'SHA-512', expected: e.sha512, actual: sha512 });
    const format = await identifyFile(temp, options.filename, { head: meter.head, size: meter.size });
    const created = await store.adopt(tenantId, sha256, temp);
    return { sha256, sha512, size: meter.size, format, filename: sanitizeFilename(options.filename) || 'objet', created };
  } finally {
    await rm(temp, { force: true });
  }
}

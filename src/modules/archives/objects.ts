// Staging an object: its bytes are streamed once to a temp file while SHA-256 and SHA-512 are computed and
// the size is measured (stopped past the limit), the format is identified from the content, then the
// blob store adopts the file under its SHA-256. The `blobs` and `archives_objects` rows are written by
// ingestUnits in its one transaction; a staged object nothing records is discarded again.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
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

class Digests extends Transform {
  readonly sha256 = createHash('sha256');
  readonly sha512 = createHash('sha512');
  size = 0;
  private readonly max: number;
  constructor(max: number) {
    super();
    this.max = max;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.max) {
      callback(new StagingError('too_large', { max: this.max }));
      return;
    }
    this.sha256.update(chunk);
    this.sha512.update(chunk);
    callback(null, chunk);
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
  options: { filename: string; expected?: Expected; maxBytes?: number },
): Promise<StagedObject> {
  const store = deps.blobs ?? blobStoreFor(deps.config);
  const temp = await store.tempPath();
  const meter = new Digests(options.maxBytes ?? maxObjectBytes());
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1024 * 1024 }) : source;
  try {
    try {
      await pipeline(stream, meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      stream.destroy();
      if (error instanceof StagingError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') throw new StagingError('unreadable');
      throw error;
    }
    const sha256 = meter.sha256.digest('hex');
    const sha512 = meter.sha512.digest('hex');
    const e = options.expected ?? {};
    if (e.size !== undefined && e.size !== meter.size) throw new StagingError('size_mismatch', { expected: e.size, actual: meter.size });
    if (e.sha256 && e.sha256.toLowerCase() !== sha256) throw new StagingError('digest_mismatch', { algorithm: 'SHA-256', expected: e.sha256, actual: sha256 });
    if (e.sha512 && e.sha512.toLowerCase() !== sha512) throw new StagingError('digest_mismatch', { algorithm: 'SHA-512', expected: e.sha512, actual: sha512 });
    const format = await identifyFile(temp, options.filename);
    const created = await store.adopt(tenantId, sha256, temp);
    return { sha256, sha512, size: meter.size, format, filename: sanitizeFilename(options.filename) || 'objet', created };
  } finally {
    await rm(temp, { force: true });
  }
}

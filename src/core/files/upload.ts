// Receiving a file: streamed to a temporary file while it is hashed (SHA-256) and measured, stopped as
// soon as it passes its size limit, typed from its content (never from its name or the client's
// claim), checked against the caller's allow-list, then adopted by the blob store under its hash.
// The `blobs` row is written by the caller in its business transaction (recordBlob), with its journal entry.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import type { Tx } from '../db/database.ts';
import { blobStoreFor, type AdoptedBlob, type BlobStore, type FilesConfig } from './store.ts';
import { sanitizeFilename } from './names.ts';

export type UploadErrorCode = 'too_large' | 'type_not_allowed' | 'empty';

export class UploadError extends Error {
  readonly code: UploadErrorCode;
  readonly details: Record<string, string | number>;
  constructor(code: UploadErrorCode, details: Record<string, string | number> = {}) {
    super(code);
    this.code = code;
    this.details = details;
  }
}

export interface UploadOptions {
  maxBytes: number;
  /** MIME types accepted, e.g. `['application/pdf', 'image/png', 'image/jpeg']`. */
  allowedTypes: string[];
  /** The name the client gave; only used for display and to tell CSV from plain text. */
  filename: string;
  /**
   * Told when this upload created the blob (the store had no copy of these bytes), so that a request
   * that fails can take it back at once instead of leaving it to the daily sweep.
   */
  onCreated?: (blob: AdoptedBlob) => void;
  /**
   * Also accept text that is not UTF-8 as Windows-1252 (a superset of Latin-1's printable characters: what
   * Excel writes as "CSV" on a French Windows). Off by default: only a caller that decodes such text itself
   * (the catalogue's CSV validator) asks for it. The bytes are kept as they came, and the stored type says
   * `charset=windows-1252`. Control bytes and the five bytes Windows-1252 leaves undefined still mean binary.
   */
  legacyText?: 'windows-1252';
}

export interface StoredUpload {
  sha256: string;
  size: number;
  contentType: string;
  /** The client's name, sanitised. */
  filename: string;
  /** Set when text was accepted as Windows-1252 (UploadOptions.legacyText); absent for UTF-8 and binary. */
  charset?: 'windows-1252';
}

export interface FileDeps {
  config: FilesConfig;
  /** Defaults to the configured store for the data folder. */
  blobs?: BlobStore;
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the next chunk completes. */
function incompleteTail(buf: Buffer): number {
  for (let i = 1; i <= Math.min(3, buf.length); i++) {
    const byte = buf[buf.length - i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > i ? i : 0;
  }
  return 0;
}

// eslint-disable-next-line no-control-regex -- control bytes are exactly what this looks for.
const LEGACY_BINARY = /[\x00-\x08\x0b\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]/;

/** Hashes, counts and checks the text-ness of the bytes on their way to disk; errors past maxBytes. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  /** Still possibly plain text: valid UTF-8 so far and no NUL byte. */
  text = true;
  /** The start of a multi-byte character cut by the chunk boundary. */
  private carry: Buffer = Buffer.alloc(0);
  /** Still possibly single-byte (Windows-1252) text: no control byte but TAB, LF, FF, CR; null when not asked. */
  legacy: boolean | null;
  private readonly maxBytes: number;

  constructor(maxBytes: number, legacy: boolean) {
    super();
    this.maxBytes = maxBytes;
    this.legacy = legacy ? true : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new UploadError('too_large', { max: this.maxBytes }));
      return;
    }
    this.hash.update(chunk);
    if (this.text) {
      // Native validation without decoding to strings: text checks cost little more than hashing.
      const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
      const tail = incompleteTail(bytes);
      const complete = bytes.subarray(0, bytes.length - tail);
      this.text = !complete.includes(0) && isUtf8(complete);
      this.carry = Buffer.from(bytes.subarray(bytes.length - tail));
    }
    // A native regular expression over a latin1 view: one byte, one character, no decoding cost.
    if (this.legacy) this.legacy = !LEGACY_BINARY.test(chunk.toString('latin1'));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry.length) this.text = false; // ends inside a multi-byte sequence
    callback();
  }
}

/** A text file is CSV when the client named it so (and CSV is allowed); otherwise plain text. */
function textType(filename: string, allowed: string[]): string | null {
  const order = /\.csv$/i.test(filename) ? ['text/csv', 'text/plain'] : ['text/plain', 'text/csv'];
  return order.find((type) => allowed.includes(type)) ?? null;
}

export async function storeUpload(deps: FileDeps, tenantId: string, stream: Readable, options: UploadOptions): Promise<StoredUpload> {
  const store = deps.blobs ?? blobStoreFor(deps.config);
  const temp = await store.tempPath();
  const meter = new Meter(options.maxBytes, options.legacyText === 'windows-1252');
  try {
    try {
      await pipeline(stream, meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      // Stop reading what is left of an oversized upload: nothing more of it will be kept.
      stream.destroy();
      throw error;
    }
    if (meter.size === 0) throw new UploadError('empty');
    const detected = await fileTypeFromFile(temp);
    const legacy = !detected && !meter.text && meter.legacy === true;
    const text = meter.text || legacy;
    const contentType = detected ? detected.mime : text ? textType(options.filename, options.allowedTypes) : null;
    if (!contentType || !options.allowedTypes.includes(contentType)) {
      throw new UploadError('type_not_allowed', { type: detected?.mime ?? (text ? 'text/plain' : 'application/octet-stream') });
    }
    const sha256 = meter.hash.digest('hex');
    const created = await store.adopt(tenantId, sha256, temp);
    if (created) options.onCreated?.(created);
    const stored: StoredUpload = { sha256, size: meter.size, contentType, filename: sanitizeFilename(options.filename) };
    if (legacy) stored.charset = 'windows-1252';
    return stored;
  } finally {
    await rm(temp, { force: true });
  }
}

export interface BlobRow {
  sha256: string;
  size: number;
  content_type: string;
}

/**
 * Records a stored blob for the transaction's tenant; storing the same bytes again is a no-op. A
 * Windows-1252 text keeps its charset in the blob's type, so that it is served as such (send.ts).
 */
export async function recordBlob(tx: Tx, blob: Pick<StoredUpload, 'sha256' | 'size' | 'contentType' | 'charset'>): Promise<void> {
  const type = blob.charset ? `${blob.contentType}; charset=${blob.charset}` : blob.contentType;
  await tx.query(
    `insert into blobs (tenant_id, sha256, size, content_type) values (app_tenant(), $1, $2, $3)
     on conflict (tenant_id, sha256) do nothing`,
    [blob.sha256, blob.size, type],
  );
}

/** The blob row of the transaction's tenant (row-level security hides other tenants' blobs). */
export async function findBlob(tx: Tx, sha256: string): Promise<BlobRow | null> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  return tx.one<BlobRow>(`select sha256, size, content_type from blobs where sha256 = $1`, [sha256]);
}

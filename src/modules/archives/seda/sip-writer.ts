// Writing SEDA 2.3 packages as zip streams: the manifest first, generated a piece at a time, then each
// object opened only when its turn comes and checked on the way (its size and digest must be the ones the
// manifest states). Memory stays bounded by the metadata, never by the objects: see bench/seda-export.ts.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { DIGEST_ALGORITHMS } from './manifest-reader.ts';
import { archiveTransferChunks, checkedOrThrow, deliveryReplyChunks, type DeliveryReplyHeader } from './manifest-writer.ts';
import { issue, SedaError } from './messages.ts';
import type { SedaArchiveTransfer, SedaBinaryObject, SedaDigestAlgorithm } from './types.ts';

/** Opens an object's bytes when the zip reaches it. */
export type OpenObject = (object: SedaBinaryObject) => Readable | Promise<Readable>;

export interface SipWriteOptions {
  /**
   * Deflate the objects too. Off by default: archived objects are mostly compressed formats already
   * (PDF, JPEG, ODF, OOXML), so deflating them costs time for nothing and storing keeps them byte for byte.
   */
  compressObjects?: boolean;
  /** Entry timestamps; fixed so that the same input gives the same zip. */
  mtime?: Date;
}

/** Joins a generator's small strings into chunks of about 64 KiB. */
async function* batched(chunks: Iterable<string>): AsyncGenerator<Buffer> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= 65_536) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  if (pending) yield Buffer.from(pending, 'utf8');
}

/** Passes an object's bytes through, then fails the stream if their count or digest is not the manifest's. */
class Verify extends Transform {
  private readonly object: SedaBinaryObject;
  private readonly hash;
  private bytes = 0;
  constructor(object: SedaBinaryObject) {
    super();
    this.object = object;
    this.hash = createHash(DIGEST_ALGORITHMS[object.digest.algorithm]!.node);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
  override _flush(done: (error?: Error | null) => void) {
    const ok = (this.object.size === undefined || this.object.size === this.bytes) && this.hash.digest('hex') === this.object.digest.value;
    done(ok ? null : new SedaError([issue('archives.seda.write.content', { id: this.object.id })]));
  }
}

function zipStream(manifestName: string, manifest: Iterable<string>, objects: SedaBinaryObject[], open: OpenObject, options: SipWriteOptions): Readable {
  const zip = new yazl.ZipFile();
  const mtime = options.mtime ?? new Date('2000-01-01T00:00:00Z');
  const out = new PassThrough();
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  zip.on('error', fail);
  zip.addReadStream(Readable.from(batched(manifest)), manifestName, { mtime, compress: true });
  for (const object of objects) {
    if (object.uri === undefined) continue;
    zip.addReadStreamLazy(
      object.uri,
      { mtime, compress: options.compressObjects ?? false, ...(object.size !== undefined ? { size: object.size } : {}) },
      (cb) => {
        Promise.resolve()
          .then(() => open(object))
          .then((source) => {
            const verify = new Verify(object);
            source.on('error', fail);
            verify.on('error', fail);
            cb(null, source.pipe(verify));
          }, fail);
      },
    );
  }
  zip.end();
  // yazl's output piped with back-pressure; `out` is what callers hold, so that a failed object can end it in error.
  const source = zip.outputStream as Readable;
  source.on('error', fail);
  source.pipe(out);
  return out;
}

/**
 * An ArchiveTransfer zip as a stream: manifest.xml (valid against the SEDA 2.3 XSDs), then every object at its
 * Uri. Each object's size and digest must already be in `transfer` (what the archives recorded at ingest;
 * `describeObject` computes them otherwise); the stream fails if an object's bytes no longer match them.
 * Throws SedaError before writing anything if ids or references are wrong.
 */
export function createSipStream(transfer: SedaArchiveTransfer, open: OpenObject, options: SipWriteOptions = {}): Readable {
  checkedOrThrow(transfer);
  return zipStream('manifest.xml', archiveTransferChunks(transfer), transfer.objects, open, options);
}

/** A DIP (communication package) as a stream: the same zip shape, with an ArchiveDeliveryRequestReply manifest. */
export function createDipStream(selection: SedaArchiveTransfer, reply: DeliveryReplyHeader, open: OpenObject, options: SipWriteOptions = {}): Readable {
  checkedOrThrow(selection);
  return zipStream('manifest.xml', deliveryReplyChunks(selection, reply), selection.objects, open, options);
}

/** Writes a SIP to a file; resolves with its size in bytes. On failure the partial file is the caller's to remove. */
export async function writeSip(transfer: SedaArchiveTransfer, open: OpenObject, path: string, options: SipWriteOptions = {}): Promise<number> {
  const file = createWriteStream(path);
  await pipeline(createSipStream(transfer, open, options), file);
  return file.bytesWritten;
}

/** Size and digest of an object's bytes, for a writer's input when they were not recorded. */
export async function describeObject(
  source: Readable,
  algorithm: SedaDigestAlgorithm = 'SHA-512',
): Promise<{ size: number; digest: { algorithm: SedaDigestAlgorithm; value: string } }> {
  const hash = createHash(DIGEST_ALGORITHMS[algorithm]!.node);
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { size, digest: { algorithm, value: hash.digest('hex') } };
}

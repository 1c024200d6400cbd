// The blob store in an S3-compatible bucket (AWS SDK v3): key `<prefix><tenantId>/<aa>/<sha256>`, the
// same layout as the local folder.
//
// Write-once. An upload reaches this store as a finished temp file on the local disk whose SHA-256 the
// caller computed while receiving it (upload.ts), so the object is created directly under its content
// key, never under a name whose digest is not known yet, and no temporary object or server-side copy is
// needed. Creating it: a HEAD first (present: nothing is written; the key's bytes are these bytes by
// construction), then a PUT with `If-None-Match: *` (refused with 412 by servers that support
// conditional writes when another writer got there first) and `x-amz-checksum-sha256` (servers that
// check it refuse bytes that do not match the key). Servers that ignore both still never see an
// existing key overwritten by different bytes: the HEAD stops a second writer, and two writers racing
// past it carry the same bytes (same key = same digest, checked again here while the file is sent).
// Files above the multipart threshold go through @aws-sdk/lib-storage's streamed multipart upload
// (parts read from the file as they are sent), with If-None-Match on the completion.
//
// Taking back a failed request's blob (AdoptedBlob.discard) does nothing here: S3 offers no portable
// "delete only if still the object I wrote", and another upload of the same bytes may have found this
// object meanwhile. The daily sweep removes bytes that no row refers to once they are a day old.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isUuid } from '../db/ids.ts';
import type { S3Settings } from '../net/s3-settings.ts';
import { checkKey, removeOldFiles, SealedBlobError, type AdoptedBlob, type BlobStore, type SealRelease, type StoredBlob } from './blob-contract.ts';

/** An object store failure, said without credentials: which bucket, which operation, what the server answered. */
export class BlobStoreError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'BlobStoreError';
    this.status = status;
  }
}

export interface S3StoreOptions {
  /** Local folder for uploads being received (same as the local store's). */
  tempDir: string;
  /** Files larger than this go as a multipart upload (default 64 MiB). */
  multipartThreshold?: number;
  /** Part size of multipart uploads (default 16 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

const STATUS_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden (wrong credentials, or no access to the bucket)',
  404: 'NotFound (no such bucket?)',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** Hashes the bytes on their way to the bucket. */
class Digest extends Transform {
  readonly hash = createHash('sha256');
  /** Not `size`: lib-storage reads a body's `size` as its length. */
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/** The tag of a sealed (write-once) object: an archived object, removed only through an approved elimination. */
const SEALED_TAG = 'bastide-sealed';

export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  readonly settings: S3Settings;
  readonly tempDir: string;
  private readonly client: S3Client;
  private readonly multipartThreshold: number;
  private readonly partSize: number;

  constructor(settings: S3Settings, options: S3StoreOptions) {
    this.settings = settings;
    this.tempDir = options.tempDir;
    this.multipartThreshold = options.multipartThreshold ?? 64 * 1024 * 1024;
    this.partSize = options.partSize ?? 16 * 1024 * 1024;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials(),
      // The SDK's default adds CRC32 trailers in aws-chunked bodies, which many S3-compatible servers
      // (older MinIO, Ceph RGW, Garage before 1.0) refuse: checksums only where this code asks for them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  describe(): string {
    return this.settings.describe();
  }

  keyOf(tenantId: string, sha256: string): string {
    checkKey(tenantId, sha256);
    return `${this.settings.prefix}${tenantId}/${sha256.slice(0, 2)}/${sha256}`;
  }

  /** The SDK's error as one line without credentials. */
  private failure(operation: string, error: unknown): BlobStoreError {
    if (error instanceof BlobStoreError) return error;
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    let name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    // HEAD answers have no body: the SDK knows only the status.
    if ((name === 'Unknown' || name === 'UnknownError' || name === 'Error') && status) name = STATUS_NAMES[status] ?? name;
    const detail = this.settings.redact(message && message !== name && !/^Unknown/.test(message) && message !== 'UnknownError' ? `${name}: ${message}` : name);
    return new BlobStoreError(`object store ${this.describe()}: ${operation} failed (${detail}${status ? `, HTTP ${status}` : ''})`, status);
  }

  /** The server does not implement the operation (501, 405, NotImplemented). */
  private static unsupported(error: unknown): boolean {
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    return status === 501 || status === 405 || (error instanceof Error && (error.name === 'NotImplemented' || error.name === 'MethodNotAllowed'));
  }

  private static missing(error: unknown): boolean {
    if (!(error instanceof Error)) return false;
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    return error.name === 'NotFound' || error.name === 'NoSuchKey' || (status === 404 && error.name !== 'NoSuchBucket');
  }

  async tempPath(): Promise<string> {
    await mkdir(this.tempDir, { recursive: true });
    return join(this.tempDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  }

  async sizeOf(tenantId: string, sha256: string): Promise<number | null> {
    const Key = this.keyOf(tenantId, sha256);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (S3BlobStore.missing(error)) return null;
      throw this.failure(`HEAD ${Key}`, error);
    }
  }

  /**
   * Copies a local file whose SHA-256 is `sha256` into the bucket under its key, unless the key exists.
   * The file is left in place. 'created' when this call wrote the object.
   */
  async putFile(tenantId: string, sha256: string, file: string): Promise<'created' | 'present'> {
    const Key = this.keyOf(tenantId, sha256);
    if ((await this.sizeOf(tenantId, sha256)) !== null) return 'present';
    const size = (await stat(file)).size;
    const digest = new Digest();
    const source = createReadStream(file);
    // pipe() does not pass a read error on: without this the request would wait for bytes forever.
    source.on('error', (error) => digest.destroy(error));
    const body = source.pipe(digest);
    const params = { Bucket: this.settings.bucket, Key, Body: body, IfNoneMatch: '*', ContentType: 'application/octet-stream' };
    try {
      if (size <= this.multipartThreshold) {
        await this.client.send(new PutObjectCommand({ ...params, ContentLength: size, ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64') }));
      } else {
        await new Upload({
          client: this.client,
          params: { ...params, ContentLength: size },
          partSize: this.partSize,
          queueSize: 2,
          leavePartsOnError: false,
        }).done();
      }
    } catch (error) {
      body.destroy();
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      // 412: another writer created the key first (its bytes are these bytes); 409: a conditional write in progress.
      if (status === 412 || (status === 409 && error instanceof Error && error.name === 'ConditionalRequestConflict')) return 'present';
      throw this.failure(`PUT ${Key}`, error);
    }
    const actual = digest.hash.digest('hex');
    if (actual !== sha256 || digest.bytes !== size) {
      // A caller's bug (bytes that are not the key's): the server did not check the checksum header. The
      // key did not exist a moment ago, so the object is this call's own.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key })).catch(() => {});
      throw new BlobStoreError(`object store ${this.describe()}: the bytes sent for ${Key} do not have that digest (${actual}); nothing kept`);
    }
    return 'created';
  }

  async adopt(tenantId: string, sha256: string, tempFile: string): Promise<AdoptedBlob | null> {
    const result = await this.putFile(tenantId, sha256, tempFile);
    // See the file's head: a failed request's new object is left to the sweep.
    return result === 'created' ? { sha256, discard: async () => {} } : null;
  }

  async open(tenantId: string, sha256: string): Promise<{ stream: Readable; size: number } | null> {
    const Key = this.keyOf(tenantId, sha256);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key }));
      const stream = object.Body as Readable;
      return { stream, size: object.ContentLength ?? 0 };
    } catch (error) {
      if (S3BlobStore.missing(error)) return null;
      throw this.failure(`GET ${Key}`, error);
    }
  }

  async remove(tenantId: string, sha256: string, release?: SealRelease): Promise<void> {
    const Key = this.keyOf(tenantId, sha256);
    if (await this.isSealed(tenantId, sha256)) {
      if (!release) throw new SealedBlobError(sha256, 'removed only by an approved elimination or the erasure of its collectivité');
      if (!(await release.confirm(sha256))) throw new SealedBlobError(sha256, `the ${release.reason} ${release.reference} does not cover it`);
    }
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key }));
    } catch (error) {
      if (S3BlobStore.missing(error)) return;
      throw this.failure(`DELETE ${Key}`, error);
    }
  }

  /**
   * Write-once in a bucket: objects are created only if absent (`If-None-Match: *`, putFile), so adopt()
   * never replaces one; a sealed object carries the tag `bastide-sealed=archive`, and remove() refuses it
   * without a release, as the local store refuses its 0444 files. Like the file mode, the tag binds this
   * store's own paths, not someone holding the bucket's keys: storage-enforced retention is S3 Object Lock
   * (a legal hold per archived object, lifted by the elimination), which Bastide does not configure and the
   * test double cannot show (docs/archives.md §2).
   */
  async seal(tenantId: string, sha256: string): Promise<boolean> {
    const Key = this.keyOf(tenantId, sha256);
    try {
      await this.client.send(new PutObjectTaggingCommand({ Bucket: this.settings.bucket, Key, Tagging: { TagSet: [{ Key: SEALED_TAG, Value: 'archive' }] } }));
      return true;
    } catch (error) {
      if (S3BlobStore.missing(error)) return false;
      throw this.failure(`TAG ${Key}`, error);
    }
  }

  async isSealed(tenantId: string, sha256: string): Promise<boolean> {
    const Key = this.keyOf(tenantId, sha256);
    try {
      const tags = await this.client.send(new GetObjectTaggingCommand({ Bucket: this.settings.bucket, Key }));
      return (tags.TagSet ?? []).some((t) => t.Key === SEALED_TAG);
    } catch (error) {
      if (S3BlobStore.missing(error)) return false;
      throw this.failure(`TAGS ${Key}`, error);
    }
  }

  /** The key's tenant and digest when it is a blob key under this store's prefix. */
  private parse(key: string): { tenantId: string; sha256: string } | null {
    if (!key.startsWith(this.settings.prefix)) return null;
    const [tenantId, aa, sha256, extra] = key.slice(this.settings.prefix.length).split('/');
    if (extra !== undefined || !tenantId || !isUuid(tenantId) || !sha256 || !SHA256.test(sha256) || aa !== sha256.slice(0, 2)) return null;
    return { tenantId, sha256 };
  }

  async *list(): AsyncIterable<StoredBlob> {
    let ContinuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: this.settings.prefix || undefined, ContinuationToken }));
      } catch (error) {
        throw this.failure('LIST', error);
      }
      for (const object of page.Contents ?? []) {
        const parsed = object.Key ? this.parse(object.Key) : null;
        if (parsed) yield { ...parsed, size: object.Size ?? 0, modified: object.LastModified ?? new Date() };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async removeLeftovers(before: Date): Promise<number> {
    // The local temp files of uploads being received, as the local store does.
    let removed = await removeOldFiles(this.tempDir, before);
    // Multipart uploads that a crash left unfinished (their parts are billed and invisible).
    try {
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      do {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.settings.bucket, Prefix: this.settings.prefix || undefined, KeyMarker, UploadIdMarker }),
        );
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || !this.parse(upload.Key) || !upload.Initiated || upload.Initiated >= before) continue;
          try {
            await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.settings.bucket, Key: upload.Key, UploadId: upload.UploadId }));
            removed += 1;
          } catch (error) {
            // A server without AbortMultipartUpload (s3rver answers 405) keeps its parts; the orphans still go.
            if (!S3BlobStore.unsupported(error)) throw error;
          }
        }
        KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (KeyMarker);
    } catch (error) {
      // Servers without ListMultipartUploads (some emulators) have nothing to clean here.
      if (!S3BlobStore.unsupported(error)) throw this.failure('LIST multipart uploads', error);
    }
    return removed;
  }
}

// `bastide files move-to-s3`: copies every blob of the local folder into the configured bucket, for an
// installation that moves its files to object storage. It switches nothing: the servers keep reading
// the local folder until the operator sets BASTIDE_S3_URL (docs/operations.md gives the order). Each blob
// is sent with its digest checked on the way (S3BlobStore.putFile), then read back from the bucket and
// hashed again; a blob the bucket already holds with the same size is skipped, so the command can be
// stopped and run again (resumable), and a second run copies nothing (idempotent). Local files are
// never deleted here.
import { createHash } from 'node:crypto';
import { formatBytes, type Progress } from './format.ts';
import type { LocalBlobStore, StoredBlob } from '../files/store.ts';
import type { S3BlobStore } from '../files/s3-store.ts';

export interface MoveSummary {
  total: number;
  copied: number;
  /** Already in the bucket with the same size (copied by an earlier run, or uploaded there since). */
  present: number;
  bytes: number;
  /** One line each: the blob and what went wrong. */
  failures: string[];
}

async function digestOf(store: S3BlobStore, blob: StoredBlob): Promise<string | null> {
  const opened = await store.open(blob.tenantId, blob.sha256);
  if (!opened) return null;
  const hash = createHash('sha256');
  for await (const chunk of opened.stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

export async function moveToBucket(
  local: LocalBlobStore,
  bucket: S3BlobStore,
  progress: Progress = () => {},
  options: { verifyPresent?: boolean } = {},
): Promise<MoveSummary> {
  const blobs: StoredBlob[] = [];
  for await (const blob of local.list()) blobs.push(blob);
  const totalBytes = blobs.reduce((n, b) => n + b.size, 0);
  const summary: MoveSummary = { total: blobs.length, copied: 0, present: 0, bytes: 0, failures: [] };
  let done = 0;
  let doneBytes = 0;
  const show = () =>
    progress(
      `files: ${done}/${blobs.length} (${formatBytes(doneBytes)} of ${formatBytes(totalBytes)}); copied ${summary.copied}, already there ${summary.present}`,
    );
  show();
  for (const blob of blobs) {
    const name = `${blob.tenantId}/${blob.sha256}`;
    try {
      const there = await bucket.sizeOf(blob.tenantId, blob.sha256);
      if (there !== null && there !== blob.size) {
        // Write-once: never replaced. Someone must look at it.
        summary.failures.push(`${name}: the bucket holds ${there} bytes under this key, the local file ${blob.size}`);
      } else if (there !== null) {
        if (options.verifyPresent && (await digestOf(bucket, blob)) !== blob.sha256)
          summary.failures.push(`${name}: the bucket's copy does not match its digest`);
        else summary.present += 1;
      } else {
        await bucket.putFile(blob.tenantId, blob.sha256, local.pathOf(blob.tenantId, blob.sha256));
        if ((await digestOf(bucket, blob)) !== blob.sha256) summary.failures.push(`${name}: read back from the bucket, the copy does not match its digest`);
        else {
          summary.copied += 1;
          summary.bytes += blob.size;
        }
      }
    } catch (error) {
      summary.failures.push(`${name}: ${(error as Error).message}`);
    }
    done += 1;
    doneBytes += blob.size;
    if (done % 20 === 0 || done === blobs.length) show();
  }
  return summary;
}

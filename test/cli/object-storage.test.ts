// Object storage from the command line, with a real S3 server on loopback (test/helpers/s3-server.ts):
// `bastide files move-to-s3` (resumable, idempotent, each copy read back and checked, local files kept,
// a damaged file reported and not copied), and `bastide backup` / `restore` on an installation whose
// files live in a bucket (the blobs archived from the bucket, checked against their digests, restored
// into it; a backup restores into either kind of store; tampered bytes are refused).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { freshInstallation, lines, type Installation } from './cli.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { LocalBlobStore } from '../../src/core/files/store.ts';
import { S3BlobStore } from '../../src/core/files/s3-store.ts';

let inst: Installation;
let s3: TestS3Server;
let folder: string;
let bucket: S3BlobStore;
let local: LocalBlobStore;
before(async () => {
  inst = await freshInstallation();
  s3 = await startS3Server();
  folder = mkdtempSync(join(tmpdir(), 'bastide-object-storage-'));
  bucket = new S3BlobStore(s3.settings, { tempDir: join(folder, 'tmp') });
  local = new LocalBlobStore(inst.dataDir);
  // Files this process writes into the data folder are private, as the server's are (its checks refuse others).
  process.umask(0o077);
});
after(async () => {
  await inst.cleanup();
  await s3.close();
  rmSync(folder, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function putLocal(tenant: string, bytes: Buffer): Promise<string> {
  const temp = await local.tempPath();
  writeFileSync(temp, bytes);
  await local.adopt(tenant, sha(bytes), temp);
  rmSync(temp, { force: true });
  return sha(bytes);
}

async function fromBucket(tenant: string, hash: string): Promise<Buffer | null> {
  const opened = await bucket.open(tenant, hash);
  if (!opened) return null;
  const chunks: Buffer[] = [];
  for await (const c of opened.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('files move-to-s3 copies the local blobs into the bucket, checked, resumable and idempotent; it needs a bucket', async () => {
  const t1 = randomUUID();
  const t2 = randomUUID();
  const a = Buffer.from('délibération du conseil municipal');
  const b = Buffer.concat([Buffer.from('%PDF-1.4 '), Buffer.alloc(200_000, 0x42)]);
  const shaA = await putLocal(t1, a);
  const shaB = await putLocal(t2, b);
  // A local file whose bytes no longer match its name (a disk error): reported, never copied.
  const damaged = await putLocal(t1, Buffer.from('original bytes'));
  writeFileSync(local.pathOf(t1, damaged), 'damaged bytes!');

  const none = await inst.run(['files', 'move-to-s3']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^bastide: no bucket: set BASTIDE_S3_URL/);

  // An interrupted earlier run had copied A already.
  await bucket.putFile(t1, shaA, local.pathOf(t1, shaA));
  const first = await inst.run(['files', 'move-to-s3'], s3.env);
  assert.equal(first.code, 1, first.stderr);
  assert.match(first.stdout, /^3 files\t1 copied \(195\.\d KiB\)\t1 already there\t1 failed\tbucket "bastide-test-[0-9a-f]+" at http:\/\/127\.0\.0\.1:\d+\n$/);
  assert.match(first.stderr, new RegExp(`^bastide: ${t1}/${damaged}: .*do not have that digest`));
  assert.ok(!first.stdout.includes(s3.secretAccessKey) && !first.stderr.includes(s3.secretAccessKey));
  assert.deepEqual(await fromBucket(t1, shaA), a);
  assert.deepEqual(await fromBucket(t2, shaB), b);
  assert.equal(await bucket.sizeOf(t1, damaged), null, 'the damaged file is not in the bucket');
  assert.ok(existsSync(local.pathOf(t1, shaA)) && existsSync(local.pathOf(t2, shaB)), 'local files are kept');

  // Once the damaged file is dealt with, a new run has nothing left to copy.
  rmSync(local.pathOf(t1, damaged));
  const again = await inst.run(['files', 'move-to-s3'], s3.env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^2 files\t0 copied \(0 B\)\t2 already there\t0 failed\t/);

  // --verify reads back what the bucket already holds: a copy damaged in the bucket is found.
  const file = s3.objectFile(bucket.keyOf(t2, shaB));
  const bytes = readFileSync(file);
  bytes[100] ^= 0xff;
  writeFileSync(file, bytes);
  const verify = await inst.run(['files', 'move-to-s3', '--verify'], s3.env);
  assert.equal(verify.code, 1);
  assert.match(verify.stderr, new RegExp(`${t2}/${shaB}: the bucket's copy does not match its digest`));
  bytes[100] ^= 0xff;
  writeFileSync(file, bytes);
  assert.equal((await inst.run(['files', 'move-to-s3', '--verify'], s3.env)).code, 0);
});

test('backup and restore with the files in a bucket; the backup restores into the local folder too', async () => {
  const tenant = randomUUID();
  const kept = Buffer.from('pièce jointe conservée');
  const tmp = join(folder, 'kept.bin');
  writeFileSync(tmp, kept);
  await bucket.putFile(tenant, sha(kept), tmp);
  const before = new Set<string>();
  for await (const blob of bucket.list()) before.add(`${blob.tenantId}/${blob.sha256}`);

  const file = join(folder, 'bucket.tar.gz');
  const backup = await inst.run(['backup', file], s3.env);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, new RegExp(`\\t${before.size} files\\n$`));

  // The bucket loses the object (a mistaken deletion); restore puts it back, unchanged.
  await bucket.remove(tenant, sha(kept));
  const restore = await inst.run(['restore', file], s3.env);
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await fromBucket(tenant, sha(kept)), kept);
  const after = new Set<string>();
  for await (const blob of bucket.list()) after.add(`${blob.tenantId}/${blob.sha256}`);
  assert.deepEqual(after, before);

  // The same backup into an installation on the local folder: same names, same bytes.
  const intoLocal = await inst.run(['restore', file]);
  assert.equal(intoLocal.code, 0, intoLocal.stderr);
  assert.deepEqual(readFileSync(local.pathOf(tenant, sha(kept))), kept);

  // A backup whose blob bytes were altered (same length) is refused before the database is touched.
  const tar = gunzipSync(readFileSync(file));
  const at = tar.indexOf(kept);
  assert.ok(at > 0);
  tar[at] ^= 0x20; // 'p' becomes 'P'
  const tampered = join(folder, 'tampered.tar.gz');
  writeFileSync(tampered, gzipSync(tar));
  await bucket.remove(tenant, sha(kept));
  const refused = await inst.run(['restore', tampered], s3.env);
  assert.equal(refused.code, 1);
  assert.equal(lines(refused.stderr).length, 1);
  assert.match(refused.stderr, new RegExp(`files/${tenant}/${sha(kept).slice(0, 2)}/${sha(kept)} does not match its digest`));
  assert.equal(await bucket.sizeOf(tenant, sha(kept)), null, 'nothing planted under the key');
});

// Taking back a blob of a failed request (store.ts AdoptedBlob.discard) never deletes bytes that another
// upload of the same content adopted meanwhile. The local folder deletes a lone failed upload's bytes at
// once; a bucket leaves them to the daily sweep (s3-store.ts: S3 has no portable "delete only if still
// mine"), which removes them once they are a day old and no row refers to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { LocalBlobStore, type BlobStore } from './store.ts';
import { S3BlobStore } from './s3-store.ts';
import { startS3Server } from '../../../test/helpers/s3-server.ts';

async function held(store: BlobStore, tenant: string, sha: string): Promise<Buffer | null> {
  const opened = await store.open(tenant, sha);
  if (!opened) return null;
  const chunks: Buffer[] = [];
  for await (const c of opened.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

for (const kind of ['local', 's3'] as const) {
  test(`${kind} store: discard removes nothing that a later upload of the same bytes adopted`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastide-discard-'));
    const s3 = kind === 's3' ? await startS3Server() : null;
    try {
      const store: BlobStore = s3 ? new S3BlobStore(s3.settings, { tempDir: join(dir, 'tmp') }) : new LocalBlobStore(dir);
      const tenant = randomUUID();
      const adopt = async (bytes: Buffer) => {
        const temp = await store.tempPath();
        writeFileSync(temp, bytes);
        const adopted = await store.adopt(tenant, createHash('sha256').update(bytes).digest('hex'), temp);
        rmSync(temp, { force: true });
        return adopted;
      };
      const bytes = Buffer.from('the same bytes, uploaded twice');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const first = await adopt(bytes);
      assert.ok(first, 'the first upload created the blob');
      assert.equal(await adopt(bytes), null, 'the second found it there');
      await first.discard();
      assert.deepEqual(await held(store, tenant, sha), bytes, 'the second upload’s copy stays');

      const other = Buffer.from('bytes of a failed request only');
      const otherSha = createHash('sha256').update(other).digest('hex');
      const alone = await adopt(other);
      await alone!.discard();
      assert.deepEqual(await held(store, tenant, otherSha), kind === 'local' ? null : other, kind === 'local' ? 'deleted at once' : 'left to the sweep');
    } finally {
      await s3?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

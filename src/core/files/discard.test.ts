// Taking back a blob of a failed request (store.ts AdoptedBlob.discard) never deletes bytes that another
// upload of the same content adopted meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { LocalBlobStore } from './store.ts';

test('discard removes a blob this upload created, but not one that a later upload of the same bytes replaced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastide-discard-'));
  try {
    const store = new LocalBlobStore(dir);
    const tenant = randomUUID();
    const bytes = Buffer.from('the same bytes, uploaded twice');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const upload = async () => {
      const temp = await store.tempPath();
      writeFileSync(temp, bytes);
      const adopted = await store.adopt(tenant, sha, temp);
      rmSync(temp, { force: true });
      return adopted;
    };
    const first = await upload();
    assert.ok(first, 'the first upload created the blob');
    assert.equal(await upload(), null, 'the second found it there');
    await first.discard();
    assert.ok(existsSync(store.pathOf(tenant, sha)), 'the second upload’s copy stays');
    assert.deepEqual(readFileSync(store.pathOf(tenant, sha)), bytes);

    const other = Buffer.from('bytes of a failed request only');
    const otherSha = createHash('sha256').update(other).digest('hex');
    const temp = await store.tempPath();
    writeFileSync(temp, other);
    const alone = await store.adopt(tenant, otherSha, temp);
    rmSync(temp, { force: true });
    await alone!.discard();
    assert.equal(existsSync(store.pathOf(tenant, otherSha)), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

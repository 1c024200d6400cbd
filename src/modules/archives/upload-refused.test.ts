// A refused deposit takes its staged bytes back before the answer is written: through the API (422) and
// the deposit page (422 page), with files already staged when the refusal comes (a missing title, a file
// past the request's budget), a client reading the store when it receives the answer finds neither a file
// nor a `blobs` row. (receiveUpload's discard runs inside the function, before it throws to the route.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';
import { archivesTenant, deposit, type ArchivesTenant } from '../../../test/support/archives/archives.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdf = (n: string, padding = 0) => Buffer.concat([Buffer.from(`%PDF-1.4\n% ${n}\n`), Buffer.alloc(padding, 0x20), Buffer.from('\n%%EOF\n')]);

async function assertNothingKept(a: ArchivesTenant, files: Buffer[], label: string): Promise<void> {
  for (const f of files) assert.equal(existsSync(join(t.config.dataDir, 'files', a.tenant.id, sha(f).slice(0, 2), sha(f))), false, `${label}: no file`);
  const rows = await t.db.transaction(a.tenant.id, (tx) => tx.query('select sha256 from blobs where sha256 = any($1)', [files.map(sha)]));
  assert.deepEqual(rows, [], `${label}: no blobs row`);
  const temp = join(t.config.dataDir, 'tmp', 'uploads');
  assert.deepEqual(existsSync(temp) ? readdirSync(temp).filter((n) => n.endsWith('.part')) : [], [], `${label}: no temp file`);
}

test('API: a deposit refused after its files were staged leaves no bytes when the 422 is received', async () => {
  const a = await archivesTenant(t);
  const files = [pdf('api one'), pdf('api two')];
  const res = await deposit(t, a, { title: '' }, [
    { name: 'a.pdf', body: files[0]! },
    { name: 'b.pdf', body: files[1]! },
  ]);
  assert.equal(res.statusCode, 422, res.body);
  await assertNothingKept(a, files, 'missing title');

  const budget = process.env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES;
  process.env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES = '5000';
  try {
    const first = pdf('within the budget', 3000);
    const second = pdf('past the budget', 3000);
    const over = await deposit(t, a, { title: 'Délibérations' }, [
      { name: 'a.pdf', body: first },
      { name: 'b.pdf', body: second },
    ]);
    assert.equal(over.statusCode, 422, over.body);
    await assertNothingKept(a, [first, second], 'past the budget');
  } finally {
    if (budget === undefined) delete process.env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES;
    else process.env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES = budget;
  }
});

test('deposit page: a refused deposit shows its errors with no bytes left in the store', async () => {
  const a = await archivesTenant(t);
  const file = pdf('page');
  const { payload, contentType } = multipart([
    { name: 'title', value: '' },
    { name: 'file', value: file, filename: 'a.pdf', type: 'application/pdf' },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `${a.base}/verser?_csrf=${encodeURIComponent(a.archivist.csrf)}`,
    headers: { ...a.archivist.headers, 'content-type': contentType },
    payload,
  });
  assert.equal(res.statusCode, 422, res.body.slice(0, 300));
  await assertNothingKept(a, [file], 'page');
  const ok = await deposit(t, a, { title: 'Registre' }, [{ name: 'a.pdf', body: file }]);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.ok(existsSync(join(t.config.dataDir, 'files', a.tenant.id, sha(file).slice(0, 2), sha(file))), 'a kept deposit stays');
});

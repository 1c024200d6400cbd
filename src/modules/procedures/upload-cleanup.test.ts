// A filing's files that nothing records (a file for a field its condition hides) are taken back BEFORE the
// answer leaves, through the API (201) and the citizen's HTML form (303): a client reading the store when it
// receives the answer finds neither a file nor a `blobs` row. Before this, the clean-up ran after the reply
// had been sent (withUploadCleanup's finally waits for the reply to finish), and these checks saw the bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, browserFor, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, countRows, published } from '../../../test/support/procedures/api.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const CONDITIONAL = {
  title: 'Demande avec pièce facultative',
  fields: [
    { key: 'objet', label: 'Objet', type: 'text', required: true },
    {
      key: 'piece',
      label: 'Pièce',
      type: 'file',
      accept: ['application/pdf'],
      maxBytes: 1_000_000,
      visibleIf: { field: 'objet', op: 'equals', value: 'avec pièce' },
    },
  ],
};

const pdf = (n: string) => Buffer.from(`%PDF-1.4\n% ${n}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function storedAt(tenantId: string, bytes: Buffer): boolean {
  return existsSync(join(t.config.dataDir, 'files', tenantId, sha(bytes).slice(0, 2), sha(bytes)));
}

test('API filing: a file its hidden field does not keep is gone when the 201 is received; a kept one stays', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, CONDITIONAL);
  const dropped = pdf('API, hidden field');
  const { payload, contentType } = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify({ objet: 'sans pièce' }) },
    { name: 'piece', value: dropped, filename: 'a.pdf', type: 'application/pdf' },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`,
    payload,
    headers: { 'content-type': contentType },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(storedAt(a.tenant.id, dropped), false, 'no file in the store when the answer is received');
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 0);

  const keptBytes = pdf('API, shown field');
  const withPiece = multipart([
    { name: 'email', value: 'camille@exemple.fr' },
    { name: 'data', value: JSON.stringify({ objet: 'avec pièce' }) },
    { name: 'piece', value: keptBytes, filename: 'b.pdf', type: 'application/pdf' },
  ]);
  const ok = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`,
    payload: withPiece.payload,
    headers: { 'content-type': withPiece.contentType },
  });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(storedAt(a.tenant.id, keptBytes), true);
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 1);
});

test('HTML form: a file its hidden field does not keep is gone when the redirect is received', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a, CONDITIONAL);
  const browser = await browserFor(t, null);
  const dropped = pdf('HTML, hidden field');
  const { payload, contentType } = multipart([
    { name: '_email', value: 'camille@exemple.fr' },
    { name: 'objet', value: 'sans pièce' },
    { name: 'piece', value: dropped, filename: 'a.pdf', type: 'application/pdf' },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/${a.tenant.slug}/demarches/${slug}?_csrf=${encodeURIComponent(browser.csrf)}`,
    payload,
    headers: { ...browser.headers, 'content-type': contentType },
  });
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 1);
  assert.equal(storedAt(a.tenant.id, dropped), false, 'no file in the store when the answer is received');
  assert.equal(await countRows(t, a.tenant.id, 'blobs'), 0);
});

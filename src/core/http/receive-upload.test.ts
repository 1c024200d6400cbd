// receiveSingleUpload through HTTP, on a tiny route of a test module: a document accepted and recorded, and
// every refusal (type judged from the content, one byte over the limit, empty, missing, NUL in a field, not
// multipart, a record that fails or keeps nothing) leaving no `blobs` row and no file in the store at the
// moment the answer is received, nor a temp file; bytes another request recorded before are never taken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';
import { coreModule } from '../core-module.ts';
import type { ModuleManifest } from '../module.ts';
import { requireTenant } from '../base/context.ts';
import { unprocessable } from '../base/errors.ts';
import { recordBlob } from '../files/upload.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import { receiveSingleUpload } from './receive-upload.ts';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const MAX = 4096;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdfOf = (text: string) => Buffer.concat([PDF, Buffer.from(`% ${text}\n`)]);

const testRoutes: ModuleManifest = {
  name: 'test-receive-upload',
  routes: (app, deps) => {
    app.post('/api/v1/:tenant/test-uploads', async (request, reply) => {
      const tenant = requireTenant(request);
      const out = await receiveSingleUpload(deps, request, {
        tenantId: tenant.id,
        maxBytes: MAX,
        allowedTypes: ['application/pdf'],
        fields: { note: 10, mode: 20 },
        record: async (stored, fields) => {
          if (fields.mode === 'refuse') throw unprocessable({ note: ['refused by the record'] });
          if (fields.mode === 'forget') return { kept: false };
          await deps.db.transaction(tenant.id, (tx) => recordBlob(tx, stored));
          return { kept: true, sha256: stored.sha256, type: stored.contentType, fields };
        },
      });
      return reply.code(201).send(out);
    });
  },
};

let t: TestApp;
let tenant: Tenant;
before(async () => {
  t = await startTestApp({ modules: [coreModule, testRoutes] });
  tenant = await createTestTenant(t.db);
});
after(async () => t?.close());

const send = (parts: Parameters<typeof multipart>[0], headers: Record<string, string> = {}) => {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({ method: 'POST', url: `/api/v1/${tenant.slug}/test-uploads`, payload, headers: { 'content-type': contentType, ...headers } });
};
const fileAt = (bytes: Buffer) => join(t.config.dataDir, 'files', tenant.id, sha(bytes).slice(0, 2), sha(bytes));
const rowOf = (bytes: Buffer) => t.db.transaction(tenant.id, (tx) => tx.one('select sha256 from blobs where sha256 = $1', [sha(bytes)]));
const temps = () => {
  const dir = join(t.config.dataDir, 'tmp', 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function assertNothingKept(bytes: Buffer, label: string): Promise<void> {
  assert.equal(await rowOf(bytes), null, `${label}: no blobs row`);
  assert.equal(existsSync(fileAt(bytes)), false, `${label}: no file in the store when the answer is received`);
  assert.deepEqual(temps(), [], `${label}: no temp file`);
}

test('a PDF is stored and recorded; the fields named are kept, cut at their length, the others dropped', async () => {
  const bytes = pdfOf('accepted');
  const res = await send([
    { name: 'note', value: 'a note longer than ten characters' },
    { name: 'other', value: 'dropped' },
    { name: 'file', value: bytes, filename: 'rapport.pdf', type: 'text/html' },
  ]);
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json(), { kept: true, sha256: sha(bytes), type: 'application/pdf', fields: { note: 'a note lon' } });
  assert.ok(await rowOf(bytes));
  assert.ok(existsSync(fileAt(bytes)));
});

test('refusals leave no row and no bytes: type from the content, one byte over, empty, missing, NUL, not multipart', async () => {
  const html = Buffer.from('<!doctype html><html><body>not a pdf</body></html>');
  let res = await send([{ name: 'file', value: html, filename: 'faux.pdf', type: 'application/pdf' }]);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Ce type de fichier n’est pas accepté\. Formats acceptés : PDF/);
  await assertNothingKept(html, 'wrong type');

  const big = Buffer.concat([PDF, Buffer.alloc(MAX + 1 - PDF.length, 0x20)]);
  assert.equal(big.length, MAX + 1);
  res = await send([{ name: 'file', value: big, filename: 'gros.pdf' }]);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /dépasse la taille autorisée \(4 Ko\)/);
  await assertNothingKept(big, 'one byte over');
  // Far over the bound, followed by a field: whichever stops the file first (core/files' meter or the
  // multipart reader's own limit), the answer is the same worded 422, never a bare 413.
  const huge = Buffer.concat([PDF, Buffer.alloc(MAX * 40, 0x20)]);
  for (const parts of [
    [{ name: 'file', value: huge, filename: 'enorme.pdf' }],
    [
      { name: 'file', value: huge, filename: 'enorme.pdf' },
      { name: 'note', value: 'after the file' },
    ],
  ]) {
    res = await send(parts);
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.body, /dépasse la taille autorisée \(4 Ko\)/);
    await assertNothingKept(huge, 'far over the bound');
  }
  const exact = Buffer.concat([PDF, Buffer.alloc(MAX - PDF.length, 0x20)]);
  assert.equal((await send([{ name: 'file', value: exact, filename: 'juste.pdf' }])).statusCode, 201, 'the limit itself is accepted');

  res = await send([{ name: 'file', value: Buffer.alloc(0), filename: 'vide.pdf' }]);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Le fichier est vide/);

  res = await send([{ name: 'note', value: 'no file' }], { 'accept-language': 'en' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Choose a file/);

  const withNul = pdfOf('nul');
  res = await send([
    { name: 'file', value: withNul, filename: 'a.pdf' },
    { name: 'note', value: 'a\u0000b' },
  ]);
  assert.equal(res.statusCode, 400);
  await assertNothingKept(withNul, 'NUL after the file');

  res = await t.app.inject({ method: 'POST', url: `/api/v1/${tenant.slug}/test-uploads`, payload: { file: 'x' } });
  assert.equal(res.statusCode, 415);
});

test('a record that fails or keeps nothing takes the bytes back before the answer; bytes recorded earlier stay', async () => {
  const refused = pdfOf('refused by the record');
  let res = await send([
    { name: 'mode', value: 'refuse' },
    { name: 'file', value: refused, filename: 'a.pdf' },
  ]);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /refused by the record/);
  await assertNothingKept(refused, 'record refused');

  const forgotten = pdfOf('not recorded');
  res = await send([
    { name: 'mode', value: 'forget' },
    { name: 'file', value: forgotten, filename: 'a.pdf' },
  ]);
  assert.equal(res.statusCode, 201);
  await assertNothingKept(forgotten, 'record kept nothing');

  const shared = pdfOf('recorded first');
  assert.equal((await send([{ name: 'file', value: shared, filename: 'a.pdf' }])).statusCode, 201);
  res = await send([
    { name: 'mode', value: 'refuse' },
    { name: 'file', value: shared, filename: 'b.pdf' },
  ]);
  assert.equal(res.statusCode, 422);
  assert.ok(await rowOf(shared), 'the earlier row stays');
  assert.ok(existsSync(fileAt(shared)), 'the earlier bytes stay');
});

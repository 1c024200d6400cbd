// Windows-1252 text through storeUpload's explicit `legacyText` option: refused as before without it (other
// callers keep the UTF-8-only rule), accepted with it and kept byte for byte, binary still refused, and served
// with its charset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { coreModule } from '../core-module.ts';
import { storeUpload, recordBlob, findBlob, UploadError } from './upload.ts';
import { openBlob, servedContentType } from './send.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ modules: [coreModule] });
});
after(() => t.close());

const CSV = ['text/csv', 'text/plain'];
// "Dénomination;Montant\r\nAssociation des Œuvres;1 000 €\r\n" as Excel writes it on a French Windows.
const WIN1252 = Buffer.concat([
  Buffer.from('D'),
  Buffer.from([0xe9]),
  Buffer.from('nomination;Montant\r\nAssociation des '),
  Buffer.from([0x8c]),
  Buffer.from('uvres;1 000 '),
  Buffer.from([0x80]),
  Buffer.from('\r\n'),
]);

function upload(tenantId: string, bytes: Buffer, legacy: boolean, filename = 'liste.csv') {
  // Cut in two-byte chunks: the checks must not depend on where the stream breaks.
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 2) chunks.push(bytes.subarray(i, i + 2));
  return storeUpload(t.deps, tenantId, Readable.from(chunks), {
    maxBytes: 1024 * 1024,
    allowedTypes: CSV,
    filename,
    ...(legacy ? { legacyText: 'windows-1252' as const } : {}),
  });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UploadError);
    return error.code;
  }
  return 'accepted';
}

test('without the option, Windows-1252 text is refused as before (other callers keep the UTF-8 rule)', async () => {
  const tenant = await createTestTenant(t.db);
  assert.equal(await refusal(upload(tenant.id, WIN1252, false)), 'type_not_allowed');
});

test('with the option, Windows-1252 text is kept byte for byte and typed with its charset', async () => {
  const tenant = await createTestTenant(t.db);
  const stored = await upload(tenant.id, WIN1252, true);
  assert.deepEqual(stored, {
    sha256: createHash('sha256').update(WIN1252).digest('hex'),
    size: WIN1252.length,
    contentType: 'text/csv',
    filename: 'liste.csv',
    charset: 'windows-1252',
  });
  const opened = (await openBlob(t.deps, tenant.id, stored.sha256))!;
  const back: Buffer[] = [];
  for await (const c of opened.stream as AsyncIterable<Buffer>) back.push(c);
  assert.deepEqual(Buffer.concat(back), WIN1252);
  await t.db.transaction(tenant.id, (tx) => recordBlob(tx, stored));
  const blob = (await t.db.transaction(tenant.id, (tx) => findBlob(tx, stored.sha256)))!;
  assert.equal(blob.content_type, 'text/csv; charset=windows-1252');
  assert.equal(servedContentType(blob.content_type), 'text/csv; charset=windows-1252');
  // UTF-8 text is unchanged by the option: no charset recorded.
  const utf8 = await upload(tenant.id, Buffer.from('Dénomination;Montant\n'), true);
  assert.equal(utf8.charset, undefined);
});

test('with the option, binary data is still refused: control bytes, undefined Windows-1252 bytes, NUL', async () => {
  const tenant = await createTestTenant(t.db);
  for (const bad of [
    Buffer.from([0x41, 0xe9, 0x01, 0x42, 0x0a]), // a control byte
    Buffer.from([0x41, 0xe9, 0x81, 0x42, 0x0a]), // undefined in Windows-1252
    Buffer.from([0x41, 0xe9, 0x7f, 0x42, 0x0a]), // DEL
    Buffer.from([0x41, 0xe9, 0x00, 0x42, 0x0a]), // NUL
  ]) {
    assert.equal(await refusal(upload(tenant.id, bad, true)), 'type_not_allowed', bad.toString('hex'));
  }
});

test('served types: only windows-1252 is passed on; anything else is UTF-8, active types stay opaque', () => {
  assert.equal(servedContentType('text/csv'), 'text/csv; charset=utf-8');
  assert.equal(servedContentType('text/csv; charset=utf-7'), 'text/csv; charset=utf-8');
  assert.equal(servedContentType('text/html; charset=windows-1252'), 'application/octet-stream');
  assert.equal(servedContentType('application/pdf; charset=windows-1252'), 'application/pdf');
});

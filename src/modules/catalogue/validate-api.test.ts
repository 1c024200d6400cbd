// POST /api/v1/<slug>/validate: a CSV body or multipart (schema part, then csv), no token, the JSON report;
// unknown or hostile schemas and oversized bodies refused with a clear 4xx; limited per address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const scdl = (f: string) => readFileSync(new URL(`../../../test/fixtures/scdl/scdl-subventions/${f}`, import.meta.url));

test('a CSV body against a bundled schema gives Validata’s verdicts; a schema file in multipart works too', async () => {
  const tenant = await createTestTenant(t.db);
  const url = `/api/v1/${tenant.slug}/validate?schema=scdl-subventions`;
  const ok = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: scdl('exemple_valide.csv') });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().valid, true);
  const bad = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: scdl('exemple_invalide_erreurs_cellules.csv') });
  assert.equal(bad.json().valid, false);
  assert.ok(bad.json().errors.some((e: { code: string; row: number }) => e.code === 'type-error' && e.row > 1));
  const m = multipart([
    { name: 'schema', value: scdl('schema.json'), filename: 'schema.json', type: 'application/json' },
    { name: 'csv', value: scdl('exemple_valide.csv'), filename: 'f.csv', type: 'text/csv' },
  ]);
  const viaFile = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.slug}/validate`,
    headers: { 'content-type': m.contentType },
    payload: m.payload,
  });
  assert.equal(viaFile.statusCode, 200, viaFile.body);
  assert.equal(viaFile.json().valid, true);
});

test('unknown schema, path as schema, hostile schema file, no schema: clear 400s', async () => {
  const tenant = await createTestTenant(t.db);
  const post = (url: string, payload: Buffer | string, type = 'text/csv') => t.app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
  const unknown = await post(`/api/v1/${tenant.slug}/validate?schema=nope`, 'a\n1\n');
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().error.code, 'unknown_schema');
  assert.match(unknown.json().error.message, /Schéma inconnu : « nope »/);
  assert.equal((await post(`/api/v1/${tenant.slug}/validate?schema=${encodeURIComponent('../../../etc/passwd')}`, 'a\n')).json().error.code, 'unknown_schema');
  assert.equal((await post(`/api/v1/${tenant.slug}/validate`, 'a\n')).json().error.code, 'schema_required');
  for (const schema of [
    '{"fields": [',
    JSON.stringify({ fields: [{ name: 'a', type: 'string', constraints: { pattern: '(a)\\1' } }] }),
    `{"fields":[{"name":"a","type":"string","description":"${'x'.repeat(300_000)}"}]}`,
  ]) {
    const m = multipart([
      { name: 'schema', value: schema, filename: 's.json' },
      { name: 'csv', value: 'a\n1\n', filename: 'f.csv' },
    ]);
    const res = await post(`/api/v1/${tenant.slug}/validate`, m.payload, m.contentType);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_schema');
  }
});

test('a body over the limit is a 413, and each address is limited per minute', async () => {
  const tenant = await createTestTenant(t.db);
  const url = `/api/v1/${tenant.slug}/validate?schema=scdl-subventions`;
  process.env.BASTIDE_VALIDATE_MAX_BYTES = '1000';
  try {
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: scdl('exemple_valide.csv') });
    assert.equal(res.statusCode, 413);
    assert.match(res.json().error.message, /dépasse/);
  } finally {
    delete process.env.BASTIDE_VALIDATE_MAX_BYTES;
  }
  let limited = 0;
  for (let i = 0; i < 40; i++) {
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: 'a\n', remoteAddress: '203.0.113.9' });
    if (res.statusCode === 429) limited += 1;
  }
  assert.ok(limited >= 10, `limited ${limited}`);
  const other = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: 'a\n', remoteAddress: '203.0.113.10' });
  assert.equal(other.statusCode, 200);
});

test('Done means: the 11 Validata fixtures and every example file get their verdicts through the API too', async () => {
  const tenant = await createTestTenant(t.db);
  const root = new URL('../../../test/fixtures/scdl/', import.meta.url);
  const fixtures = new URL('scdl-subventions/validata-fixtures/', root);
  const expected = parse(readFileSync(new URL('expected.csv', fixtures)), { columns: true }) as Array<{
    file: string;
    expected_valid: string;
    expected_error_code: string;
    expected_message_fragment: string;
  }>;
  assert.equal(expected.length, 11);
  let address = 0;
  const validate = (schema: string, body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/${tenant.slug}/validate?schema=${schema}`,
      headers: { 'content-type': 'text/csv' },
      payload: body,
      // One address each: the per-address limit is not what this test is about.
      remoteAddress: `192.0.2.${++address}`,
    });
  for (const e of expected) {
    const res = await validate('scdl-subventions', readFileSync(new URL(e.file, fixtures)));
    assert.equal(res.statusCode, 200, e.file);
    const report = res.json<{ valid: boolean; errors: Array<{ code: string; message: string }> }>();
    assert.equal(report.valid, e.expected_valid === 'true', e.file);
    if (report.valid) continue;
    assert.equal(report.errors.length, 1, e.file);
    assert.equal(report.errors[0]!.code, e.expected_error_code, e.file);
    assert.ok(report.errors[0]!.message.includes(e.expected_message_fragment), e.file);
  }
  // Every example beside a schema (the same list as validation/scdl-examples.test.ts), against its folder's schema.
  const examples = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(new URL(`${d.name}/`, root))
        .filter((f) => /^exemple.*valide.*\.csv$/.test(f))
        .map((f) => [d.name, f] as const),
    );
  assert.equal(examples.length, 7);
  for (const [folder, file] of examples) {
    const res = await validate(folder, readFileSync(new URL(`${folder}/${file}`, root)));
    const report = res.json<{ valid: boolean; errors: unknown[] }>();
    assert.equal(report.valid, !/invalide/.test(file), `${folder}/${file}`);
    if (/invalide/.test(file)) assert.ok(report.errors.length > 0);
  }
});

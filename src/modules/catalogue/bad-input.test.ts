// Issue 12's "Bad input", through HTTP (the staff page's upload and POST /api/v1/<slug>/validate): broken CSV
// (ragged rows, an unterminated quote, binary data), a schema that is not a Table Schema, a file over the size
// limit, an unknown schema name. Each gets a clear, localised error naming the problem, and nothing
// half-written is left: no version or resource row, no blob row, no stored bytes, no temporary file.
// (The CLI's side is in test/cli/data.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, multipart, uploadFile, type Catalogue } from '../../../test/support/catalogue/datasets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const VALID = readFileSync(new URL('./seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');
const HEADER = VALID.split('\n')[0]!;
const ROW = VALID.split('\n')[1]!;
const RAGGED = `${HEADER}\n${ROW},en trop,encore\n${ROW.split(',').slice(0, 5).join(',')}\n`;
const UNTERMINATED = `${HEADER}\n${ROW}\n${ROW.replace('Fonctionnement', '"Fonctionnement jamais fermé')}\n${ROW}\n`;
const BINARY = Buffer.concat([Buffer.from('nomAttribuant,idAttribuant\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(64)]);

interface Left {
  resources: number;
  versions: number;
  blobs: number;
  files: string[];
  temps: string[];
}

async function left(c: Catalogue): Promise<Left> {
  const counts = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ resources: number; versions: number; blobs: number }>(
      `select (select count(*)::int from catalogue_resources) as resources, (select count(*)::int from catalogue_resource_versions) as versions,
              (select count(*)::int from blobs) as blobs`,
    ),
  );
  const dir = join(t.config.dataDir, 'files', c.tenant.id);
  const tmp = join(t.config.dataDir, 'tmp', 'uploads');
  // The page is sent before the request's `finally` has deleted what it stored (a rename aside, then rm):
  // let that finish, then look.
  for (let i = 0; i < 100 && existsSync(tmp) && readdirSync(tmp).length; i++) await new Promise((r) => setTimeout(r, 20));
  return {
    ...counts!,
    files: existsSync(dir) ? readdirSync(dir).flatMap((p) => readdirSync(join(dir, p))) : [],
    temps: existsSync(tmp) ? readdirSync(tmp) : [],
  };
}

const NOTHING: Left = { resources: 0, versions: 0, blobs: 0, files: [], temps: [] };

async function report(c: Catalogue, page: string) {
  const html = (await t.app.inject({ url: page, headers: c.steward.headers })).body;
  const href = [...html.matchAll(/href="([^"]+\/rapport)"/g)].map((m) => m[1]!).pop()!;
  return (await t.app.inject({ url: `${href}.json`, headers: c.steward.headers })).json<{
    valid: boolean;
    errors: { code: string; row: number | null; column: number | null; message: string }[];
  }>();
}

test('staff upload: ragged rows and an unterminated quote are stored (the steward’s file) with a report naming each problem', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  assert.equal((await uploadFile(t, c.steward, d.page, { name: 'ragged.csv', body: RAGGED })).statusCode, 303);
  const ragged = await report(c, d.page);
  assert.equal(ragged.valid, false);
  assert.deepEqual(
    ragged.errors.filter((e) => e.code === 'extra-cell').map((e) => [e.row, e.column]),
    [
      [2, 17],
      [2, 18],
    ],
  );
  assert.ok(ragged.errors.some((e) => e.code === 'missing-cell' && e.row === 3));
  assert.equal((await uploadFile(t, c.steward, d.page, { name: 'quote.csv', body: UNTERMINATED })).statusCode, 303);
  const quote = await report(c, d.page);
  assert.deepEqual(
    quote.errors.map((e) => e.code),
    ['source-error'],
  );
  assert.match(quote.errors[0]!.message, /Le champ entre guillemets qui commence à la ligne 3 du fichier n'est jamais refermé/);
});

test('staff upload: binary data, a file over the limit, a refused record — a localised 4xx and nothing left behind', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const binary = await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body: BINARY });
  assert.equal(binary.statusCode, 422);
  assert.match(binary.body, /Ce type de fichier n’est pas accepté/);
  assert.deepEqual(await left(c), NOTHING);
  process.env.BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES = '2048';
  try {
    const big = await uploadFile(t, c.steward, d.page, { name: 'gros.csv', body: VALID });
    assert.ok([413, 422].includes(big.statusCode), String(big.statusCode));
    assert.match(big.body, /dépasse/);
  } finally {
    delete process.env.BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES;
  }
  assert.deepEqual(await left(c), NOTHING);
  // The bytes are stored before the record is written: a record refused (a title too long) takes them back.
  const refused = await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body: VALID }, { title: 'x'.repeat(300) });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /200 caractères/);
  assert.deepEqual(await left(c), NOTHING);
});

test('dataset form: an unknown schema name and a schema that is not a Table Schema are named, and the dataset is unchanged', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const before = await t.db.transaction(c.tenant.id, (tx) => tx.one<Record<string, unknown>>('select * from catalogue_datasets where id = $1', [d.id]));
  const journal = async () =>
    (await t.db.ownerTransaction((tx) => tx.one<{ n: number }>(`select count(*)::int as n from journal_entries where tenant_id = $1`, [c.tenant.id])))!.n;
  const entries = await journal();
  const unknown = await postForm(t, c.steward, d.page, { title: 'Subventions', schema: 'scdl-nope' });
  assert.equal(unknown.statusCode, 422);
  assert.match(unknown.body, /Schéma inconnu/);
  assert.match(unknown.body, /scdl-nope/);
  const notSchema = await postForm(t, c.steward, d.page, {
    title: 'Subventions',
    schema: 'custom',
    custom_schema: JSON.stringify({ fields: [{ name: 'a', type: 'texte' }] }),
  });
  assert.equal(notSchema.statusCode, 422);
  assert.match(notSchema.body, /pas un Table Schema utilisable/);
  assert.match(notSchema.body, /texte/);
  const after = await t.db.transaction(c.tenant.id, (tx) => tx.one<Record<string, unknown>>('select * from catalogue_datasets where id = $1', [d.id]));
  assert.deepEqual(after, before);
  assert.equal(await journal(), entries, 'no journal entry for a refused change');
});

test('validation API: broken CSV gets a report naming the problem; schema and size problems are clear 4xx, in French or English', async () => {
  const c = await catalogueTenant(t);
  const url = `/api/v1/${c.tenant.slug}/validate?schema=scdl-subventions`;
  let address = 0;
  const post = (payload: string | Buffer, headers: Record<string, string> = {}, u = url) =>
    t.app.inject({ method: 'POST', url: u, headers: { 'content-type': 'text/csv', ...headers }, payload, remoteAddress: `198.51.100.${++address}` });
  const ragged = (await post(RAGGED)).json<{ errors: { code: string; row: number }[] }>();
  assert.ok(ragged.errors.some((e) => e.code === 'extra-cell' && e.row === 2));
  assert.ok(ragged.errors.some((e) => e.code === 'missing-cell' && e.row === 3));
  const quote = (await post(UNTERMINATED, { 'accept-language': 'en' })).json<{ errors: { code: string; message: string }[] }>();
  assert.deepEqual(
    quote.errors.map((e) => e.code),
    ['source-error'],
  );
  assert.match(quote.errors[0]!.message, /The quoted field that starts on line 3 of the file is never closed/);
  const binary = await post(BINARY, { 'content-type': 'application/octet-stream' });
  assert.equal(binary.statusCode, 200);
  assert.match(binary.json<{ errors: { message: string }[] }>().errors[0]!.message, /octets nuls/);
  const unknown = await post('a\n', { 'accept-language': 'en' }, `/api/v1/${c.tenant.slug}/validate?schema=scdl-nope`);
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json<{ error: { message: string } }>().error.message, /scdl-nope/);
  const m = multipart([
    { name: 'schema', value: JSON.stringify({ fields: [{ name: 'a', type: 'texte' }] }), filename: 's.json' },
    { name: 'csv', value: 'a\n1\n', filename: 'f.csv' },
  ]);
  const invalid = await post(m.payload, { 'content-type': m.contentType }, `/api/v1/${c.tenant.slug}/validate`);
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json<{ error: { code: string } }>().error.code, 'invalid_schema');
  assert.match(invalid.json<{ error: { message: string } }>().error.message, /texte/);
  process.env.BASTIDE_VALIDATE_MAX_BYTES = '1024';
  try {
    const big = await post(VALID);
    assert.equal(big.statusCode, 413);
    assert.match(big.json<{ error: { message: string } }>().error.message, /dépasse/);
    const bigMulti = multipart([{ name: 'csv', value: VALID, filename: 'f.csv' }]);
    const big2 = await post(bigMulti.payload, { 'content-type': bigMulti.contentType, 'accept-language': 'en' });
    assert.equal(big2.statusCode, 413);
  } finally {
    delete process.env.BASTIDE_VALIDATE_MAX_BYTES;
  }
  // The endpoint stores nothing, ever.
  assert.deepEqual(await left(c), NOTHING);
});

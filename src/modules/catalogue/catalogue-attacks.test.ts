// Attacks on the catalogue through HTTP: every collectivité's staff is an adversary of every other one,
// anonymous visitors and citizens see nothing unpublished, a steward cannot publish, files and schemas
// are hostile input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, uploadFile } from '../../../test/support/catalogue/datasets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const VALID = readFileSync(new URL('./seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');

function blobFiles(tenantId: string): string[] {
  const dir = join(t.config.dataDir, 'files', tenantId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((p) => readdirSync(join(dir, p)));
}

test('a steward of A cannot read, edit, upload to or publish a dataset of B, by either address', async () => {
  const a = await catalogueTenant(t);
  const b = await catalogueTenant(t);
  const d = await makeDataset(t, b);
  // B's dataset id under A's address: row-level security hides it — it does not exist (404).
  const underA = `${a.base}/${d.id}`;
  assert.equal((await t.app.inject({ url: underA, headers: a.steward.headers })).statusCode, 404);
  assert.equal((await postForm(t, a.steward, underA, { title: 'Piraté' })).statusCode, 404);
  assert.equal((await postForm(t, a.admin, `${underA}/etat`, { op: 'submit' })).statusCode, 404);
  assert.equal((await postForm(t, a.admin, `${underA}/etat`, { op: 'approve' })).statusCode, 404);
  assert.equal((await uploadFile(t, a.steward, underA, { name: 'x.csv', body: VALID })).statusCode, 404);
  // Under B's address A's people hold no role: refused before anything is read.
  for (const res of [
    await t.app.inject({ url: d.page, headers: a.steward.headers }),
    await postForm(t, a.admin, `${d.page}/etat`, { op: 'approve' }),
    await uploadFile(t, a.steward, d.page, { name: 'x.csv', body: VALID }),
  ])
    assert.ok([403, 404].includes(res.statusCode), `refused (${res.statusCode})`);
  const row = await t.db.transaction(b.tenant.id, (tx) =>
    tx.one<{ title: string; state: string }>('select title, state from catalogue_datasets where id = $1', [d.id]),
  );
  assert.deepEqual(row, { title: 'Subventions aux associations', state: 'draft' });
  assert.deepEqual(blobFiles(a.tenant.id), [], 'nothing stored for A');
  assert.deepEqual(blobFiles(b.tenant.id), [], 'nothing stored for B');
});

test('a steward submits but cannot approve; the administrator publishes; drafts are 404 to citizens and anonymous visitors', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  assert.equal((await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body: VALID }, { title: 'Subventions 2016' })).statusCode, 303);
  const publicPage = `/${c.tenant.slug}/donnees/${d.slug}`;
  for (const headers of [{}, c.citizen.headers]) {
    assert.equal((await t.app.inject({ url: publicPage, headers })).statusCode, 404, 'a draft does not exist publicly');
    assert.doesNotMatch((await t.app.inject({ url: `/${c.tenant.slug}/donnees`, headers })).body, /Subventions aux associations/);
  }
  assert.equal((await t.app.inject({ url: c.base, headers: c.citizen.headers })).statusCode, 403, 'citizens have no staff pages');
  assert.equal((await postForm(t, c.steward, `${d.page}/etat`, { op: 'approve' })).statusCode, 403, 'cannot approve a draft either');
  assert.equal((await postForm(t, c.steward, `${d.page}/etat`, { op: 'submit' })).statusCode, 303);
  assert.equal((await postForm(t, c.steward, `${d.page}/etat`, { op: 'approve' })).statusCode, 403, 'a steward does not publish');
  assert.equal((await t.app.inject({ url: publicPage })).statusCode, 404, 'in review: still not public');
  assert.equal((await postForm(t, c.admin, `${d.page}/etat`, { op: 'approve' })).statusCode, 303);
  const pub = await t.app.inject({ url: publicPage });
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /Conforme au schéma/);
  assert.match(pub.body, /<th scope="col">nomAttribuant<\/th>/, 'a preview of the first rows');
  const journal = await t.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ action: string }>(`select action from journal_entries where subject_id = $1 order by at, id`, [d.id]),
  );
  assert.deepEqual(
    journal.map((j) => j.action),
    ['catalogue.dataset.create', 'catalogue.dataset.update', 'catalogue.resource.upload', 'catalogue.dataset.submit', 'catalogue.dataset.approve'],
  );
});

test('a dataset holding personal data is not published without a recorded decision', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c, { personal_data: 'true' });
  await postForm(t, c.steward, `${d.page}/etat`, { op: 'submit' });
  const refused = await postForm(t, c.admin, `${d.page}/etat`, { op: 'approve' });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /motivez la décision/);
  assert.equal((await postForm(t, c.admin, `${d.page}/etat`, { op: 'approve', decision: 'court' })).statusCode, 422);
  const state = () =>
    t.db.transaction(c.tenant.id, (tx) =>
      tx.one<{ state: string; personal_data_decision: string | null }>('select state, personal_data_decision from catalogue_datasets where id = $1', [d.id]),
    );
  assert.deepEqual(await state(), { state: 'in_review', personal_data_decision: null });
  const reason = 'Noms des élus : publication prévue par le CGCT (art. L2121-25).';
  assert.equal((await postForm(t, c.admin, `${d.page}/etat`, { op: 'approve', decision: reason })).statusCode, 303);
  assert.deepEqual(await state(), { state: 'published', personal_data_decision: reason });
  const entry = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ data: { personal_data_decision: string } }>(`select data from journal_entries where subject_id = $1 and action = 'catalogue.dataset.approve'`, [
      d.id,
    ]),
  );
  assert.equal(entry!.data.personal_data_decision, reason);
  // And at the SQL level: the table itself refuses a published personal dataset without a decision.
  await assert.rejects(t.db.transaction(c.tenant.id, (tx) => tx.execute(`update catalogue_datasets set personal_data_decision = null where id = $1`, [d.id])));
});

test('an upload over the size limit is refused and leaves no blob', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  process.env.BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES = '4096';
  try {
    const res = await uploadFile(t, c.steward, d.page, { name: 'gros.csv', body: VALID });
    // Stopped by the multipart reader one byte past the limit (413, core's localised message) or by the upload's meter (422).
    assert.ok([413, 422].includes(res.statusCode), String(res.statusCode));
    assert.match(res.body, /dépasse|trop (gros|volumineux)|taille/i, res.body.slice(0, 500));
  } finally {
    delete process.env.BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES;
  }
  assert.deepEqual(blobFiles(c.tenant.id), []);
  const rows = await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from blobs'));
  assert.equal(rows!.n, 0);
  const tmp = join(t.config.dataDir, 'tmp', 'uploads');
  assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'no temp file left');
});

test('hostile schemas are refused with a clear message and nothing is stored', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  const field = (extra: object) => JSON.stringify({ fields: [{ name: 'a', type: 'string', ...extra }] });
  const cases: Array<[string, string, RegExp]> = [
    ['huge', JSON.stringify({ fields: [{ name: 'a', type: 'string', description: 'x'.repeat(300 * 1024) }] }), /dépasse la taille permise/],
    ['not JSON', '{"fields": [', /pas un Table Schema utilisable/],
    ['not a Table Schema', JSON.stringify({ hello: 'world' }), /pas un Table Schema utilisable/],
    ['unknown type', field({ type: 'shellcode' }), /pas un Table Schema utilisable/],
    ['evil pattern', field({ constraints: { pattern: '(a+)+$' } }), /./],
    ['too complex pattern', field({ constraints: { pattern: '((((a{1,100}){1,100}){1,100}){1,100})' } }), /pas un Table Schema utilisable/],
    ['backreference', field({ constraints: { pattern: '(a)\\1' } }), /pas un Table Schema utilisable/],
  ];
  for (const [name, schema, message] of cases) {
    const res = await postForm(t, c.steward, d.page, { title: 'Subventions aux associations', schema: 'custom', custom_schema: schema });
    if (name === 'evil pattern') {
      // RE2 runs (a+)+$ in linear time: it is an acceptable schema, and validating with it cannot freeze the process.
      assert.equal(res.statusCode, 303, name);
      continue;
    }
    assert.equal(res.statusCode, 422, name);
    assert.match(res.body, message, name);
  }
  const stored = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ custom_schema: unknown; schema_name: string | null }>('select custom_schema, schema_name from catalogue_datasets where id = $1', [d.id]),
  );
  assert.deepEqual((stored!.custom_schema as { fields: Array<{ constraints: { pattern: string } }> }).fields[0]!.constraints.pattern, '(a+)+$');
  // An evil pattern against a hostile value validates quickly.
  const started = Date.now();
  const res = await uploadFile(t, c.steward, d.page, { name: 'evil.csv', body: `a\n${'a'.repeat(50_000)}!\n` });
  assert.equal(res.statusCode, 303);
  assert.ok(Date.now() - started < 5000);
  // A schema name that is a path is not a schema.
  const traversal = await postForm(t, c.steward, d.page, { title: 'x', schema: '../../../../etc/passwd' });
  assert.equal(traversal.statusCode, 422);
  assert.match(traversal.body, /Schéma inconnu/);
});

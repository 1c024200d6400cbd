// Attacks on the tabular API and its store, written before trusting it: SQL through column names (in
// the query string and in a file's own header) and through values, another collectivité's resource by id,
// a draft's rows without the right role, the application role writing to or reading across loaded tables;
// and a load that fails midway leaves the previous version queryable, with nothing half-written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiToken, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, uploadFile, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { loadedResource, loadsOf, runLoads, type LoadedResource } from '../../../../test/support/catalogue/tabular.ts';

const CSV = readFileSync(new URL('../seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');
const ROWS = CSV.trim().split('\n').length - 1;

// A schema whose field names are SQL, quotes and markup: they are data, never identifiers.
const HOSTILE_NAMES = ['a"); drop table catalogue_datasets; --', "b' or '1'='1", 'c__exact', '<script>x</script>'];
const HOSTILE_SCHEMA = JSON.stringify({
  fields: [
    { name: HOSTILE_NAMES[0], type: 'string' },
    { name: HOSTILE_NAMES[1], type: 'integer' },
    { name: HOSTILE_NAMES[2], type: 'string' },
    { name: HOSTILE_NAMES[3], type: 'string' },
  ],
});
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
const HOSTILE_CSV = [HOSTILE_NAMES.map(csvCell).join(','), 'x,1,y,z', 'x2,2,y2,z2', "'; delete from catalogue_datasets; --,3,y3,z3"].join('\n') + '\n';

let t: TestApp;
let a: Catalogue;
let b: Catalogue;
let published: LoadedResource;
let draft: LoadedResource;
before(async () => {
  t = await startTestApp();
  a = await catalogueTenant(t);
  b = await catalogueTenant(t);
  published = await loadedResource(t, a, CSV, { title: 'Publié' });
  draft = await loadedResource(t, a, CSV, { title: 'Brouillon', publish: false });
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const datasetCount = () => t.db.transaction(a.tenant.id, async (tx) => (await tx.one<{ n: number }>('select count(*)::int as n from catalogue_datasets'))!.n);

test('SQL in a column name of the query string is an unknown column, and runs nowhere', async () => {
  const before = await datasetCount();
  for (const name of ['montant"; drop table catalogue_datasets; --', 'c1', 'row_number', 'tenant_id', '1=1) or (montant', 'montant::text']) {
    for (const op of ['exact', 'sort']) {
      const res = await get(`${published.api}/rows?${encodeURIComponent(`${name}__${op}`)}=${op === 'sort' ? 'asc' : '1'}`);
      assert.equal(res.statusCode, 400, `${name}__${op}`);
      assert.equal(res.json().error.code, 'unknown_column');
    }
    assert.equal((await get(`${published.api}/rows?columns=${encodeURIComponent(name)}`)).statusCode, 400);
  }
  assert.equal(await datasetCount(), before);
});

test('SQL in values is a value: it matches nothing or is refused', async () => {
  const before = await datasetCount();
  const exact = await get(`${published.api}/rows?nomBeneficiaire__exact=${encodeURIComponent("' or 1=1 --")}`);
  assert.equal(exact.statusCode, 200);
  assert.equal(exact.json().meta.total, 0);
  const inList = await get(`${published.api}/rows?nomBeneficiaire__in=${encodeURIComponent("a') or ('1'='1,b")}`);
  assert.equal(inList.json().meta.total, 0);
  assert.equal((await get(`${published.api}/rows?montant__in=${encodeURIComponent('1,2) or (1=1')}`)).statusCode, 400);
  assert.equal((await get(`${published.api}/rows?montant__greater=${encodeURIComponent('0 or 1=1')}`)).statusCode, 400);
  const contains = await get(`${published.api}/rows?objet__contains=${encodeURIComponent("%' or '1'='1")}`);
  assert.equal(contains.json().meta.total, 0);
  assert.equal(await datasetCount(), before);
});

test('a file whose header is SQL and markup loads, and its columns are filtered by name as data', async () => {
  const r = await loadedResource(t, a, HOSTILE_CSV, { title: 'Colonnes hostiles', fields: { schema: 'custom', custom_schema: HOSTILE_SCHEMA } });
  const loads = await loadsOf(t, a.tenant.id, r.resourceId);
  assert.equal(loads[0]!.state, 'done', loads[0]!.error ?? '');
  const page = (await get(`${r.api}/rows`)).json();
  assert.equal(page.meta.total, 3);
  assert.deepEqual(Object.keys(page.data[0]), ['__id', ...HOSTILE_NAMES]);
  assert.equal(page.data[2][HOSTILE_NAMES[0]!], "'; delete from catalogue_datasets; --");
  const q = new URLSearchParams([
    [`${HOSTILE_NAMES[1]}__greater`, '2'],
    [`${HOSTILE_NAMES[0]}__sort`, 'desc'],
  ]);
  const filtered = (await get(`${r.api}/rows?${q}`)).json();
  assert.deepEqual(
    filtered.data.map((d: Record<string, unknown>) => d[HOSTILE_NAMES[1]!]),
    [2, 3],
  );
  // `c__exact` is a column whose name ends like an operator: the last `__` splits.
  const tricky = (await get(`${r.api}/rows?${new URLSearchParams([[`${HOSTILE_NAMES[2]}__exact`, 'y2']])}`)).json();
  assert.equal(tricky.meta.total, 1);
  assert.equal(await datasetCount(), 3);
});

test('another collectivité’s resource by id, under either address, is a 404', async () => {
  const foreign = published.api.replace(`/api/v1/${a.tenant.slug}/`, `/api/v1/${b.tenant.slug}/`);
  for (const suffix of ['/rows', '/rows.csv', '/rows.jsonl', '/profile', '/swagger.json']) {
    assert.equal((await get(`${foreign}${suffix}`, b.admin.headers)).statusCode, 404, suffix);
  }
  // B's own dataset, A's resource id.
  const mine = await loadedResource(t, b, CSV, { title: 'À B' });
  const crossed = mine.api.replace(mine.resourceId, published.resourceId);
  assert.equal((await get(`${crossed}/rows`, b.admin.headers)).statusCode, 404);
  assert.equal((await get(`${crossed}/rows`, a.admin.headers)).statusCode, 404);
});

test('a draft’s rows: a 404 anonymously, for a citizen, an agent or another collectivité’s steward; readable with a steward’s token', async () => {
  const bearer = async (tenantId: string, role: 'agent' | 'data_steward') => ({ authorization: `Bearer ${await apiToken(t, tenantId, role)}` });
  for (const headers of [{}, a.citizen.headers, b.admin.headers, a.steward.headers, await bearer(a.tenant.id, 'agent')]) {
    for (const suffix of ['/rows', '/rows.csv', '/rows.jsonl', '/profile', '/swagger.json']) {
      assert.equal((await get(`${draft.api}${suffix}`, headers)).statusCode, 404, suffix);
    }
  }
  assert.notEqual((await get(`${draft.api}/rows`, await bearer(b.tenant.id, 'data_steward'))).statusCode, 200);
  const own = await get(`${draft.api}/rows`, await bearer(a.tenant.id, 'data_steward'));
  assert.equal(own.statusCode, 200);
  assert.equal(own.json().meta.total, ROWS);
  assert.match(String(own.headers['cache-control']), /private/);
});

test('the application role reads a loaded table of its own collectivité only, and writes none', async () => {
  const [load] = await loadsOf(t, a.tenant.id, published.resourceId);
  const table = load!.table_name;
  const count = (tenant: string) => t.db.transaction(tenant, async (tx) => (await tx.one<{ n: number }>(`select count(*)::int as n from ${table}`))!.n);
  assert.equal(await count(a.tenant.id), ROWS);
  assert.equal(await count(b.tenant.id), 0);
  for (const sql of [
    `insert into ${table} (c1) values ('x')`,
    `update ${table} set c1 = 'x'`,
    `delete from ${table}`,
    `truncate ${table}`,
    `drop table ${table}`,
  ]) {
    await assert.rejects(
      t.db.transaction(a.tenant.id, (tx) => tx.execute(sql)),
      /permission denied|must be owner/,
      sql,
    );
  }
  assert.equal(await count(a.tenant.id), ROWS);
});

test('a load that fails midway leaves the previous version queryable and no table behind', async () => {
  const r = await loadedResource(t, a, CSV, { title: 'Deux versions' });
  const [first] = await loadsOf(t, a.tenant.id, r.resourceId);
  // Version 2, valid when uploaded; then its stored bytes get a ragged row far into the file, so COPY fails
  // after the first pieces were written.
  const up = await uploadFile(t, a.steward, r.dataset.page, { name: 'v2.csv', body: CSV }, { resource: r.resourceId });
  assert.equal(up.statusCode, 303);
  const v2 = (await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ sha256: string }>('select sha256 from catalogue_resource_versions where resource_id = $1 and version = 2', [r.resourceId]),
  ))!;
  const lines = CSV.trim().split('\n');
  const broken = [lines[0], ...Array.from({ length: 400 }, () => lines.slice(1)).flat(), 'a,b,c'].join('\n') + '\n';
  writeFileSync(join(t.config.dataDir, 'files', a.tenant.id, v2.sha256.slice(0, 2), v2.sha256), broken);
  process.env.BASTIDE_TABULAR_PIECE_BYTES = '4096';
  try {
    assert.equal(await runLoads(t, a.tenant.id), 1);
  } finally {
    delete process.env.BASTIDE_TABULAR_PIECE_BYTES;
  }
  const loads = await loadsOf(t, a.tenant.id, r.resourceId);
  assert.equal(loads.length, 2);
  assert.equal(loads[0]!.id, first!.id);
  assert.equal(loads[0]!.current, true);
  assert.equal(loads[1]!.state, 'failed');
  assert.ok(loads[1]!.rows_loaded > 0, 'some pieces were copied before the failure');
  assert.ok(loads[1]!.error);
  const left = await t.db.ownerTransaction((tx) => tx.one<{ t: string | null }>('select to_regclass($1)::text as t', [loads[1]!.table_name]));
  assert.equal(left!.t, null, 'the half-filled table is dropped');
  const page = await get(`${r.api}/rows`);
  assert.equal(page.statusCode, 200);
  assert.equal(page.json().meta.total, ROWS);
  // The journal says what happened.
  const journal = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ action: string }>(`select action from journal_entries where action like 'catalogue.resource.load%' order by at, id`),
  );
  assert.ok(journal.some((j) => j.action === 'catalogue.resource.load_failed'));
});

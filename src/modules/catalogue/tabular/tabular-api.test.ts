// The tabular API through HTTP, on a loaded SCDL subventions file: api-tabular's response shape, each
// filter against the rows computed from the file itself, sorting by typed values, column selection,
// pagination links, the streamed CSV and JSON Lines, the per-resource OpenAPI document, and the errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { loadedResource, loadsOf, runLoads, type LoadedResource } from '../../../../test/support/catalogue/tabular.ts';
import { parseRecord } from './chunks.ts';

const CSV = readFileSync(new URL('../seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');
const lines = CSV.trim().split('\n');
const header = parseRecord(lines[0]!, ',');
const records = lines.slice(1).map((l) => Object.fromEntries(parseRecord(l, ',').map((v, i) => [header[i]!, v])));

let t: TestApp;
let c: Catalogue;
let r: LoadedResource;
before(async () => {
  t = await startTestApp();
  c = await catalogueTenant(t);
  r = await loadedResource(t, c, CSV);
});
after(() => t.close());

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await t.app.inject({ url, headers });
  return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body), headers: res.headers };
};

test('the load put every row of the file in the store', async () => {
  const loads = await loadsOf(t, c.tenant.id, r.resourceId);
  assert.equal(loads.length, 1);
  assert.equal(loads[0]!.state, 'done');
  assert.equal(loads[0]!.current, true);
  assert.equal(loads[0]!.rows_loaded, records.length);
});

test("a page has api-tabular's shape: data with __id, links, meta", async () => {
  const res = await get(`${r.api}/rows`);
  assert.equal(res.status, 200);
  const body = res.json();
  assert.equal(body.meta.total, records.length);
  assert.equal(body.meta.page, 1);
  assert.equal(body.meta.page_size, 20);
  assert.equal(body.data.length, 20);
  assert.equal(body.data[0].__id, 1);
  assert.equal(body.data[0].nomBeneficiaire, records[0]!.nomBeneficiaire);
  // Numbers are numbers, empty cells null.
  assert.equal(body.data[0].montant, Number(records[0]!.montant));
  assert.equal(body.data[0].idRAE, null);
  assert.match(body.links.next, /\/rows\?page=2&page_size=20$/);
  assert.equal(body.links.prev, null);
  assert.match(body.links.swagger, /\/swagger\.json$/);
  assert.match(body.links.profile, /\/profile$/);
  const second = (await get(body.links.next.replace(t.config.baseUrl, ''))).json();
  assert.equal(second.data[0].__id, 21);
  assert.equal(second.links.next, null);
  assert.match(second.links.prev, /page=1/);
});

test('filters match what the file says', async () => {
  const ids = async (query: string) => ((await get(`${r.api}/rows?${query}&page_size=50`)).json().data as Array<{ __id: number }>).map((d) => d.__id);
  const expect = (pred: (rec: Record<string, string>) => boolean) => records.map((rec, i) => (pred(rec) ? i + 1 : 0)).filter(Boolean);
  const m = (rec: Record<string, string>) => Number(rec.montant);
  assert.deepEqual(
    await ids('montant__greater=10000'),
    expect((rec) => m(rec) >= 10000),
  );
  assert.deepEqual(
    await ids('montant__strictly_less=5000'),
    expect((rec) => m(rec) < 5000),
  );
  assert.deepEqual(
    await ids('montant__exact=33000'),
    expect((rec) => m(rec) === 33000),
  );
  assert.deepEqual(
    await ids('montant__exact=33000.00'),
    expect((rec) => m(rec) === 33000),
    'numbers compare as numbers',
  );
  assert.deepEqual(
    await ids('nature__differs=aide en numéraire'),
    expect((rec) => rec.nature !== 'aide en numéraire'),
  );
  assert.deepEqual(
    await ids('nomBeneficiaire__contains=rallye'),
    expect((rec) => /rallye/i.test(rec.nomBeneficiaire!)),
  );
  assert.deepEqual(
    await ids('conditionsVersement__in=unique,échelonné'),
    expect((rec) => ['unique', 'échelonné'].includes(rec.conditionsVersement!)),
  );
  assert.deepEqual(
    await ids('dateConvention__less=2014-01-01'),
    expect((rec) => rec.dateConvention! <= '2014-01-01'),
  );
  assert.deepEqual(
    await ids('idRAE__isnull'),
    expect((rec) => rec.idRAE === ''),
  );
  assert.deepEqual(
    await ids('idBeneficiaire__isnotnull&montant__greater=20000'),
    expect((rec) => rec.idBeneficiaire !== '' && m(rec) >= 20000),
  );
  // LIKE's wildcards are text.
  assert.deepEqual(
    await ids('nomBeneficiaire__contains=%25'),
    expect((rec) => rec.nomBeneficiaire!.includes('%')),
  );
});

test('sorting by a number column sorts by value (ascending: empty cells last, then by line; descending: the exact reverse)', async () => {
  const asc = (await get(`${r.api}/rows?montant__sort=asc&page_size=50&columns=montant`)).json();
  const body = (await get(`${r.api}/rows?montant__sort=desc&page_size=50&columns=montant`)).json();
  const got = body.data.map((d: { montant: number | null }) => d.montant);
  const expected = records.map((rec) => (rec.montant === '' ? null : Number(rec.montant))).sort((a, b) => (a === null ? -1 : b === null ? 1 : b - a));
  assert.deepEqual(got, expected);
  assert.deepEqual(
    body.data.map((d: { __id: number }) => d.__id),
    asc.data.map((d: { __id: number }) => d.__id).reverse(),
  );
  assert.deepEqual(Object.keys(body.data[0]), ['__id', 'montant']);
});

test('rows.csv and rows.jsonl stream every matching row with the same filters', async () => {
  const csv = await get(`${r.api}/rows.csv?montant__greater=10000&montant__sort=asc&columns=nomBeneficiaire,montant`);
  assert.equal(csv.status, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  const csvLines = csv.body.trim().split('\r\n');
  assert.equal(csvLines[0], 'nomBeneficiaire,montant');
  const expected = records.filter((rec) => Number(rec.montant) >= 10000).sort((a, b) => Number(a.montant) - Number(b.montant));
  assert.equal(csvLines.length - 1, expected.length);
  assert.deepEqual(
    csvLines.slice(1).map((l) => parseRecord(l, ',')[1]),
    expected.map((rec) => rec.montant),
  );
  const jsonl = await get(`${r.api}/rows.jsonl`);
  const objects = jsonl.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(objects.length, records.length);
  assert.equal(objects[records.length - 1].__id, records.length);
});

test('the resource describes itself: profile and its own OpenAPI document', async () => {
  const profile = (await get(`${r.api}/profile`)).json();
  assert.equal(profile.rows, records.length);
  assert.deepEqual(
    profile.columns.map((col: { name: string }) => col.name),
    header,
  );
  const montant = profile.columns.find((col: { name: string }) => col.name === 'montant');
  assert.equal(montant.type, 'number');
  assert.ok(montant.filters.includes('greater'));
  const swagger = (await get(`${r.api}/swagger.json`)).json();
  assert.equal(swagger.openapi, '3.1.0');
  const params = swagger.paths[`${r.api}/rows`].get.parameters.map((p: { name: string }) => p.name);
  assert.ok(params.includes('montant__greater'));
  assert.ok(params.includes('nomBeneficiaire__contains'));
  assert.ok(!params.includes('nomBeneficiaire__greater'), 'text columns have no range filters');
  // The generic endpoint is in the main document.
  const openapi = (await get('/api/openapi.json')).json();
  assert.ok(openapi.paths['/api/v1/{tenant}/datasets/{dataset}/resources/{resource}/rows']);
});

test('bad input: an unknown column, operator, value or page is a 400 that names it, in French and English', async () => {
  const unknown = await get(`${r.api}/rows?inexistante__exact=1`);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json().error.code, 'unknown_column');
  assert.match(unknown.body, /inexistante/);
  assert.match(unknown.body, /n’existe pas/);
  const en = await get(`${r.api}/rows?inexistante__sort=asc`, { 'accept-language': 'en' });
  assert.equal(en.status, 400);
  assert.match(en.body, /Column “inexistante” does not exist/);
  const op = await get(`${r.api}/rows?montant__between=1`);
  assert.equal(op.status, 400);
  assert.match(op.body, /between/);
  assert.equal((await get(`${r.api}/rows?montant__greater=beaucoup`)).status, 400);
  assert.equal((await get(`${r.api}/rows?nomBeneficiaire__greater=A`)).status, 400);
  assert.equal((await get(`${r.api}/rows?montant__sort=up`)).status, 400);
  assert.equal((await get(`${r.api}/rows?page_size=51`)).status, 400);
  assert.equal((await get(`${r.api}/rows?columns=montant,nope`)).status, 400);
  assert.equal((await get(`${r.api}/rows.csv?nope__exact=1`)).status, 400);
});

test('the public page links each loaded resource to its API; the staff page shows the load and loads again on request', async () => {
  const page = await get(`/${c.tenant.slug}/donnees/${r.dataset.slug}`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`href="${r.api}/rows"`));
  assert.ok(page.body.includes(`href="${r.api}/swagger.json"`));
  const staff = await get(r.dataset.page, c.steward.headers);
  assert.match(staff.body, new RegExp(`Chargée dans l’API : ${records.length} lignes`));
  const reload = await t.app.inject({
    method: 'POST',
    url: `${r.dataset.page}/ressources/${r.resourceId}/charger`,
    headers: { ...c.steward.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(c.steward.csrf)}`,
  });
  assert.equal(reload.statusCode, 303);
  assert.match((await get(r.dataset.page, c.steward.headers)).body, /Chargement dans l’API en attente/);
  // A citizen may not ask for it.
  const refused = await t.app.inject({
    method: 'POST',
    url: `${r.dataset.page}/ressources/${r.resourceId}/charger`,
    headers: { ...c.citizen.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(c.citizen.csrf)}`,
  });
  assert.equal(refused.statusCode, 403);
  await runLoads(t, c.tenant.id);
  const loads = await loadsOf(t, c.tenant.id, r.resourceId);
  assert.deepEqual(
    loads.map((l) => [l.state, l.current]),
    [
      ['replaced', false],
      ['done', true],
    ],
  );
  assert.equal((await get(`${r.api}/rows`)).json().meta.total, records.length);
});

test('under row-level security, as the application role, number and date filters and sorts use the load’s indexes', async () => {
  const load = (await loadsOf(t, c.tenant.id, r.resourceId)).find((l) => l.current);
  const { findLoad, readPage } = await import('./store.ts');
  const { parseTabularQuery } = await import('./query.ts');
  const full = (await t.db.transaction(c.tenant.id, (tx) => findLoad(tx, load!.id)))!;
  for (const query of ['montant__greater=10000&montant__sort=desc', 'dateConvention__less=2014-01-01&dateConvention__sort=asc', 'montant__in=33000,1000']) {
    const q = parseTabularQuery(Object.fromEntries(new URLSearchParams(query)), full.columns, { paged: true });
    const plan = await t.db.transaction(c.tenant.id, async (tx) => {
      // With sequential scans discouraged, a plan still reading the whole table means no index could serve
      // the condition (a comparison that is not leakproof is kept above the policy and off the index).
      await tx.query(`select set_config('enable_seqscan', 'off', true)`);
      const where = ['tenant_id = app_tenant()', ...q.where].join(' and ');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`explain select row_number from ${full.table_name} where ${where}`, q.params);
      return rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /Index|Bitmap/, `${query}:\n${plan}`);
    assert.doesNotMatch(plan, /Seq Scan/, `${query}:\n${plan}`);
    assert.ok((await t.db.transaction(c.tenant.id, (tx) => readPage(tx, full, q))).total >= 0);
  }
});

test('a stream read in small chunks (keyset) gives the same rows in the same order as the pages, for every sort', async () => {
  process.env.BASTIDE_TABULAR_STREAM_CHUNK = '4';
  try {
    for (const query of ['', 'montant__sort=asc', 'montant__sort=desc', 'idRAE__sort=asc', 'idRAE__sort=desc', 'dateConvention__sort=desc&nature__differs=x']) {
      const page = (await get(`${r.api}/rows?${query}&page_size=50`)).json();
      const stream = (await get(`${r.api}/rows.jsonl?${query}`)).body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { __id: number });
      assert.deepEqual(
        stream.map((x) => x.__id),
        page.data.map((x: { __id: number }) => x.__id),
        query,
      );
      assert.equal(stream.length, records.length);
    }
  } finally {
    delete process.env.BASTIDE_TABULAR_STREAM_CHUNK;
  }
});

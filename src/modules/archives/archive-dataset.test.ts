// A dataset version sent to the archives (issue 13): the unit carries the dataset's DCAT metadata
// (description, keywords, dates) and the version's bytes (SHA-512 of the very bytes uploaded) with a
// DCAT JSON; filed once; only archivists; another collectivité's version is not found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { apiToken, browserFor, createPerson, postForm, startTestApp, type Browser, type TestApp } from '../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, uploadFile, type Catalogue } from '../../../test/support/catalogue/datasets.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const CSV = 'beneficiaire;montant\nAssociation des amis du parc;1200\nClub de lecture;350\n';

async function versionOf(c: Catalogue): Promise<string> {
  const dataset = await makeDataset(t, c, { temporal_start: '2025-01-01', temporal_end: '2025-12-31' });
  const up = await uploadFile(t, c.steward, dataset.page, { name: 'subventions-2025.csv', body: CSV }, { title: 'Subventions 2025' });
  assert.ok([201, 303].includes(up.statusCode), up.body.slice(0, 300));
  const row = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ id: string }>('select id from catalogue_resource_versions order by uploaded_at desc limit 1'),
  );
  return row!.id;
}

async function post(c: Catalogue, token: string, body: object) {
  return t.app.inject({ method: 'POST', url: `/api/v1/${c.tenant.slug}/archives/datasets`, headers: { authorization: `Bearer ${token}` }, payload: body });
}

test('an archivist files a dataset version: DCAT metadata on the unit, the bytes as uploaded, once', async () => {
  const c = await catalogueTenant(t);
  const version = await versionOf(c);
  const archivist = await createPerson(t.db, { [c.tenant.id]: ['archivist'] });
  const token = await apiToken(t, c.tenant.id, 'archivist', archivist.id);
  const res = await post(c, token, { version });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json<{ unit: string; objects: Array<{ filename: string; sha512: string; format_id: string | null }> }>();
  const unit = (await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ title: string; description: string; keywords: string[]; start_date: Date; end_date: Date; access_end: string | null }>(
      'select title, description, keywords, start_date, end_date, access_end::text as access_end from archives_units where id = $1',
      [body.unit],
    ),
  ))!;
  assert.match(unit.title, /^Subventions aux associations — Subventions 2025, version 1$/);
  assert.match(unit.description, /Les subventions versées\./);
  assert.match(unit.description, /Licence : etalab-2\.0\./);
  assert.deepEqual(unit.keywords.slice(0, 2), ['subventions', 'associations']);
  assert.equal(new Date(unit.start_date).toISOString().slice(0, 10), '2025-01-01');
  const csv = body.objects.find((o) => o.filename === 'subventions-2025.csv')!;
  assert.equal(csv.sha512, createHash('sha512').update(CSV).digest('hex'));
  assert.equal(csv.format_id, 'x-fmt/18');
  assert.ok(body.objects.some((o) => o.filename.endsWith('-v1.dcat.json')));
  const again = await post(c, token, { version });
  assert.equal(again.statusCode, 409);
  assert.equal(
    (await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: string }>(`select count(*)::text as n from archives_ingests where kind = 'catalogue'`)))!.n,
    '1',
  );
});

test('attack: a steward’s or agent’s token is refused; another collectivité’s version is not found; nothing is stored', async () => {
  const a = await catalogueTenant(t);
  const b = await catalogueTenant(t);
  const version = await versionOf(a);
  const steward = await apiToken(t, a.tenant.id, 'data_steward');
  assert.equal((await post(a, steward, { version })).statusCode, 403);
  const otherArchivist = await apiToken(t, b.tenant.id, 'archivist');
  assert.equal((await post(b, otherArchivist, { version })).statusCode, 404);
  assert.equal((await post(b, otherArchivist, { version: 'not-a-uuid' })).statusCode, 422);
  for (const tenant of [a.tenant.id, b.tenant.id]) {
    const n = await t.db.transaction(tenant, (tx) => tx.one<{ n: string }>('select count(*)::text as n from archives_ingests'));
    assert.equal(n!.n, '0');
  }
});

test('the catalogue’s staff dataset page: an archivist’s “send to the archives” button files the version; others have none and are refused', async () => {
  const c = await catalogueTenant(t);
  const version = await versionOf(c);
  const both = await browserFor(t, (await createPerson(t.db, { [c.tenant.id]: ['data_steward', 'archivist'] })).id);
  const dataset = (await t.db.transaction(c.tenant.id, (tx) => tx.one<{ id: string }>('select id from catalogue_datasets order by created_at desc limit 1')))!;
  const pageOf = (b: Browser) => t.app.inject({ url: `${c.base}/${dataset.id}`, headers: b.headers });
  const seen = await pageOf(both);
  assert.equal(seen.statusCode, 200, seen.body.slice(0, 200));
  assert.match(seen.body, new RegExp(`action="/${c.tenant.slug}/admin/archives/jeux-de-donnees"`));
  assert.doesNotMatch((await pageOf(c.steward)).body, /jeux-de-donnees/);
  // A steward who is not an archivist is refused; nothing filed.
  assert.equal((await postForm(t, c.steward, `/${c.tenant.slug}/admin/archives/jeux-de-donnees`, { version })).statusCode, 403);
  const filed = await postForm(t, both, `/${c.tenant.slug}/admin/archives/jeux-de-donnees`, { version });
  assert.equal(filed.statusCode, 303, filed.body.slice(0, 300));
  assert.match(String(filed.headers.location), new RegExp(`^/${c.tenant.slug}/admin/archives/unites/[0-9a-f-]{36}\\?notice=dataset_filed$`));
  // Twice: refused (409), still one unit.
  assert.equal((await postForm(t, both, `/${c.tenant.slug}/admin/archives/jeux-de-donnees`, { version })).statusCode, 409);
  const n = await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from archives_ingests where kind = 'catalogue'`));
  assert.equal(n!.n, 1);
});

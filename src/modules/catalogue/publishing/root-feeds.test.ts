// The installation's feeds at the root (/catalogue.jsonld, /catalogue.ttl), declared by the catalogue's
// manifest (`reservedRootPaths`): served there and still under /api/, paginated with their own address,
// and no collectivité can take one of the manifest's names (nor core's) as its slug.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { datasetIn, parseTurtle } from '../../../../test/support/catalogue/publishing.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import { isReservedRootPath } from '../../../core/tenancy/reserved-paths.ts';
import { catalogueModule } from '../index.ts';

let t: TestApp;
let a: Catalogue;
let b: Catalogue;
before(async () => {
  t = await startTestApp();
  a = await catalogueTenant(t);
  b = await catalogueTenant(t);
  await datasetIn(t, a, 'published', 'Subventions attribuées');
  await datasetIn(t, b, 'published', 'Équipements sportifs');
  await datasetIn(t, b, 'draft', 'Brouillon de B');
});
after(() => t.close());

const DATASET = 'http://www.w3.org/ns/dcat#Dataset';

test('/catalogue.ttl and /catalogue.jsonld serve the installation feed, as /api/catalogue.* still does', async () => {
  const root = await t.app.inject('/catalogue.ttl?page_size=1000');
  const api = await t.app.inject('/api/catalogue.ttl?page_size=1000');
  assert.equal(root.statusCode, 200, root.body.slice(0, 300));
  assert.equal(api.statusCode, 200);
  assert.match(String(root.headers['content-type']), /^text\/turtle/);
  const datasets = (body: string) =>
    parseTurtle(body)
      .getQuads(null, null, null, null)
      .filter((q) => q.object.value === DATASET)
      .map((q) => q.subject.value)
      .sort();
  assert.equal(datasets(root.body).length, 2, 'both collectivités’ published datasets, not the draft');
  assert.deepEqual(datasets(root.body), datasets(api.body));
  // The Hydra view names the address that was asked for.
  assert.ok(root.body.includes(`<${t.config.baseUrl}/catalogue.ttl?page=1&page_size=1000>`), root.body.slice(0, 2000));

  const jsonld = await t.app.inject('/catalogue.jsonld?page_size=1');
  assert.equal(jsonld.statusCode, 200);
  assert.match(String(jsonld.headers['content-type']), /^application\/ld\+json/);
  const doc = JSON.parse(jsonld.body) as { '@graph': Array<Record<string, unknown>> };
  assert.ok(JSON.stringify(doc).includes(`${t.config.baseUrl}/catalogue.jsonld?page=2&page_size=1`), 'hydra:next at the root address');
  assert.equal((await t.app.inject('/catalogue.jsonld?page=0')).statusCode, 400);
});

test('the reserved names come from the manifest; a collectivité cannot take them (nor core’s)', async () => {
  assert.deepEqual(catalogueModule.reservedRootPaths, ['catalogue.jsonld', 'catalogue.ttl']);
  for (const name of ['catalogue.jsonld', 'catalogue.ttl', 'api', 'lang', 'account']) assert.ok(isReservedRootPath(name), name);
  assert.equal(isReservedRootPath('catalogue'), false);
  // `lang` and `account` were readable as no collectivité but creatable as one (unreachable pages).
  for (const slug of ['lang', 'account', 'catalogue.ttl', 'api']) {
    const r = await createTenant(t.db, { kind: 'syndicate', name: `Syndicat ${slug}`, slug });
    assert.equal(r.ok, false, slug);
    assert.equal(!r.ok && r.error, 'invalid_slug', slug);
  }
  // A collectivité named « catalogue » keeps its own feed.
  const c = await createTenant(t.db, { kind: 'syndicate', name: 'Syndicat catalogue', slug: 'catalogue' });
  assert.ok(c.ok);
  assert.equal((await t.app.inject('/catalogue/catalogue.ttl')).statusCode, 200);
});

test('the counts of the installation feed come from one function that counts published datasets only', async () => {
  // As the application role, in A's transaction: B's published dataset is counted, B's draft is not.
  const rows = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ tenant_id: string; published: number }>('select tenant_id, published from catalogue_published_counts($1::uuid[])', [[b.tenant.id, a.tenant.id]]),
  );
  assert.deepEqual(rows, [
    { tenant_id: b.tenant.id, published: 1 },
    { tenant_id: a.tenant.id, published: 1 },
  ]);
  // Row-level security still hides B's rows from A's transaction: only the count crosses.
  const seen = await t.db.transaction(a.tenant.id, (tx) => tx.query('select id from catalogue_datasets where tenant_id = $1', [b.tenant.id]));
  assert.deepEqual(seen, []);
});

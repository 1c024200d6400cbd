// The DCAT-AP 3 feeds against the official DCAT-AP 3.0.1 SHACL shapes (SEMIC; copied into fixtures/ with
// their SOURCE.txt so that CI needs no shared/ folder), with rdf-validate-shacl. The same validator must
// report a dataset that lacks a mandatory property: the check can fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DataFactory } from 'n3';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant } from '../../../../test/support/catalogue/datasets.ts';
import { seedCoreDemo } from '../../../core/seed/demo.ts';
import { seedCatalogueDemo } from '../seed.ts';
import { datasetIn, parseTurtle, validateDcatAp } from '../../../../test/support/catalogue/publishing.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const DCT = 'http://purl.org/dc/terms/';

test("the demo installation's feeds conform too (the datasets a visitor of the demo harvests)", async () => {
  await seedCoreDemo(t.db);
  await seedCatalogueDemo({ db: t.db, config: t.config });
  for (const url of ['/nantes-metropole/catalogue.ttl', '/api/catalogue.ttl?page_size=1000']) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200, url);
    const graph = parseTurtle(res.body);
    assert.ok(graph.countQuads(null, null, DataFactory.namedNode('http://www.w3.org/ns/dcat#Dataset'), null) >= 1, url);
    assert.deepEqual((await validateDcatAp(graph)).violations, [], url);
  }
});

test('a collectivité feed and the installation feed conform to the DCAT-AP 3.0.1 shapes; a dataset without a description does not', async () => {
  const c = await catalogueTenant(t);
  await datasetIn(t, c, 'published', 'Subventions attribuées');
  await datasetIn(t, c, 'published', 'Équipements sportifs', {
    schema: '',
    themes: [],
    frequency: '',
    spatial: '',
    temporal_start: '',
    temporal_end: '',
    contact_point: 'https://example.org/contact',
    publisher: 'Service « Sports »',
  });
  for (const url of [`/${c.tenant.slug}/catalogue.ttl`, '/api/catalogue.ttl?page_size=1000']) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200, url);
    const { conforms, violations } = await validateDcatAp(parseTurtle(res.body));
    assert.deepEqual(violations, [], url);
    assert.ok(conforms, url);
  }

  const graph = parseTurtle((await t.app.inject(`/${c.tenant.slug}/catalogue.ttl`)).body);
  const dataset = `${t.config.baseUrl}/${c.tenant.slug}/donnees/subventions-attribuees#jeu-de-donnees`;
  const description = graph.getQuads(DataFactory.namedNode(dataset), DataFactory.namedNode(`${DCT}description`), null, null);
  assert.equal(description.length, 1);
  graph.removeQuads(description);
  const broken = await validateDcatAp(graph);
  assert.equal(broken.conforms, false);
  assert.ok(
    broken.violations.some((v) => v.focus === dataset && v.path === `${DCT}description` && v.severity === 'Violation'),
    JSON.stringify(broken.violations),
  );
});

// The DCAT-AP feeds through HTTP: published datasets only, never another collectivité's in a collectivité
// feed, Hydra pagination, Turtle that parses, JSON-LD that says the same triples, hostile paging.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { DataFactory, Writer, type Quad, type Store } from 'n3';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { datasetIn, parseTurtle } from '../../../../test/support/catalogue/publishing.ts';

let t: TestApp;
let a: Catalogue;
let b: Catalogue;
before(async () => {
  t = await startTestApp();
  a = await catalogueTenant(t);
  b = await catalogueTenant(t);
  await datasetIn(t, a, 'published', 'Subventions attribuées');
  await datasetIn(t, a, 'published', 'Délibérations du conseil');
  await datasetIn(t, a, 'published', 'Budget primitif');
  await datasetIn(t, a, 'draft', 'Brouillon secret');
  await datasetIn(t, b, 'published', 'Équipements de B');
  await datasetIn(t, b, 'draft', 'Brouillon de B');
});
after(() => t.close());

const DCAT = 'http://www.w3.org/ns/dcat#';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const DCT = 'http://purl.org/dc/terms/';
const namedNode = (value: string) => DataFactory.namedNode(value);

function titles(g: Store): string[] {
  return g
    .getQuads(null, namedNode(`${DCT}title`), null, null)
    .filter((q) => g.countQuads(q.subject, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), namedNode(`${DCAT}Dataset`), null) > 0)
    .map((q) => q.object.value)
    .sort();
}

function one(g: Store, s: string | null, p: string): string | null {
  const quads = g.getQuads(s === null ? null : namedNode(s), namedNode(p), null, null);
  assert.ok(quads.length <= 1, `${p}: ${quads.length} values`);
  return quads[0]?.object.value ?? null;
}

async function jsonLdQuads(body: string): Promise<Quad[]> {
  const quads: Quad[] = [];
  const parser = new JsonLdParser();
  await new Promise<void>((resolve, reject) => {
    parser
      .on('data', (q: Quad) => quads.push(q))
      .on('error', reject)
      .on('end', resolve);
    parser.end(body);
  });
  return quads;
}

// As a set of N-Quads lines (a parser may repeat a triple that two node objects state).
const nquads = (quads: Quad[]) => [...new Set(new Writer({ format: 'N-Quads' }).quadsToString(quads).split('\n').filter(Boolean))].sort();

test('a collectivité feed lists its published datasets only: no draft, nothing of another collectivité', async () => {
  const res = await t.app.inject(`/${a.tenant.slug}/catalogue.ttl`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/turtle/);
  const g = parseTurtle(res.body);
  assert.deepEqual(titles(g), ['Budget primitif', 'Délibérations du conseil', 'Subventions attribuées']);
  assert.doesNotMatch(res.body, /Brouillon|Équipements de B/);
  assert.doesNotMatch(res.body, new RegExp(b.tenant.slug));
  const other = parseTurtle((await t.app.inject(`/${b.tenant.slug}/catalogue.ttl`)).body);
  assert.deepEqual(titles(other), ['Équipements de B']);
  // Distribution: download URL, format, media type, size, checksum; schema, theme, frequency, place IRIs.
  const dataset = `${t.config.baseUrl}/${a.tenant.slug}/donnees/subventions-attribuees#jeu-de-donnees`;
  assert.equal(one(g, dataset, `${DCT}conformsTo`), 'https://gitlab.com/opendatafrance/scdl/subventions/raw/v2.1.1/schema.json');
  assert.equal(one(g, dataset, `${DCT}accrualPeriodicity`), 'http://publications.europa.eu/resource/authority/frequency/ANNUAL');
  assert.deepEqual(
    g
      .getObjects(namedNode(dataset), namedNode(`${DCT}spatial`), null)
      .map((o) => o.value)
      .sort(),
    ['http://id.insee.fr/geo/commune/44109', 'http://id.insee.fr/geo/departement/44', 'http://id.insee.fr/geo/intercommunalite/244400404'],
  );
  assert.deepEqual(
    g
      .getObjects(namedNode(dataset), namedNode(`${DCAT}theme`), null)
      .map((o) => o.value)
      .sort(),
    ['http://publications.europa.eu/resource/authority/data-theme/ECON', 'http://publications.europa.eu/resource/authority/data-theme/GOVE'],
  );
  assert.match(one(g, dataset, `${DCT}description`)!, /guillemets " et \\ une barre »\nsur deux lignes/, 'escaped and read back as written');
  const dist = one(g, dataset, `${DCAT}distribution`)!;
  assert.match(one(g, dist, `${DCAT}downloadURL`)!, /\/ressources\/[0-9a-f-]{36}\/versions\/1\/telecharger$/);
  assert.equal(one(g, dist, `${DCT}format`), 'http://publications.europa.eu/resource/authority/file-type/CSV');
  assert.equal(one(g, dist, `${DCAT}mediaType`), 'http://www.iana.org/assignments/media-types/text/csv');
  assert.equal(one(g, dist, `${DCT}license`), 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
  assert.ok(Number(one(g, dist, `${DCAT}byteSize`)) > 100);
  const sum = one(g, dist, 'http://spdx.org/rdf/terms#checksum')!;
  assert.match(one(g, sum, 'http://spdx.org/rdf/terms#checksumValue')!, /^[0-9a-f]{64}$/);
  // The download URL is real: it serves the file.
  const download = await t.app.inject(one(g, dist, `${DCAT}downloadURL`)!.replace(t.config.baseUrl, ''));
  assert.equal(download.statusCode, 200);
});

test('the JSON-LD feed carries its context inline and the same triples as the Turtle feed', async () => {
  const res = await t.app.inject(`/${a.tenant.slug}/catalogue.jsonld`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/ld\+json/);
  const doc = JSON.parse(res.body) as { '@context': unknown };
  assert.equal(typeof doc['@context'], 'object', 'an inline context, not a URL to fetch');
  const ttl = parseTurtle((await t.app.inject(`/${a.tenant.slug}/catalogue.ttl`)).body);
  // Only the page's own address differs (catalogue.jsonld?page=… against catalogue.ttl?page=…).
  const fromJson = nquads(await jsonLdQuads(res.body)).map((line) => line.replaceAll('/catalogue.jsonld?', '/catalogue.ttl?'));
  assert.deepEqual(fromJson, nquads(ttl.getQuads(null, null, null, null)));
  assert.ok(fromJson.length > 50);
});

test("the installation feed lists every collectivité's published datasets, pages with Hydra links", async () => {
  const all = parseTurtle((await t.app.inject('/api/catalogue.ttl?page_size=1000')).body);
  const mine = titles(all).filter((x) => /Subventions attribuées|Délibérations|Budget primitif|Équipements de B|Brouillon/.test(x));
  assert.deepEqual(mine, ['Budget primitif', 'Délibérations du conseil', 'Subventions attribuées', 'Équipements de B'].sort());
  const total = Number(one(all, null, `${HYDRA}totalItems`));
  assert.equal(titles(all).length, total);

  const seen: string[] = [];
  let url: string | null = `${t.config.baseUrl}/api/catalogue.ttl?page=1&page_size=2`;
  let pages = 0;
  while (url && pages < 50) {
    const res: LightMyRequestResponse = await t.app.inject(url.replace(t.config.baseUrl, ''));
    assert.equal(res.statusCode, 200);
    const g = parseTurtle(res.body);
    const view = one(g, null, `${HYDRA}view`)!;
    assert.equal(view, url);
    assert.equal(g.countQuads(namedNode(view), null, namedNode(`${HYDRA}PartialCollectionView`), null), 1);
    assert.equal(one(g, view, `${HYDRA}first`), `${t.config.baseUrl}/api/catalogue.ttl?page=1&page_size=2`);
    assert.equal(one(g, view, `${HYDRA}last`), `${t.config.baseUrl}/api/catalogue.ttl?page=${Math.ceil(total / 2)}&page_size=2`);
    assert.ok(titles(g).length <= 2);
    seen.push(...titles(g));
    url = one(g, view, `${HYDRA}next`);
    pages++;
  }
  assert.equal(pages, Math.ceil(total / 2));
  assert.deepEqual(seen.sort(), titles(all), 'every dataset once, following hydra:next');
});

test('hostile paging: a bad page is a 400; page_size is bounded; a page past the end is empty', async () => {
  for (const q of ['page=-1', 'page=0', 'page=abc', 'page=1e3', 'page_size=-5', 'page_size=0', "page=1'; drop table tenants;--"]) {
    const res = await t.app.inject(`/${a.tenant.slug}/catalogue.jsonld?${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.match(res.body, /un entier de 1 à/, 'says what is expected');
  }
  const big = await t.app.inject(`/${a.tenant.slug}/catalogue.ttl?page_size=${10 ** 9}`);
  assert.equal(big.statusCode, 200);
  assert.match(one(parseTurtle(big.body), null, `${HYDRA}view`)!, /page_size=1000$/);
  const past = parseTurtle((await t.app.inject(`/${a.tenant.slug}/catalogue.ttl?page=99`)).body);
  assert.deepEqual(titles(past), []);
  assert.equal(one(past, null, `${HYDRA}totalItems`), '3');
  assert.equal((await t.app.inject('/nobody-here/catalogue.ttl')).statusCode, 404);
});

test("a dataset with its own Table Schema conforms to an address that serves it; a draft's schema is not served", async () => {
  const schema = JSON.stringify({ fields: [{ name: 'nom', type: 'string' }] });
  const d = await datasetIn(t, b, 'published', 'Jeu au schéma propre', { schema: 'custom', custom_schema: schema });
  const g = parseTurtle((await t.app.inject(`/${b.tenant.slug}/catalogue.ttl`)).body);
  const conformsTo = one(g, `${t.config.baseUrl}/${b.tenant.slug}/donnees/${d.slug}#jeu-de-donnees`, `${DCT}conformsTo`)!;
  assert.equal(conformsTo, `${t.config.baseUrl}/${b.tenant.slug}/donnees/${d.slug}/schema.json`);
  const served = await t.app.inject(conformsTo.replace(t.config.baseUrl, ''));
  assert.equal(served.statusCode, 200);
  assert.deepEqual(JSON.parse(served.body), JSON.parse(schema));
  const hidden = await datasetIn(t, b, 'draft', 'Brouillon au schéma propre', { schema: 'custom', custom_schema: schema });
  assert.equal((await t.app.inject(`/${b.tenant.slug}/donnees/${hidden.slug}/schema.json`)).statusCode, 404);
  assert.equal((await t.app.inject(`/${a.tenant.slug}/donnees/${d.slug}/schema.json`)).statusCode, 404, 'not under another collectivité');
});

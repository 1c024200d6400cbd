// The roadmap's demo, end to end through HTTP: four roadmaps, a pooled project Nantes Métropole carries
// and its partners see, a draft nobody outside sees, indicators Bastide measured itself (datasets from
// the catalogue's demo, the EcoIndex of the pages requested in-process), the pages, the PDF, the open
// dataset; a second run changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../core/seed/demo.ts';
import { catalogueModule } from '../catalogue/index.ts';
import { seedRoadmapDemo } from './seed.ts';
import { countElements, measurePage } from './indicators/ecoindex.ts';
import { browserFor, createPerson } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await catalogueModule.seedDemo!({ db: t.db, config: t.config }, () => {});
});
after(() => t.close());

async function snapshot(slug: string) {
  const tenant = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug])))!;
  return t.db.transaction(tenant.id, (tx) =>
    tx.one<{ projects: number; indicators: number; values: string; measured: number }>(
      `select (select count(*)::int from roadmap_projects) as projects, (select count(*)::int from roadmap_indicators) as indicators,
              (select string_agg(i.name || '@' || v.measured_on || '=' || v.value, ';' order by i.name, v.measured_on)
                 from roadmap_indicator_values v join roadmap_indicators i on i.id = v.indicator_id where v.origin = 'manual') as values,
              (select count(*)::int from roadmap_indicator_values where origin = 'bastide') as measured`,
    ),
  );
}

test('the demo gives each co-chairing collectivité its roadmap, measured by Bastide; a second run changes nothing', async () => {
  const lines: string[] = [];
  await seedRoadmapDemo({ db: t.db, config: t.config }, (l) => lines.push(l));
  assert.equal(lines.length, 4, lines.join('\n'));
  const first = await snapshot('nantes-metropole');
  assert.equal(first!.projects, 8);
  // A second run: nothing doubles; Bastide's own measurements are refreshed in place (the roadmap's dataset
  // published by the first run now counts among the datasets), one value per indicator and month.
  await seedRoadmapDemo({ db: t.db, config: t.config });
  assert.deepEqual(await snapshot('nantes-metropole'), first);

  const indicators = (await t.app.inject({ url: '/api/v1/nantes-metropole/roadmap/indicators' })).json<{
    items: Array<{ source: string; values: Array<{ measured_on: string; value: number; origin: string }> }>;
  }>().items;
  const latest = (source: string) => indicators.find((i) => i.source === source)?.values.at(-1);
  // The catalogue's demo publishes datasets in Nantes Métropole: Bastide counted them.
  assert.ok((latest('datasets_published')?.value ?? 0) >= 4, JSON.stringify(latest('datasets_published')));
  assert.equal(latest('datasets_published')?.origin, 'bastide');
  const eco = latest('ecoindex');
  assert.ok(eco && eco.value > 0 && eco.value <= 100, `EcoIndex measured in-process: ${JSON.stringify(eco)}`);
  // The debates module's figures: no debate in this installation, nobody took part yet.
  assert.deepEqual(latest('debate_participation'), { measured_on: latest('ecoindex')!.measured_on, value: 0, origin: 'bastide' });
});

test('the roadmap page: projects by theme, budget totals, charts with their tables, the pooled project at its partners', async () => {
  const page = await t.app.inject({ url: '/nantes-metropole/feuille-de-route' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Cloud souverain mutualisé/);
  assert.doesNotMatch(page.body, /Fibre optique dans les bâtiments publics/, 'the draft stays hidden');
  assert.match(page.body, /<svg[^>]*role="img"[^>]*aria-labelledby="ind-\d-t ind-\d-d"/);
  assert.match(page.body, /<title id="ind-\d-t">/);
  assert.match(page.body, /<caption>Données du graphique/);
  assert.match(page.body, /Budgets par thème/);
  assert.match(page.body, /Avancement : [^<]*En cours 5[^<]*Livré 1/);
  assert.match(page.body, /Participation aux concertations/);
  const toulouse = await t.app.inject({ url: '/toulouse-metropole/feuille-de-route' });
  assert.match(toulouse.body, /Projets mutualisés portés par d’autres collectivités[\s\S]*Cloud souverain mutualisé[\s\S]*Projet porté par Nantes Métropole/);
  const project = await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/cloud-souverain-mutualise' });
  assert.equal(project.statusCode, 200);
  assert.match(project.body, /Toulouse Métropole/);
  assert.match(project.body, /Applications hébergées dans le cloud souverain/);
  assert.equal((await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/fibre-batiments-publics' })).statusCode, 404);
  const english = await t.app.inject({ url: '/nantes-metropole/feuille-de-route', headers: { 'accept-language': 'en' } });
  assert.match(english.body, /Digital roadmap/);
});

test('the roadmap as a PDF and as an open dataset of the catalogue', async () => {
  const pdf = await t.app.inject({ url: '/nantes-metropole/feuille-de-route.pdf' });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const dataset = await t.app.inject({ url: '/nantes-metropole/donnees/feuille-de-route-numerique' });
  assert.equal(dataset.statusCode, 200, 'published in the catalogue');
  assert.match(dataset.body, /Feuille de route numérique/);
});

test('the pages stay within their budgets (bytes and elements as served; the browser tour checks them again in Chromium)', async () => {
  for (const path of ['/nantes-metropole/feuille-de-route', '/nantes-metropole/feuille-de-route/projets/cloud-souverain-mutualise']) {
    const m = await measurePage(t.app, path);
    assert.equal(m.status, 200);
    assert.ok(m.bytes <= 60 * 1024 && m.dom <= 600 && m.requests <= 8, `${path}: ${JSON.stringify(m)}`);
  }
  const tenant = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!;
  const admin = await browserFor(t, (await createPerson(t.db, { [tenant.id]: ['tenant_admin'] })).id);
  for (const path of ['/nantes-metropole/admin/feuille-de-route', '/nantes-metropole/admin/feuille-de-route/projets/cloud-souverain-mutualise']) {
    const res = await t.app.inject({ url: path, headers: admin.headers });
    assert.equal(res.statusCode, 200, path);
    const dom = countElements(res.body);
    assert.ok(res.body.length <= 150 * 1024 && dom <= 1500, `${path}: ${res.body.length} bytes, ${dom} elements`);
  }
});

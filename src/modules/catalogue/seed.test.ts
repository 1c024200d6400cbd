// The catalogue's demo data: in each demo EPCI a published, conformant subsidies dataset (two versions),
// a draft whose file has errors, a personal dataset in review, conformant délibérations, équipements and
// budget datasets; a second run changes nothing;
// the public pages show them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../core/seed/demo.ts';
import { seedCatalogueDemo } from './seed.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('each demo EPCI gets its datasets, validated, and a second run adds nothing', async () => {
  await seedCoreDemo(t.db);
  const lines: string[] = [];
  await seedCatalogueDemo({ db: t.db, config: t.config }, (l) => lines.push(l));
  assert.equal(lines.length, 4, lines.join('\n'));
  const again: string[] = [];
  await seedCatalogueDemo({ db: t.db, config: t.config }, (l) => again.push(l));
  assert.deepEqual(again, []);
  const tenant = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!;
  const rows = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ slug: string; state: string; versions: string }>(
      `select d.slug, d.state, string_agg(v.version || ':' || coalesce(v.valid::text, v.validation_state), ',' order by v.version) as versions
     from catalogue_datasets d left join catalogue_resources r on r.dataset_id = d.id left join catalogue_resource_versions v on v.resource_id = r.id
     group by d.slug, d.state order by d.slug`,
    ),
  );
  assert.deepEqual(rows, [
    { slug: 'budget-primitif-2024', state: 'published', versions: '1:true' },
    { slug: 'deliberations-du-conseil-communautaire', state: 'published', versions: '1:true' },
    { slug: 'elus-du-conseil-communautaire', state: 'in_review', versions: null },
    { slug: 'equipements-collectifs', state: 'published', versions: '1:true' },
    { slug: 'subventions-2017-a-corriger', state: 'draft', versions: '1:false' },
    { slug: 'subventions-attribuees', state: 'published', versions: '1:true,2:true' },
  ]);
  // The filled-in files name the collectivité and a SIRET of its own SIREN, and pass their schemas' checks
  // (SIRET key, Actes nomenclature, vote sums) without a warning.
  const reports = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ slug: string; report: { valid: boolean; warnings: unknown[]; stats: { rows: number } } }>(
      `select d.slug, v.report from catalogue_datasets d join catalogue_resources r on r.dataset_id = d.id
       join catalogue_resource_versions v on v.resource_id = r.id where d.slug in ('budget-primitif-2024', 'deliberations-du-conseil-communautaire', 'equipements-collectifs')`,
    ),
  );
  assert.equal(reports.length, 3);
  for (const r of reports) {
    assert.equal(r.report.valid, true, r.slug);
    assert.deepEqual(r.report.warnings, [], r.slug);
    assert.ok(r.report.stats.rows >= 4, r.slug);
  }
  const delib = await t.app.inject('/nantes-metropole/donnees/deliberations-du-conseil-communautaire');
  assert.match(delib.body, /Nantes Métropole/);
  assert.match(delib.body, /244400404\d{5}/);
  const list = await t.app.inject('/nantes-metropole/donnees?q=subvention');
  assert.match(list.body, /Subventions attribuées/);
  assert.doesNotMatch(list.body, /à corriger|Élus/);
  assert.match((await t.app.inject('/nantes-metropole/donnees?theme=ECON&licence=etalab-2.0')).body, /2 jeux de données/);
  assert.match((await t.app.inject('/nantes-metropole/donnees?theme=TRAN')).body, /0 jeu de données/);
  const page = await t.app.inject('/nantes-metropole/donnees/subventions-attribuees');
  assert.equal(page.statusCode, 200);
  const report = /href="([^"]+\/rapport)"/.exec(page.body)![1]!;
  const html = await t.app.inject(report);
  assert.match(html.body, /Fichier valide/);
  assert.equal((await t.app.inject(`${report}.json`)).json().valid, true);
  const download = await t.app.inject(/href="([^"]+\/telecharger)"/.exec(page.body)![1]!);
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers['content-disposition']), /attachment/);
});

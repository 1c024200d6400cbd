// The catalogue's demo data: in each demo EPCI a published, conformant subsidies dataset (two versions),
// a draft whose file has errors, a personal dataset in review; a second run changes nothing; the public
// pages show them.
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
  await seedCatalogueDemo({ db: t.db, config: t.config });
  const tenant = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!;
  const rows = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ slug: string; state: string; versions: string }>(
      `select d.slug, d.state, string_agg(v.version || ':' || coalesce(v.valid::text, v.validation_state), ',' order by v.version) as versions
     from catalogue_datasets d left join catalogue_resources r on r.dataset_id = d.id left join catalogue_resource_versions v on v.resource_id = r.id
     group by d.slug, d.state order by d.slug`,
    ),
  );
  assert.deepEqual(rows, [
    { slug: 'elus-du-conseil-communautaire', state: 'in_review', versions: null },
    { slug: 'subventions-2017-a-corriger', state: 'draft', versions: '1:false' },
    { slug: 'subventions-attribuees', state: 'published', versions: '1:true,2:true' },
  ]);
  const list = await t.app.inject('/nantes-metropole/donnees?q=subvention');
  assert.match(list.body, /Subventions attribuées/);
  assert.doesNotMatch(list.body, /à corriger|Élus/);
  assert.match((await t.app.inject('/nantes-metropole/donnees?theme=ECON&licence=etalab-2.0')).body, /1 jeu de données/);
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

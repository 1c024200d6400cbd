// The quality score through the pages: the steward sees each unmet criterion with what to fix (French and
// English), the public page the score; a file the store lost counts as unavailable; CKAN's package_show gives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { datasetIn } from '../../../../test/support/catalogue/publishing.ts';
import { blobStoreFor } from '../../../core/files/store.ts';

let t: TestApp;
let c: Catalogue;
before(async () => {
  t = await startTestApp();
  c = await catalogueTenant(t);
});
after(() => t.close());

const text = (body: string) => body.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

test('the steward sees every unmet criterion with what to fix, in French and in English', async () => {
  const d = await makeDataset(t, c, { title: 'Horaires des piscines', description: 'Trop court.', schema: '' });
  const fr = await t.app.inject({ url: d.page, headers: c.steward.headers });
  assert.equal(fr.statusCode, 200);
  const page = text(fr.body);
  // Met: the licence (Licence Ouverte 2.0 by default) only.
  assert.match(page, /Qualité des métadonnées : 1 critère rempli sur 8 \(13 %\)/);
  assert.match(page, /La description fait 11 caractères : décrivez en au moins 100/);
  assert.match(page, /Déposez au moins un fichier/);
  assert.match(page, /Indiquez la fréquence de mise à jour/);
  assert.match(page, /Indiquez la couverture géographique/);
  assert.match(page, /Indiquez la période couverte/);
  assert.doesNotMatch(page, /Conforme au schéma déclaré/, 'no schema declared: no schema criterion');

  const en = await t.app.inject({ url: d.page, headers: { ...c.steward.headers, cookie: `${c.steward.cookie}; bastide_lang=en` } });
  const english = text(en.body);
  assert.match(english, /Metadata quality: 1 of 8 criteria met \(13%\)/);
  assert.match(english, /The description is 11 characters long/);
  assert.match(english, /Set the update frequency/);
});

test('a published dataset with full metadata: its score on the public page; a lost file makes it drop', async () => {
  const d = await datasetIn(t, c, 'published', 'Subventions attribuées', {
    description: 'Les subventions versées aux associations par la collectivité : bénéficiaire, objet, montant, date de la convention et nature.',
  });
  const resources = await t.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ id: string; sha256: string }>(
      `select r.id, v.sha256 from catalogue_resources r join catalogue_resource_versions v on v.tenant_id = r.tenant_id and v.resource_id = r.id where r.dataset_id = $1`,
      [d.id],
    ),
  );
  // Resources uploaded through the page carry no description: one criterion unmet, the others met.
  const pub = await t.app.inject(`/${c.tenant.slug}/donnees/${d.slug}`);
  assert.equal(pub.statusCode, 200);
  assert.match(text(pub.body), /Qualité des métadonnées : 8 critères remplis sur 9 \(89 %\)/);
  assert.match(pub.body, /Fichiers documentés <span class="visually-hidden">\(non rempli\)/);

  const staff = text((await t.app.inject({ url: `/${c.tenant.slug}/admin/donnees/${d.id}`, headers: c.steward.headers })).body);
  assert.match(staff, /Fichiers documentés — Ajoutez une description à ces fichiers/);

  const ckan = async () => {
    const res = await t.app.inject(`/api/3/action/package_show?id=${c.tenant.slug}--${d.slug}`);
    assert.equal(res.statusCode, 200);
    const extras = (JSON.parse(res.body) as { result: { extras: Array<{ key: string; value: string }> } }).result.extras;
    return Object.fromEntries(extras.filter((e) => e.key.startsWith('quality_')).map((e) => [e.key, e.value]));
  };
  assert.deepEqual(await ckan(), { quality_score: '0.89', quality_unmet: 'resources_documented' });

  await blobStoreFor(t.config).remove(c.tenant.id, resources[0]!.sha256);
  assert.deepEqual(await ckan(), { quality_score: '0.78', quality_unmet: 'resources_documented,available' });
  const after = text((await t.app.inject(`/${c.tenant.slug}/donnees/${d.slug}`)).body);
  assert.match(after, /Qualité des métadonnées : 7 critères remplis sur 9/);
  const staffAfter = text((await t.app.inject({ url: `/${c.tenant.slug}/admin/donnees/${d.id}`, headers: c.steward.headers })).body);
  assert.match(staffAfter, /Fichiers disponibles — Ces ressources n’ont pas de fichier disponible/);
});

// The automatic statistics dataset: per collectivité, from its own dossiers only (row-level security),
// drafts not counted, small cells masked, validated against its schema, published and in the DCAT feed,
// a new version only when a figure changed, every step journaled; a steward's dataset is never touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, type TestApp } from '../../../../test/helpers/app.ts';
import { publishedProcedure, startOpsApp } from '../../../../test/support/procedures/ops.ts';
import { fileDossiers } from '../../../../test/support/catalogue/statistics.ts';
import { catalogueTenant, makeDataset } from '../../../../test/support/catalogue/datasets.ts';
import { parseTurtle } from '../../../../test/support/catalogue/publishing.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { publishAllStatistics, publishStatistics, STATISTICS_JOB, STATISTICS_SLUG } from './publish.ts';
import { catalogueModule } from '../index.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
before(async () => {
  t = await startOpsApp();
  a = await createTestTenant(t.db);
  b = await createTestTenant(t.db);
});
after(() => t.close());

async function file(tenant: Tenant): Promise<{ csv: string; versions: number; valid: boolean | null; state: string }> {
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ id: string; state: string }>('select id, state from catalogue_datasets where slug = $1', [STATISTICS_SLUG]),
  );
  assert.ok(row, `no statistics dataset in ${tenant.slug}`);
  const versions = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ version: number; valid: boolean | null; resource_id: string }>(
      `select v.version, v.valid, v.resource_id from catalogue_resource_versions v join catalogue_resources r on r.tenant_id = v.tenant_id and r.id = v.resource_id
       where r.dataset_id = $1 order by v.version desc`,
      [row.id],
    ),
  );
  const latest = versions[0]!;
  const res = await t.app.inject(`/${tenant.slug}/donnees/${STATISTICS_SLUG}/ressources/${latest.resource_id}/versions/${latest.version}/telecharger`);
  assert.equal(res.statusCode, 200);
  return { csv: res.body, versions: versions.length, valid: latest.valid, state: row.state };
}

test('the manifest schedules the job daily', () => {
  assert.deepEqual(catalogueModule.schedules, [{ kind: STATISTICS_JOB, everySeconds: 86_400 }]);
});

test('each collectivité’s file counts its own dossiers only, drafts excluded, cells under five masked', async () => {
  // The same procedure (same slug and title) in both collectivités: only row-level security tells them apart.
  const pa = await publishedProcedure(t, a.id);
  const pb = await publishedProcedure(t, b.id);
  assert.equal(pa.slug, pb.slug);
  await fileDossiers(t, a.id, pa.id, 8, 6, 3, 2); // A: 6 accepted (3…8 days), 2 filed, 2 drafts
  await fileDossiers(t, b.id, pb.id, 30, 0); // B: 30 filed, none decided

  const outcomes = await publishAllStatistics(t.deps);
  assert.equal(outcomes[a.slug], 'created');
  assert.equal(outcomes[b.slug], 'created');

  const fa = await file(a);
  assert.equal(fa.state, 'published');
  assert.equal(fa.valid, true, 'validated against bastide-statistiques-demarches like any upload');
  assert.equal(
    fa.csv,
    'collectivite,demarche,demarche_titre,mois,etat,nombre_dossiers,delai_median_decision_jours,secret_statistique\r\n' +
      `${a.name},${pa.slug},Demande de subvention associative,2026-03,accepte,6,5.5,false\r\n` +
      `${a.name},${pa.slug},Demande de subvention associative,2026-03,en_construction,,,true\r\n`,
  );
  const fb = await file(b);
  assert.equal(
    fb.csv.split('\r\n')[1],
    `${b.name},${pb.slug},Demande de subvention associative,2026-03,en_construction,30,,false`,
    'B’s 30 dossiers, never A’s',
  );
  assert.equal(fb.csv.trim().split('\r\n').length, 2);
  // Without row-level security (the owner's view), the same slug holds both collectivités' dossiers: the
  // per-tenant transactions are what keeps them apart.
  const mixed = await t.db.ownerTransaction((tx) =>
    tx.one<{ n: number }>(
      `select count(*)::int as n from dossiers d join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id where p.slug = $1`,
      [pa.slug],
    ),
  );
  assert.equal(mixed!.n, 8 + 2 + 30);
});

test('unchanged figures add no version; a new dossier does; every step is journaled as the system', async () => {
  const before = await file(a);
  assert.equal(await publishStatistics(t.deps, { ...a, official_code: a.official_code ?? null }), 'unchanged');
  assert.equal((await file(a)).versions, before.versions);

  const [pa] = await t.db.transaction(a.id, (tx) => tx.query<{ id: string }>('select id from procedures order by created_at limit 1'));
  await fileDossiers(t, a.id, pa!.id, 3); // 2 + 3 = 5 filed: the cell is no longer secret
  assert.equal(await publishStatistics(t.deps, { ...a, official_code: a.official_code ?? null }), 'updated');
  const after = await file(a);
  assert.equal(after.versions, before.versions + 1);
  assert.match(after.csv, /,2026-03,en_construction,5,,false\r\n/);

  const entries = await t.db.transaction(a.id, (tx) =>
    tx.query<{ actor: string; action: string }>(`select actor, action from journal_entries where action like 'catalogue.%' order by at, id`),
  );
  assert.deepEqual(
    entries.map((e) => `${e.actor} ${e.action}`),
    ['system catalogue.dataset.create', 'system catalogue.resource.upload', 'system catalogue.dataset.approve', 'system catalogue.resource.upload'],
  );
});

test('the dataset is in the collectivité’s DCAT feed, conforming to the bundled schema served at its address', async () => {
  const feed = parseTurtle((await t.app.inject(`/${a.slug}/catalogue.ttl`)).body);
  const dataset = `${t.config.baseUrl}/${a.slug}/donnees/${STATISTICS_SLUG}#jeu-de-donnees`;
  const conformsTo = feed.getQuads(dataset, 'http://purl.org/dc/terms/conformsTo', null, null).map((q) => q.object.value);
  assert.deepEqual(conformsTo, [`${t.config.baseUrl}/${a.slug}/donnees/${STATISTICS_SLUG}/schema.json`]);
  const schema = await t.app.inject(`/${a.slug}/donnees/${STATISTICS_SLUG}/schema.json`);
  assert.equal(schema.statusCode, 200);
  assert.equal((JSON.parse(schema.body) as { name: string }).name, 'bastide-statistiques-demarches');
  // Not in B's feed (B has its own, with its own figures).
  const feedB = (await t.app.inject(`/${b.slug}/catalogue.ttl`)).body;
  assert.ok(!feedB.includes(`/${a.slug}/`));
});

test('a steward’s own dataset with that slug is never written to; an archived statistics dataset is left archived', async () => {
  const c = await catalogueTenant(t);
  const pc = await publishedProcedure(t, c.tenant.id);
  await fileDossiers(t, c.tenant.id, pc.id, 6);
  const mine = await makeDataset(t, c, { title: 'Statistiques démarches', schema: '' });
  await t.db.transaction(c.tenant.id, (tx) => tx.query('update catalogue_datasets set slug = $2 where id = $1', [mine.id, STATISTICS_SLUG]));
  const ref = { id: c.tenant.id, slug: c.tenant.slug, name: c.tenant.name, official_code: c.tenant.official_code };
  assert.equal(await publishStatistics(t.deps, ref), 'skipped');
  const n = await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from catalogue_resources'));
  assert.equal(n!.n, 0);

  // A's statistics dataset archived by a steward stays archived.
  await t.db.transaction(a.id, (tx) => tx.query(`update catalogue_datasets set state = 'archived' where slug = $1`, [STATISTICS_SLUG]));
  assert.equal(await publishStatistics(t.deps, { ...a, official_code: a.official_code ?? null }), 'skipped');
  const state = await t.db.transaction(a.id, (tx) => tx.one<{ state: string }>('select state from catalogue_datasets where slug = $1', [STATISTICS_SLUG]));
  assert.equal(state!.state, 'archived');
});

// The story, through HTTP on the demo: open Nantes Métropole's roadmap funding, see the citizen-
// relations platform matched to France Relance with its application granted and paid; a second run of the
// seed changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedCoreDemo, DEMO_DOMAIN } from '../../../core/seed/demo.ts';
import { seedRoadmapDemo } from '../seed.ts';
import { seedFundingDemo } from './seed.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await seedRoadmapDemo({ db: t.db, config: t.config }, () => {});
});
after(() => t.close());

const counts = () =>
  t.db.ownerTransaction((tx) =>
    tx.one<{ programmes: number; applications: number }>(
      `select (select count(*)::int from roadmap_programmes) as programmes, (select count(*)::int from roadmap_funding_applications) as applications`,
    ),
  );

test('Nantes Métropole: a project matched to France Relance with its application; idempotent', async () => {
  await seedFundingDemo({ db: t.db, config: t.config }, () => {});
  const first = await counts();
  assert.deepEqual({ ...first }, { programmes: 5, applications: 6 });
  await seedFundingDemo({ db: t.db, config: t.config }, () => {});
  assert.deepEqual({ ...(await counts()) }, { ...first });

  const admin = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from people where email = $1`, [`admin@${DEMO_DOMAIN}`])))!.id;
  const browser = await browserFor(t, admin);
  const page = await t.app.inject({
    url: '/nantes-metropole/admin/feuille-de-route/projets/plateforme-relation-usagers/financements',
    headers: browser.headers,
  });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /France Relance — Transformation numérique des collectivités territoriales/);
  assert.match(page.body, /Accordée/);
  assert.match(page.body, /Finance la thématique « Relation aux usagers »/);

  const plan = await t.app.inject({ url: '/api/v1/nantes-metropole/roadmap/funding-plan' });
  assert.equal(plan.json<{ plan: { obtained: number; paid: number } }>().plan.obtained, 320000);
  assert.equal(plan.json<{ plan: { obtained: number; paid: number } }>().plan.paid, 160000);
});

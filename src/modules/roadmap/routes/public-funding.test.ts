// The funding a project obtained, on the public pages, through HTTP on the demo data: Nantes Métropole's
// customer relations platform shows France Relance with 320,000 € granted and 160,000 € paid, and the
// roadmap page its planned vs obtained totals. A DRAFT project's granted funding never reaches the public
// (nor the public totals), even when the application exists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../../core/seed/demo.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { roadmapModule } from '../index.ts';
import { createApplication } from '../funding/actions/applications.ts';

let t: TestApp;
let nantesId: string;

before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await roadmapModule.seedDemo!({ db: t.db, config: t.config }, () => {});
  nantesId = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!.id;
  // A granted application on the unpublished project (through the funding module's own action).
  await createApplication(
    t.db,
    { tenantId: nantesId, actor: 'test', roles: ['tenant_admin'], t: translator('fr') },
    'fibre-batiments-publics',
    'detr-dotation-d-equipement-des-territoires-ruraux',
    { status: 'granted', amount_asked: 777000, amount_granted: 654321, amount_paid: 0 },
  );
});
after(() => t.close());

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

test('the published project shows the funding it obtained: programme, funder, granted and paid', async () => {
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/plateforme-relation-usagers' });
  assert.equal(res.statusCode, 200);
  const body = nbsp(res.body);
  assert.match(body, /Financements obtenus/);
  assert.match(body, /href="\/nantes-metropole\/feuille-de-route\/financements\/france-relance-transformation-numerique-des-collectivites"/);
  assert.match(body, /320 000 €/);
  assert.match(body, /160 000 €/);
  const en = await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/plateforme-relation-usagers', headers: { 'accept-language': 'en' } });
  assert.match(nbsp(en.body), /Funding obtained/);
});

test('the roadmap page shows planned vs obtained totals of the published projects only', async () => {
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route' });
  assert.equal(res.statusCode, 200);
  const body = nbsp(res.body);
  // Planned: 180,000 (FEDER, submitted) + 60,000 (planned); obtained: 320,000; the draft's 654,321 is not counted.
  assert.match(body, /Attendu : 240 000 € ; obtenu : 320 000 € ; versé : 160 000 €/);
  assert.doesNotMatch(body, /654 321|974 321/);
});

test('a draft project’s funding is never shown to the public', async () => {
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/fibre-batiments-publics' });
  assert.equal(res.statusCode, 404);
  assert.doesNotMatch(nbsp(res.body), /654 321/);
  const other = await t.app.inject({ url: '/toulouse-metropole/feuille-de-route/projets/fibre-batiments-publics' });
  assert.equal(other.statusCode, 404);
});

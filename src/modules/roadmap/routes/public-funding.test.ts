// The funding a project obtained, on the public pages, through HTTP on the demo data: Nantes Métropole's
// customer relations platform shows France Relance with 320,000 € granted and 160,000 € paid, and the
// roadmap page what was obtained against the budget (the staff also what is expected). A DRAFT project's granted funding never reaches the public
// (nor the public totals), even when the application exists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, createPerson, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
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

test('the roadmap page: the public reads what published projects obtained against the budget, never amounts asked', async () => {
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route' });
  assert.equal(res.statusCode, 200);
  const body = nbsp(res.body);
  assert.match(body, /Financements obtenus par les projets publiés : 320 000 € ; versés : 160 000 €\. Les financements obtenus couvrent \d+ % du budget/);
  // Not the amounts expected (180,000 + 60,000 asked), nor the draft's 654,321 granted.
  assert.doesNotMatch(body, /Attendu|240 000|654 321|974 321/);
});

test('the roadmap page: the collectivité’s staff also read what is expected, drafts included', async () => {
  const admin = await createPerson(t.db, { [nantesId]: ['tenant_admin'] });
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route', headers: (await browserFor(t, admin.id)).headers });
  assert.equal(res.statusCode, 200);
  assert.match(nbsp(res.body), /Attendu : 240 000 € ; obtenu : 974 321 € ; versé : 160 000 €/);
});

test('a draft project’s funding is never shown to the public', async () => {
  const res = await t.app.inject({ url: '/nantes-metropole/feuille-de-route/projets/fibre-batiments-publics' });
  assert.equal(res.statusCode, 404);
  assert.doesNotMatch(nbsp(res.body), /654 321/);
  const other = await t.app.inject({ url: '/toulouse-metropole/feuille-de-route/projets/fibre-batiments-publics' });
  assert.equal(other.statusCode, 404);
});

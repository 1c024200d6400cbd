// A project's funding on its staff page, through HTTP on the demo data (issue 16's story): Nantes Métropole's
// citizen-relations platform, funded by France Relance, shows its funding plan (expected, obtained, paid,
// share of the budget), its application with the amounts asked, granted and paid, and the programmes it may
// claim, ranked, each with the reason every criterion holds or fails — France Relance beside its application
// though closed since, the others with a link that opens the application form with the programme chosen.
// Attacks first: another collectivité's administrator, the collectivité's agent, an anonymous visitor, a
// hostile programme in the link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, createPerson, postForm, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../../core/seed/demo.ts';
import { roadmapModule } from '../index.ts';

let t: TestApp;
let nantesId: string;
type Browser = Awaited<ReturnType<typeof browserFor>>;
let admin: Browser;
let agent: Browser;
let toulouseAdmin: Browser;

const PROJECT = '/nantes-metropole/admin/feuille-de-route/projets/plateforme-relation-usagers';
const FUNDING = `${PROJECT}/financements`;
const FRANCE_RELANCE = 'france-relance-transformation-numerique-des-collectivites';
// An annual programme with no closing date: open whatever the day the test runs.
const DSIL = 'dsil-dotation-de-soutien-a-l-investissement-local';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const get = async (url: string, who?: Browser) => {
  const res = await t.app.inject({ url, headers: who ? who.headers : {} });
  return { status: res.statusCode, body: nbsp(res.body), location: res.headers.location };
};
const applications = () =>
  t.db.transaction(nantesId, (tx) =>
    tx.query<{ programme: string; status: string; amount_asked: number }>(
      `select g.slug as programme, a.status, a.amount_asked from roadmap_funding_applications a
       join roadmap_projects p on p.tenant_id = a.tenant_id and p.id = a.project_id join roadmap_programmes g on g.id = a.programme_id
       where p.slug = 'plateforme-relation-usagers' order by g.slug`,
    ),
  );

before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await roadmapModule.seedDemo!({ db: t.db, config: t.config }, () => {});
  const id = async (slug: string) => (await t.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug])))!.id;
  nantesId = await id('nantes-metropole');
  const browser = async (tenantId: string, role: 'tenant_admin' | 'agent') => browserFor(t, (await createPerson(t.db, { [tenantId]: [role] })).id);
  admin = await browser(nantesId, 'tenant_admin');
  agent = await browser(nantesId, 'agent');
  toulouseAdmin = await browser(await id('toulouse-metropole'), 'tenant_admin');
});
after(() => t.close());

test('another collectivité’s administrator, the agent and an anonymous visitor do not get the administrator’s funding', async () => {
  assert.equal((await get(PROJECT, toulouseAdmin)).status, 403);
  assert.equal((await get(FUNDING, toulouseAdmin)).status, 403);
  const anonymous = await get(PROJECT);
  assert.equal(anonymous.status, 303, 'sent to sign in');
  assert.doesNotMatch(anonymous.body, /400 000/);
  assert.equal((await get(PROJECT, agent)).status, 403, 'the project’s record is the administrator’s');
  // The agent reads the funding page (staff) but is offered neither a link to apply nor the form.
  const read = await get(`${FUNDING}?programme=${DSIL}`, agent);
  assert.equal(read.status, 200);
  assert.match(read.body, /Candidature : Accordée/);
  assert.doesNotMatch(read.body, /Déposer une candidature|id="candidature"/);
  const before = await applications();
  assert.equal((await postForm(t, toulouseAdmin, FUNDING, { programme: DSIL, status: 'planned', amount_asked: '1000' })).statusCode, 403);
  assert.equal((await postForm(t, agent, FUNDING, { programme: DSIL, status: 'planned', amount_asked: '1000' })).statusCode, 403);
  assert.deepEqual(await applications(), before, 'nothing written');
});

test('a hostile or already-applied programme in the link chooses nothing and is not echoed', async () => {
  for (const chosen of ['"><script>alert(1)</script>', FRANCE_RELANCE, 'programme-inconnu']) {
    const res = await get(`${FUNDING}?programme=${encodeURIComponent(chosen)}`, admin);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.body, /<script>alert/);
    const select = /<select[^>]*name="programme"[\s\S]*?<\/select>/.exec(res.body)?.[0] ?? '';
    assert.match(select, /<option value="feder-2021-2027">/, 'the programmes open to an application are offered');
    assert.doesNotMatch(select, /selected|france-relance/, chosen);
  }
});

test('the project’s staff page: plan, application with its amounts, programmes ranked with reasons and links to apply', async () => {
  const res = await get(PROJECT, admin);
  assert.equal(res.status, 200);
  const b = res.body;
  // The plan: expected, obtained, paid, and the share of the budget (1,100,000 + 180,000 €).
  assert.match(b, /Plan de financement du projet/);
  assert.match(b, /Attendu : 0 € ; obtenu : 320 000 € ; versé : 160 000 €\. Les financements obtenus couvrent 25 % du budget \(1 280 000 €\)/);
  // The application, with the amounts asked, granted and paid.
  assert.match(
    b,
    /France Relance — Transformation numérique des collectivités territoriales<\/a><br><span class="small">Plateforme de relation usagers<\/span><\/th>\s*<td>Accordée<\/td><td>400 000 €<\/td><td>320 000 €<\/td><td>160 000 €<\/td>/,
  );
  // The programmes it may claim, eligible first, each criterion with its reason.
  const section = b.slice(b.indexOf('Programmes mobilisables'));
  const order = [...section.matchAll(/<h3><a href="\/nantes-metropole\/feuille-de-route\/financements\/([a-z0-9-]+)">/g)].map((m) => m[1]);
  assert.ok(order.length >= 4 && order.length <= 5, order.join(' '));
  assert.ok(order.includes(FRANCE_RELANCE) && order.includes(DSIL));
  const eligible = [...section.matchAll(/<strong>(Éligible|Non éligible)<\/strong>/g)].map((m) => m[1]);
  assert.deepEqual(
    eligible,
    [...eligible].sort((x, y) => (x === y ? 0 : x === 'Éligible' ? -1 : 1)),
    'eligible ones first',
  );
  assert.match(section, /✗ <span class="visually-hidden">critère non rempli :<\/span> Clos depuis le 31 décembre 2022\./);
  assert.match(section, /✓ <span class="visually-hidden">critère rempli :<\/span> Ouvert aux collectivités de type EPCI\./);
  assert.match(section, /✓ <span class="visually-hidden">critère rempli :<\/span> Finance la thématique « Relation aux usagers »\./);
  // France Relance beside its application (granted), the others with a link to start one.
  assert.match(
    section,
    /<a href="\/nantes-metropole\/admin\/feuille-de-route\/candidatures\/[0-9a-f-]{36}">Candidature : Accordée<span class="visually-hidden"> — France Relance/,
  );
  assert.match(section, new RegExp(`<a href="${FUNDING}\\?programme=${DSIL}#candidature">Déposer une candidature`));
  assert.doesNotMatch(section, new RegExp(`programme=${FRANCE_RELANCE}`), 'no second application to the same programme');
  assert.match(b, new RegExp(`<a href="${FUNDING}">Page des financements du projet`));
  // In English too.
  const en = await t.app.inject({ url: PROJECT, headers: { cookie: `${admin.headers.cookie}; bastide_lang=en` } });
  assert.match(nbsp(en.body), /Programmes to claim[\s\S]*Start an application/);
});

test('following the link: the form has the programme chosen; the application saved shows on the project’s page', async () => {
  const form = await get(`${FUNDING}?programme=${DSIL}`, admin);
  assert.match(form.body, /<form method="post" action="[^"]+\/financements" id="candidature" novalidate>/);
  assert.match(form.body, new RegExp(`<option value="${DSIL}" selected>`));
  const saved = await postForm(t, admin, FUNDING, { programme: DSIL, status: 'planned', amount_asked: '150 000' });
  assert.equal(saved.statusCode, 303, saved.body);
  assert.deepEqual(
    (await applications()).map((a) => [a.programme, a.status, a.amount_asked]),
    [
      [DSIL, 'planned', 150000],
      [FRANCE_RELANCE, 'granted', 400000],
    ],
  );
  const page = await get(PROJECT, admin);
  assert.match(page.body, /Attendu : 150 000 € ; obtenu : 320 000 €/);
  assert.match(page.body, /Candidature : Prévue<span class="visually-hidden"> — Dotation de soutien/);
  const journal = await t.db.transaction(nantesId, (tx) =>
    tx.query<{ data: { programme: string } }>(`select data from journal_entries where action = 'roadmap.funding.application.create' order by at desc limit 1`),
  );
  assert.equal(journal[0]?.data.programme, DSIL);
});

test('the public project page: what it obtained and the share of its budget, never the amounts asked; the roadmap shows what Bastide measures', async () => {
  const pub = await get('/nantes-metropole/feuille-de-route/projets/plateforme-relation-usagers');
  assert.equal(pub.status, 200);
  assert.match(pub.body, /Au total : 320 000 € obtenus, dont 160 000 € versés\. Les financements obtenus couvrent 25 % du budget/);
  assert.doesNotMatch(pub.body, /400 000|150 000|Déposer une candidature|Candidature :/);
  const roadmap = await get('/nantes-metropole/feuille-de-route');
  assert.match(roadmap.body, /Dossiers déposés en ligne \(mesuré par Bastide\)/);
  assert.match(roadmap.body, /EcoIndex des pages Bastide de la collectivité \(mesuré par Bastide\)/);
});

// The staff pages through HTTP with real sessions and CSRF tokens: another collectivité's administrator and
// the collectivité's own agent are refused; a form with bad fields comes back (422) with a message beside
// each field and nothing stored; a right one saves, journals, and shows on the public page once published.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, postForm, type TestApp } from '../../../../test/helpers/app.ts';
import { roadmapTenant } from '../../../../test/support/roadmap/tenants.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const FORM = {
  title: 'Archivage numérique mutualisé',
  theme: 'archiving',
  stage: 'running',
  start_on: '2021-06-01',
  end_on: '2023-12-31',
  budget_investment: '800 000',
  budget_operation: '90000',
};

test('staff pages refuse another collectivité’s administrator, an agent and an anonymous visitor', async () => {
  const a = await roadmapTenant(t);
  const b = await roadmapTenant(t);
  const base = `/${b.tenant.slug}/admin/feuille-de-route`;
  assert.equal((await t.app.inject({ url: base, headers: a.admin.headers })).statusCode, 403);
  assert.equal((await t.app.inject({ url: base, headers: b.agent.headers })).statusCode, 403);
  const anonymous = await t.app.inject({ url: base });
  assert.equal(anonymous.statusCode, 303, 'sent to sign in');
  assert.equal((await postForm(t, a.admin, `${base}/projets`, FORM)).statusCode, 403);
  assert.equal((await postForm(t, b.agent, `${base}/projets`, FORM)).statusCode, 403);
  assert.equal((await postForm(t, b.agent, `${base}/mesurer`, {})).statusCode, 403);
  const rows = await t.db.transaction(b.tenant.id, (tx) => tx.query('select 1 from roadmap_projects'));
  assert.equal(rows.length, 0);
});

test('a form with bad fields comes back with each error beside its field; nothing is stored', async () => {
  const a = await roadmapTenant(t);
  const base = `/${a.tenant.slug}/admin/feuille-de-route`;
  const res = await postForm(t, a.admin, `${base}/projets`, { ...FORM, end_on: '2020-01-01', budget_investment: '-5', partners: 'pas-une-collectivite' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /<p class="error" id="error-end_on">La date de fin précède la date de début\.<\/p>/);
  assert.match(res.body, /id="error-budget_investment">Montant en euros entiers/);
  assert.match(res.body, /value="Archivage numérique mutualisé"/, 'what was typed is kept');
  assert.equal((await t.db.transaction(a.tenant.id, (tx) => tx.query('select 1 from roadmap_projects'))).length, 0);
});

test('the administrator creates, edits and publishes a project, adds an indicator and a value; the public page shows it', async () => {
  const a = await roadmapTenant(t);
  const base = `/${a.tenant.slug}/admin/feuille-de-route`;
  const created = await postForm(t, a.admin, `${base}/projets`, FORM);
  assert.equal(created.statusCode, 303, created.body);
  const page = created.headers.location!.split('?')[0]!;
  assert.equal(page, `${base}/projets/archivage-numerique-mutualise`);
  assert.equal((await t.app.inject({ url: `/${a.tenant.slug}/feuille-de-route/projets/archivage-numerique-mutualise` })).statusCode, 404, 'a draft');
  const edited = await postForm(t, a.admin, page, {
    ...FORM,
    description: 'SAE commun.',
    published: 'on',
    partners: '',
    links: 'dataset subventions-attribuees',
  });
  assert.equal(edited.statusCode, 303, edited.body);
  const indicator = await postForm(t, a.admin, `${page}/indicateurs`, { name: 'Dossiers archivés', unit: 'count', source: 'manual', target: '1000' });
  assert.equal(indicator.statusCode, 303, indicator.body);
  const staffPage = await t.app.inject({ url: page, headers: a.admin.headers });
  const id = /<option value="([0-9a-f-]{36})"/.exec(staffPage.body)![1]!;
  const badValue = await postForm(t, a.admin, `${page}/valeurs`, { indicator: id, measured_on: '2022-01-01', value: '12.5' });
  assert.equal(badValue.statusCode, 422);
  assert.match(badValue.body, /Un nombre entier positif est attendu/);
  assert.equal((await postForm(t, a.admin, `${page}/valeurs`, { indicator: id, measured_on: '2022-01-01', value: '120' })).statusCode, 303);
  const pub = await t.app.inject({ url: `/${a.tenant.slug}/feuille-de-route/projets/archivage-numerique-mutualise` });
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /SAE commun\./);
  assert.match(pub.body, /href="\/[a-z0-9-]+\/donnees\/subventions-attribuees"/);
  assert.match(pub.body, /<td>120<\/td>/);
  const journal = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ action: string }>("select action from journal_entries where action like 'roadmap.%' order by at, id"),
  );
  assert.deepEqual(
    journal.map((j) => j.action),
    ['roadmap.project.create', 'roadmap.project.update', 'roadmap.indicator.create', 'roadmap.indicator.value'],
  );
});

test('"measure now" queues one measurement per collectivité however often it is pressed', async () => {
  const a = await roadmapTenant(t);
  const base = `/${a.tenant.slug}/admin/feuille-de-route`;
  await t.deps.jobs.stop();
  for (let i = 0; i < 3; i++) assert.equal((await postForm(t, a.admin, `${base}/mesurer`, {})).statusCode, 303);
  const queued = await t.db.ownerTransaction((tx) =>
    tx.query("select 1 from jobs where kind = 'roadmap.measure' and tenant_id = $1 and state in ('queued', 'running')", [a.tenant.id]),
  );
  assert.equal(queued.length, 1);
});

// Applications of a project to funding programmes. Attacks first: another collectivité's administrator
// cannot read, create or change an application of this one (its project and its applications do not exist
// for them); an agent cannot write; bad amounts and dates are refused per field, nothing stored. Then the
// use: matching with reasons, an application granted and paid, its documents, the plans, the public part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { seedProgrammes } from './seed.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let adminA: string;
let adminB: string;
let agentA: string;
let adminAPerson: { id: string };
const FR = 'france-relance-transformation-numerique-des-collectivites';

const count = () => t.db.ownerTransaction(async (tx) => (await tx.one<{ n: number }>('select count(*)::int as n from roadmap_funding_applications'))!.n);
const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: object, lang = 'fr') =>
  t.app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': lang }, ...(payload ? { payload } : {}) });

before(async () => {
  t = await startTestApp();
  a = await createTestTenant(t.db);
  b = await createTestTenant(t.db);
  adminAPerson = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  const adminBPerson = await createPerson(t.db, { [b.id]: ['tenant_admin'] });
  adminA = await apiToken(t, a.id, 'tenant_admin', adminAPerson.id);
  adminB = await apiToken(t, b.id, 'tenant_admin', adminBPerson.id);
  agentA = await apiToken(t, a.id, 'agent');
  await seedProgrammes(t);
  for (const [tenant, published] of [
    [a, true],
    [b, true],
  ] as const) {
    await t.db.transaction(tenant.id, (tx) =>
      tx.query(
        `insert into roadmap_projects (tenant_id, slug, title, theme, stage, budget_investment, budget_operation, published)
         values (app_tenant(), 'relation-usagers', 'Relation usagers', 'citizen_relations', 'running', 1000000, 200000, $1)`,
        [published],
      ),
    );
  }
});
after(() => t.close());

test('another collectivité cannot create, read or change this one’s applications', async () => {
  const created = await call('POST', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminA, { programme: FR, amount_asked: 400000 });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json<{ id: string }>();
  const n = await count();

  // B's token on A's address: A's resources do not exist for it.
  assert.equal(
    (await call('POST', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminB, { programme: 'feder-2021-2027', amount_asked: 1 }))
      .statusCode,
    404,
  );
  assert.equal((await call('PUT', `/api/v1/${a.slug}/roadmap/applications/${id}`, adminB, { amount_asked: 1 })).statusCode, 404);
  // B's token on B's address, naming A's application: not found, nothing changed.
  assert.equal(
    (await call('PUT', `/api/v1/${b.slug}/roadmap/applications/${id}`, adminB, { status: 'granted', amount_asked: 1, amount_granted: 1 })).statusCode,
    404,
  );
  const browserB = await browserFor(t, (await createPerson(t.db, { [b.id]: ['tenant_admin'] })).id);
  assert.equal((await t.app.inject({ url: `/${b.slug}/admin/feuille-de-route/candidatures/${id}`, headers: browserB.headers })).statusCode, 404);
  assert.equal((await postForm(t, browserB, `/${b.slug}/admin/feuille-de-route/candidatures/${id}`, { amount_asked: '1' })).statusCode, 404);
  // An agent of A reads but does not write.
  assert.equal((await call('GET', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, agentA)).statusCode, 200);
  assert.equal((await call('PUT', `/api/v1/${a.slug}/roadmap/applications/${id}`, agentA, { amount_asked: 1 })).statusCode, 403);
  // Anonymous visitors do not read the applications.
  assert.ok([401, 403].includes((await call('GET', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, null)).statusCode));
  assert.equal(await count(), n);
  const row = await t.db.ownerTransaction((tx) =>
    tx.one<{ amount_asked: number; status: string }>('select amount_asked, status from roadmap_funding_applications where id = $1', [id]),
  );
  assert.deepEqual({ ...row }, { amount_asked: 400000, status: 'planned' });
});

test('bad amounts and dates: errors per field in French and English, nothing stored', async () => {
  const n = await count();
  const bad = {
    programme: 'dsil-dotation-de-soutien-a-l-investissement-local',
    status: 'granted',
    amount_asked: 100,
    amount_granted: 200,
    amount_paid: 300,
    submitted_on: '2022-05-01',
    decided_on: '2022-04-01',
  };
  const fr = await call('POST', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminA, bad, 'fr');
  assert.equal(fr.statusCode, 422, fr.body);
  const errors = fr.json<{ errors: Record<string, string[]> }>().errors;
  assert.match(errors.amount_granted!.join(), /dépasse le montant demandé/);
  assert.match(errors.amount_paid!.join(), /dépasse le montant accordé/);
  assert.match(errors.decided_on!.join(), /précède le dépôt/);
  const en = await call('POST', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminA, { ...bad, programme: 'nope' }, 'en');
  const enErrors = en.json<{ errors: Record<string, string[]> }>().errors;
  assert.match(enErrors.amount_granted!.join(), /above the amount asked/);
  assert.match(enErrors.programme!.join(), /Choose a programme/);
  const negative = await call('POST', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminA, {
    programme: 'feder-2021-2027',
    amount_asked: -5,
  });
  assert.equal(negative.statusCode, 422);
  assert.equal(await count(), n);
  // The database refuses the same, whatever the code above it.
  await assert.rejects(
    t.db.transaction(a.id, (tx) =>
      tx.query(
        `insert into roadmap_funding_applications (tenant_id, project_id, programme_id, status, amount_asked, amount_granted, amount_paid)
         select app_tenant(), p.id, g.id, 'granted', 10, 20, 5 from roadmap_projects p, roadmap_programmes g where p.slug = 'relation-usagers' and g.slug = 'feder-2021-2027'`,
      ),
    ),
    /check constraint/,
  );
});

test('matching, an application granted and paid, its documents, the plans and what the public sees', async () => {
  const matched = await call('GET', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/programmes`, null, undefined, 'en');
  assert.equal(matched.statusCode, 200, matched.body);
  const items = matched.json<{ items: Array<{ programme: { slug: string }; eligible: boolean; reasons: Array<{ criterion: string; text: string }> }> }>().items;
  // France Relance closed at the end of 2022: listed because the project applied to it, with its reasons.
  const fr = items.find((i) => i.programme.slug === FR)!;
  assert.equal(fr.eligible, false);
  assert.match(fr.reasons.find((r) => r.criterion === 'theme')!.text, /Funds the theme “Citizen relations”/);
  assert.match(fr.reasons.find((r) => r.criterion === 'dates')!.text, /Closed since 31 December 2022/);
  const dsil = items.find((i) => i.programme.slug === 'dsil-dotation-de-soutien-a-l-investissement-local')!;
  assert.equal(dsil.eligible, true);
  assert.match(dsil.reasons.find((r) => r.criterion === 'amount')!.text, /Up to €960,000 \(80% of €1,200,000\)/);
  assert.equal(items[0]!.eligible, true, 'eligible programmes first');
  assert.ok(!items.some((i) => i.programme.slug === 'detr-dotation-d-equipement-des-territoires-ruraux' && i.eligible), 'DETR: the commune is above 75,000');

  const id = (await call('GET', `/api/v1/${a.slug}/roadmap/projects/relation-usagers/applications`, adminA)).json<{ items: Array<{ id: string }> }>().items[0]!
    .id;
  const granted = await call('PUT', `/api/v1/${a.slug}/roadmap/applications/${id}`, adminA, {
    status: 'granted',
    amount_asked: 400000,
    amount_granted: 320000,
    amount_paid: 160000,
    submitted_on: '2021-03-15',
    decided_on: '2021-07-08',
    paid_on: '2021-10-01',
  });
  assert.equal(granted.statusCode, 200, granted.body);
  const journal = await t.db.transaction(a.id, (tx) =>
    tx.query<{ action: string }>(`select action from journal_entries where subject_id = $1 order by at`, [id]),
  );
  assert.deepEqual(
    journal.map((j) => j.action),
    ['roadmap.funding.application.create', 'roadmap.funding.application.update'],
  );

  // A document: a PDF is kept, a script is refused and leaves nothing.
  const browser = await browserFor(t, adminAPerson.id);
  const upload = (name: string, type: string, bytes: Buffer) => {
    const boundary = 'x-boundary-h7';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/${a.slug}/admin/feuille-de-route/candidatures/${id}/documents?_csrf=${encodeURIComponent(browser.csrf)}`,
      headers: { ...browser.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  assert.equal((await upload('arrete.pdf', 'application/pdf', pdf)).statusCode, 303);
  const refused = await upload('x.sh', 'application/pdf', Buffer.from('#!/bin/sh\nrm -rf /\n'));
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /Type de fichier refusé/);
  const docs = await t.db.transaction(a.id, (tx) => tx.query<{ id: string }>('select id from roadmap_funding_documents where application_id = $1', [id]));
  assert.equal(docs.length, 1);
  const download = await t.app.inject({ url: `/${a.slug}/admin/feuille-de-route/candidatures/${id}/documents/${docs[0]!.id}`, headers: browser.headers });
  assert.equal(download.statusCode, 200);
  assert.ok(download.rawPayload.equals(pdf));

  // Staff pages: the project's funding (matches with reasons, plan) and the roadmap's plan.
  const page = await t.app.inject({ url: `/${a.slug}/admin/feuille-de-route/projets/relation-usagers/financements`, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Finance la thématique « Relation aux usagers »/);
  assert.match(page.body, /320\u202f000\s€|320 000 €/);
  const plan = await call('GET', `/api/v1/${a.slug}/roadmap/funding-plan`, null);
  assert.deepEqual(plan.json<{ plan: { obtained: number; planned: number; paid: number } }>().plan, {
    ...plan.json<{ plan: object }>().plan,
    obtained: 320000,
    paid: 160000,
    planned: 0,
  });
  assert.deepEqual(plan.json<{ items: unknown[] }>().items, []);
});

// The network's attacks first: a non-member cannot endorse nor read what is kept for members; a member's
// administrator cannot edit the network's bodies; another network's administrator can do nothing; the
// application role cannot write an endorsement by itself nor another tenant's rows; the network view never
// shows a member's unpublished project nor a former member's projects. Then what must work, does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp, type TestPerson } from '../../../../test/helpers/app.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { renderPdf } from '../../procedures/index.ts';

let t: TestApp;
let net: Tenant;
let net2: Tenant;
let a: Tenant;
let b: Tenant;
let c: Tenant;
let netAdmin: TestPerson;
let aAdmin: TestPerson;
let bAdmin: TestPerson;
let cAdmin: TestPerson;
let aAgent: TestPerson;
let net2Admin: TestPerson;
let netToken: string;
let contributionId: string;

async function network(name: string, slug: string): Promise<Tenant> {
  const r = await createTenant(t.db, { kind: 'network', name, slug });
  if (!r.ok) throw new Error(r.message);
  return r.tenant;
}

const json = (token: string, method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

const count = (sql: string, params: unknown[] = []) => t.db.ownerTransaction(async (tx) => (await tx.one<{ n: number }>(sql, params))!.n);

before(async () => {
  t = await startTestApp();
  net = await network('Réseau de test', `reseau-${process.pid}`);
  net2 = await network('Autre réseau', `autre-reseau-${process.pid}`);
  [a, b, c] = [await createTestTenant(t.db), await createTestTenant(t.db), await createTestTenant(t.db)];
  netAdmin = await createPerson(t.db, { [net.id]: ['tenant_admin'] });
  aAdmin = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  bAdmin = await createPerson(t.db, { [b.id]: ['tenant_admin'] });
  cAdmin = await createPerson(t.db, { [c.id]: ['tenant_admin'] });
  aAgent = await createPerson(t.db, { [a.id]: ['agent'] });
  net2Admin = await createPerson(t.db, { [net2.id]: ['tenant_admin'] });
  netToken = await apiToken(t, net.id, 'tenant_admin', netAdmin.id);
  // Joining: the network invites, the member's administrator accepts from its own tenant.
  for (const [m, admin] of [
    [a, aAdmin],
    [b, bAdmin],
  ] as const) {
    assert.equal((await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/invitations`, { member: m.slug })).statusCode, 204);
    const token = await apiToken(t, m.id, 'tenant_admin', admin.id);
    assert.equal((await json(token, 'POST', `/api/v1/${m.slug}/reseaux/${net.slug}/adhesion`)).statusCode, 204);
  }
  assert.equal(
    (await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/instances`, { slug: 'numerique', kind: 'commission', name: 'Commission' })).statusCode,
    201,
  );
  assert.equal(
    (
      await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/instances/numerique/reunions`, {
        held_on: '2021-02-04',
        title: 'Réunion',
        agenda: ['Point 1'],
        minutes: 'Compte rendu confidentiel',
      })
    ).statusCode,
    201,
  );
  const created = await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/contributions`, { slug: 'cite', title: 'Contribution réservée' });
  contributionId = created.json<{ id: string }>().id;
});

after(async () => {
  await t.close();
});

test('a non-member cannot join without an invitation, nor endorse: 404, nothing written', async () => {
  const cToken = await apiToken(t, c.id, 'tenant_admin', cAdmin.id);
  assert.equal((await json(cToken, 'POST', `/api/v1/${c.slug}/reseaux/${net.slug}/adhesion`)).statusCode, 404);
  assert.equal(
    (await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/contributions/cite/adoption`, { body: 'numerique', adopted_on: '2021-02-04' })).statusCode,
    204,
  );
  assert.equal((await json(cToken, 'PUT', `/api/v1/${c.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, {})).statusCode, 404);
  const browser = await browserFor(t, cAdmin.id);
  assert.equal((await postForm(t, browser, `/${c.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, {})).statusCode, 404);
  assert.equal(await count('select count(*)::int as n from network_endorsements where tenant_id = $1', [net.id]), 0);
  assert.equal(await count(`select count(*)::int as n from tenant_relations where tenant_id = $1 and kind = 'network_member'`, [c.id]), 0);
});

test('what is kept for members: anonymous and non-members get 404, a member’s agent reads it', async () => {
  const url = `/${net.slug}/reseau/contributions/cite`;
  assert.equal((await t.app.inject({ url })).statusCode, 404);
  assert.equal((await t.app.inject({ url, headers: (await browserFor(t, cAdmin.id)).headers })).statusCode, 404);
  assert.equal((await t.app.inject({ url, headers: (await browserFor(t, net2Admin.id)).headers })).statusCode, 404);
  const member = await t.app.inject({ url, headers: (await browserFor(t, aAgent.id)).headers });
  assert.equal(member.statusCode, 200);
  // The agent reads it but may not endorse: no form, and the form's target refuses.
  assert.doesNotMatch(member.body, /\/soutien"/);
  assert.equal(
    (await postForm(t, await browserFor(t, aAgent.id), `/${a.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, {})).statusCode,
    403,
  );
  const meetingId = (await t.db.transaction(net.id, (tx) => tx.one<{ id: string }>('select id from network_meetings')))!.id;
  const anonymous = await t.app.inject({ url: `/${net.slug}/reseau/reunions/${meetingId}` });
  assert.equal(anonymous.statusCode, 200);
  assert.doesNotMatch(anonymous.body, /confidentiel/);
  assert.match(
    (await t.app.inject({ url: `/${net.slug}/reseau/reunions/${meetingId}`, headers: (await browserFor(t, aAgent.id)).headers })).body,
    /confidentiel/,
  );
});

test('a member’s administrator and another network’s administrator cannot edit the network', async () => {
  const aToken = await apiToken(t, a.id, 'tenant_admin', aAdmin.id);
  const n2Token = await apiToken(t, net2.id, 'tenant_admin', net2Admin.id);
  for (const token of [aToken, n2Token]) {
    const res = await json(token, 'POST', `/api/v1/${net.slug}/reseau/instances`, { slug: 'pirate', kind: 'board', name: 'Pirate' });
    // A token of another tenant is not a credential here at all (401/404), an admin of a member is no admin here (403).
    assert.ok([401, 403, 404].includes(res.statusCode), `status ${res.statusCode}`);
    const seat = await json(token, 'POST', `/api/v1/${net.slug}/reseau/instances/numerique/sieges`, { member: a.slug, seat_role: 'Président' });
    assert.ok([401, 403, 404].includes(seat.statusCode));
  }
  // Another network's administrator, from its own network, cannot act as a member either.
  assert.equal((await json(n2Token, 'PUT', `/api/v1/${net2.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, {})).statusCode, 403);
  assert.equal(await count(`select count(*)::int as n from network_bodies where slug = 'pirate'`), 0);
  assert.equal(await count('select count(*)::int as n from network_seats where tenant_id = $1', [net.id]), 0);
});

test('the application role cannot write an endorsement nor another tenant’s rows, and the functions check the person', async () => {
  await assert.rejects(
    t.db.transaction(a.id, (tx) =>
      tx.query('insert into network_endorsements (tenant_id, contribution_id, member_tenant_id) values ($1, $2, $3)', [net.id, contributionId, a.id]),
    ),
  );
  await assert.rejects(
    t.db.transaction(a.id, (tx) => tx.query(`insert into network_bodies (tenant_id, slug, kind, name) values ($1, 'x', 'board', 'X')`, [net.id])),
  );
  await assert.rejects(t.db.transaction(a.id, (tx) => tx.query(`select network_journal($1, $2, 'x', '', '', '{}')`, [net.id, aAdmin.id])));
  // A's agent named as the person: refused by the function itself.
  const ok = await t.db.transaction(a.id, (tx) =>
    tx.one<{ ok: boolean }>('select network_endorse($1, $2, $3, $4) as ok', [net.id, contributionId, aAgent.id, '']),
  );
  assert.equal(ok!.ok, false);
  // Another collectivité's admin named while acting in A's transaction: refused too.
  const forged = await t.db.transaction(a.id, (tx) =>
    tx.one<{ ok: boolean }>('select network_endorse($1, $2, $3, $4) as ok', [net.id, contributionId, cAdmin.id, '']),
  );
  assert.equal(forged!.ok, false);
  assert.equal(await count('select count(*)::int as n from network_endorsements where tenant_id = $1', [net.id]), 0);
});

test('a member’s administrator endorses from its own tenant; both journals say so; withdrawing works', async () => {
  const browser = await browserFor(t, aAdmin.id);
  const page = await t.app.inject({ url: `/${net.slug}/reseau/contributions/cite`, headers: browser.headers });
  assert.match(page.body, new RegExp(`action="/${a.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien"`));
  const res = await postForm(t, browser, `/${a.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, { comment: 'Oui' });
  assert.equal(res.statusCode, 303);
  assert.equal(await count('select count(*)::int as n from network_endorsements where tenant_id = $1 and member_tenant_id = $2', [net.id, a.id]), 1);
  assert.equal(await count(`select count(*)::int as n from journal_entries where tenant_id = $1 and action = 'roadmap.network.endorsement.add'`, [net.id]), 1);
  assert.equal(await count(`select count(*)::int as n from journal_entries where tenant_id = $1 and action = 'roadmap.network.endorse'`, [a.id]), 1);
  const after = await t.app.inject({ url: `/${net.slug}/reseau/contributions/cite`, headers: browser.headers });
  assert.match(after.body, /Oui/);
  assert.equal((await postForm(t, browser, `/${a.slug}/reseaux/${net.slug}/contributions/${contributionId}/soutien`, { withdraw: '1' })).statusCode, 303);
  assert.equal(await count('select count(*)::int as n from network_endorsements where tenant_id = $1', [net.id]), 0);
});

test('documents: bounded and typed uploads, versions numbered; a wrong type stores nothing', async () => {
  const form = (name: string, type: string, bytes: Buffer) => {
    const boundary = 'xBOUNDARYx';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\nv\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/${net.slug}/reseau/contributions/cite/versions`,
      headers: { authorization: `Bearer ${netToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  };
  const bad = await form('x.pdf', 'application/pdf', Buffer.from('<html>not a pdf</html>'));
  assert.equal(bad.statusCode, 422);
  assert.equal(await count('select count(*)::int as n from network_contribution_versions where tenant_id = $1', [net.id]), 0);
  const pdf = renderPdf({ title: 'Contribution', blocks: [{ type: 'paragraph', text: 'Texte' }] });
  const ok = await form('contribution.pdf', 'application/pdf', pdf);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json<{ version: number }>().version, 1);
  assert.equal(
    (await form('contribution-2.pdf', 'application/pdf', renderPdf({ title: 'v2', blocks: [{ type: 'paragraph', text: 'Deux' }] }))).json<{ version: number }>()
      .version,
    2,
  );
  const download = await t.app.inject({ url: `/${net.slug}/reseau/contributions/cite/versions/1`, headers: (await browserFor(t, aAgent.id)).headers });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.equal((await t.app.inject({ url: `/${net.slug}/reseau/contributions/cite/versions/1` })).statusCode, 404);
});

test('bad input: a seat for a non-member, an event ending before it starts — clear errors, nothing stored', async () => {
  const seat = await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/instances/numerique/sieges`, { member: c.slug, seat_role: 'Co-présidence' });
  assert.equal(seat.statusCode, 422);
  assert.match(seat.body, /membre/);
  const event = await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/evenements`, {
    slug: 'forum',
    kind: 'forum',
    title: 'Forum',
    starts_on: '2021-03-18',
    ends_on: '2021-03-17',
  });
  assert.equal(event.statusCode, 422);
  assert.equal(await count('select count(*)::int as n from network_events where tenant_id = $1', [net.id]), 0);
  const dup = await json(netToken, 'POST', `/api/v1/${net.slug}/reseau/instances`, { slug: 'numerique', kind: 'commission', name: 'Doublon' });
  assert.equal(dup.statusCode, 422);
});

test('debate kits shared with the network appear with a link to copy them; a non-member’s kit does not', async () => {
  const kit = (tenant: Tenant, slug: string) =>
    t.db.transaction(tenant.id, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into debate_kits (tenant_id, slug, title, sharing) values (app_tenant(), $1, $2, 'network') returning id`,
        [slug, `Kit ${slug}`],
      ))!;
      await tx.query('insert into debate_kit_networks (tenant_id, kit_id, network_id) values (app_tenant(), $1, $2)', [row.id, net.id]);
    });
  await kit(b, 'kit-de-b');
  await kit(c, 'kit-de-c');
  const page = await t.app.inject({ url: `/${net.slug}/reseau/vue`, headers: (await browserFor(t, aAdmin.id)).headers });
  assert.match(page.body, /Kit kit-de-b/);
  assert.doesNotMatch(page.body, /kit-de-c/);
  assert.match(page.body, new RegExp(`href="/${a.slug}/admin/concertations/kits/${b.slug}/kit-de-b"`));
  assert.doesNotMatch((await t.app.inject({ url: `/${net.slug}/reseau/vue` })).body, /concertations\/kits/);
});

test('the network view shows members’ published projects only, and forgets a member that leaves', async () => {
  const project = (tenantId: string, slug: string, published: boolean) =>
    t.db.transaction(tenantId, (tx) =>
      tx.query(`insert into roadmap_projects (tenant_id, slug, title, theme, stage, published) values (app_tenant(), $1, $2, 'data', 'running', $3)`, [
        slug,
        `Projet ${slug}`,
        published,
      ]),
    );
  await project(b.id, 'publie-b', true);
  await project(b.id, 'brouillon-b', false);
  await project(c.id, 'publie-c', true);
  // Funding granted to B's published project counts; to its draft, not.
  const programme = await t.db.ownerTransaction(
    async (tx) =>
      (await tx.one<{ id: string }>(
        `insert into roadmap_programmes (slug, name, funder, nature, audiences, territory, themes, recurrence)
         values ('aide-test-reseau', 'Aide', 'État', 'grant', '{commune}', '{FR}', '{data}', 'permanent') returning id`,
      ))!.id,
  );
  for (const [slug, amount] of [
    ['publie-b', 30000],
    ['brouillon-b', 99999],
  ] as const) {
    await t.db.transaction(b.id, (tx) =>
      tx.query(
        `insert into roadmap_funding_applications (tenant_id, project_id, programme_id, status, amount_asked, amount_granted)
         select app_tenant(), id, $2, 'granted', $3, $3 from roadmap_projects where slug = $1`,
        [slug, programme, amount],
      ),
    );
  }
  const granted = await t.app.inject({ url: `/api/v1/${net.slug}/reseau/vue` });
  assert.equal(granted.json<{ members: Array<{ slug: string; granted: number }> }>().members.find((m) => m.slug === b.slug)!.granted, 30000);
  const view = await t.app.inject({ url: `/${net.slug}/reseau/vue?theme=data` });
  assert.equal(view.statusCode, 200);
  assert.match(view.body, /Projet publie-b/);
  assert.doesNotMatch(view.body, /brouillon-b/);
  assert.doesNotMatch(view.body, /publie-c/);
  const bToken = await apiToken(t, b.id, 'tenant_admin', bAdmin.id);
  assert.equal((await json(bToken, 'DELETE', `/api/v1/${b.slug}/reseaux/${net.slug}/adhesion`)).statusCode, 204);
  assert.equal(await count(`select count(*)::int as n from journal_entries where tenant_id = $1 and action = 'roadmap.network.member.leave'`, [net.id]), 1);
  assert.doesNotMatch((await t.app.inject({ url: `/${net.slug}/reseau/vue?theme=data` })).body, /publie-b/);
  const api = await t.app.inject({ url: `/api/v1/${net.slug}/reseau/vue` });
  assert.equal(api.statusCode, 200);
  assert.deepEqual(
    api.json<{ members: Array<{ slug: string }> }>().members.map((m) => m.slug),
    [a.slug],
  );
  // A collectivité that is not a network has no network pages.
  assert.equal((await t.app.inject({ url: `/${a.slug}/reseau` })).statusCode, 404);
});

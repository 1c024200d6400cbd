// The network's HTML forms through HTTP with sessions and CSRF tokens. Attacks first: another network's
// administrator gets 404 on this network's meeting, a member's agent and a member's administrator are
// refused the minutes form, an agent cannot accept an invitation nor declare a solution, a collectivité
// that was not invited cannot join, a post without its CSRF token is refused; bad fields come back with a
// message beside each (fr/en) and nothing written. Then accepting, declaring, publishing and leaving work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp, type TestPerson } from '../../../../test/helpers/app.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';

let t: TestApp;
let net: Tenant;
let net2: Tenant;
let a: Tenant;
let c: Tenant;
let netAdmin: TestPerson;
let net2Admin: TestPerson;
let aAdmin: TestPerson;
let aAgent: TestPerson;
let cAdmin: TestPerson;
let meetingId: string;

async function network(name: string, slug: string): Promise<Tenant> {
  const r = await createTenant(t.db, { kind: 'network', name, slug });
  if (!r.ok) throw new Error(r.message);
  return r.tenant;
}
const json = (token: string, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
const count = (sql: string, params: unknown[] = []) => t.db.ownerTransaction(async (tx) => (await tx.one<{ n: number }>(sql, params))!.n);
const as = async (p: TestPerson | null) => browserFor(t, p?.id ?? null);

before(async () => {
  t = await startTestApp();
  net = await network('Réseau des formulaires', `formulaires-${process.pid}`);
  net2 = await network('Un autre réseau', `autre-formulaires-${process.pid}`);
  [a, c] = [await createTestTenant(t.db), await createTestTenant(t.db)];
  netAdmin = await createPerson(t.db, { [net.id]: ['tenant_admin'] });
  net2Admin = await createPerson(t.db, { [net2.id]: ['tenant_admin'] });
  aAdmin = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  aAgent = await createPerson(t.db, { [a.id]: ['agent'] });
  cAdmin = await createPerson(t.db, { [c.id]: ['tenant_admin'] });
  const token = await apiToken(t, net.id, 'tenant_admin', netAdmin.id);
  assert.equal((await json(token, `/api/v1/${net.slug}/reseau/invitations`, { member: a.slug })).statusCode, 204);
  assert.equal((await json(token, `/api/v1/${net.slug}/reseau/instances`, { slug: 'numerique', kind: 'commission', name: 'Commission' })).statusCode, 201);
  const meeting = await json(token, `/api/v1/${net.slug}/reseau/instances/numerique/reunions`, {
    held_on: '2021-02-04',
    title: 'Réunion',
    agenda: ['Point 1'],
  });
  meetingId = meeting.json<{ id: string }>().id;
  assert.equal(
    (await json(token, `/api/v1/${net.slug}/reseau/solutions`, { slug: 'publik', name: 'Publik', kind: 'software', theme: 'relation aux usagers' })).statusCode,
    201,
  );
});
after(() => t.close());

const minutesUrl = () => `/${net.slug}/reseau/reunions/${meetingId}/compte-rendu`;
const minutesOf = () =>
  t.db.ownerTransaction(
    async (tx) =>
      (await tx.one<{ minutes: string; minutes_public: boolean }>('select minutes, minutes_public from network_meetings where id = $1', [meetingId]))!,
  );

test('the minutes form: another network’s admin gets 404, a member’s admin 403, no CSRF token refused', async () => {
  const other = await as(net2Admin);
  assert.equal((await t.app.inject({ url: `/${net2.slug}/reseau/reunions/${meetingId}/compte-rendu`, headers: other.headers })).statusCode, 404);
  assert.equal(
    (await postForm(t, other, `/${net2.slug}/reseau/reunions/${meetingId}/compte-rendu`, { minutes: 'pris', minutes_public: 'yes' })).statusCode,
    404,
  );
  assert.equal((await postForm(t, other, minutesUrl(), { minutes: 'pris', minutes_public: 'yes' })).statusCode, 403);
  const member = await as(aAdmin);
  assert.equal((await t.app.inject({ url: minutesUrl(), headers: member.headers })).statusCode, 403);
  assert.equal((await postForm(t, member, minutesUrl(), { minutes: 'pris', minutes_public: 'yes' })).statusCode, 403);
  const admin = await as(netAdmin);
  const noCsrf = await t.app.inject({
    method: 'POST',
    url: minutesUrl(),
    headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'minutes=pris&minutes_public=yes',
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal((await minutesOf()).minutes, '');
});

test('the minutes form: bad fields come back beside each field, nothing written; then it publishes', async () => {
  const admin = await as(netAdmin);
  const form = await t.app.inject({ url: minutesUrl(), headers: admin.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /name="_csrf"/);
  const meetingPage = await t.app.inject({ url: `/${net.slug}/reseau/reunions/${meetingId}`, headers: admin.headers });
  assert.match(meetingPage.body, new RegExp(`href="${minutesUrl()}"`));
  assert.doesNotMatch((await t.app.inject({ url: `/${net.slug}/reseau/reunions/${meetingId}` })).body, /compte-rendu"/);
  const bad = await postForm(t, admin, minutesUrl(), { minutes: '   ', minutes_public: 'peut-être' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-minutes"[^>]*>Écrivez le compte rendu\./);
  assert.match(bad.body, /id="error-minutes_public"/);
  assert.deepEqual(await minutesOf(), { minutes: '', minutes_public: false });
  const journaled = () => count(`select count(*)::int as n from journal_entries where action = 'roadmap.network.meeting.minutes'`);
  const before = await journaled();
  const ok = await postForm(t, admin, minutesUrl(), { minutes: 'Les co-présidences sont renouvelées.', minutes_public: 'yes' });
  assert.equal(ok.statusCode, 303);
  assert.deepEqual(await minutesOf(), { minutes: 'Les co-présidences sont renouvelées.', minutes_public: true });
  assert.equal(await journaled(), before + 1);
  const pub = await t.app.inject({ url: `/${net.slug}/reseau/reunions/${meetingId}` });
  assert.match(pub.body, /Les co-présidences sont renouvelées\./);
});

test('accepting an invitation: an agent is refused, an uninvited collectivité joins nothing; the invited one joins', async () => {
  const agent = await as(aAgent);
  assert.equal((await postForm(t, agent, `/${a.slug}/admin/reseaux/${net.slug}/adhesion`, {})).statusCode, 403);
  const uninvited = await as(cAdmin);
  const refused = await postForm(t, uninvited, `/${c.slug}/admin/reseaux/${net.slug}/adhesion`, {});
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /n’a pas invité la collectivité/);
  // Another collectivité's admin acting at a's slug: refused.
  assert.equal((await postForm(t, uninvited, `/${a.slug}/admin/reseaux/${net.slug}/adhesion`, {})).statusCode, 403);
  const isMember = (id: string) =>
    count(`select count(*)::int as n from tenant_relations where tenant_id = $1 and related_tenant_id = $2 and kind = 'network_member'`, [id, net.id]);
  assert.equal(await isMember(a.id), 0);
  assert.equal(await isMember(c.id), 0);
  const admin = await as(aAdmin);
  const page = await t.app.inject({ url: `/${a.slug}/admin/reseaux`, headers: admin.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`action="/${a.slug}/admin/reseaux/${net.slug}/adhesion"`));
  assert.equal((await postForm(t, admin, `/${a.slug}/admin/reseaux/${net.slug}/adhesion`, {})).statusCode, 303);
  assert.equal(await isMember(a.id), 1);
});

test('declaring a solution: the agent is refused, a non-member 404, bad fields per field (en too), then declared', async () => {
  const url = `/${a.slug}/admin/reseaux/${net.slug}/solutions`;
  const uses = () => count(`select count(*)::int as n from network_solution_uses where tenant_id = $1`, [a.id]);
  assert.equal((await postForm(t, await as(aAgent), url, { solution: 'publik' })).statusCode, 403);
  assert.equal((await t.app.inject({ url: `/${c.slug}/admin/reseaux/${net.slug}/solutions`, headers: (await as(cAdmin)).headers })).statusCode, 404);
  assert.equal((await postForm(t, await as(cAdmin), `/${c.slug}/admin/reseaux/${net.slug}/solutions`, { solution: 'publik' })).statusCode, 404);
  const admin = await as(aAdmin);
  const bad = await postForm(t, admin, url, { solution: 'inconnue', referent: 'x'.repeat(201), opinion: 'ok', since: '2999-01-01', visibility: 'public' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-solution"[^>]*>Cette solution n’est pas dans l’annuaire du réseau\./);
  assert.match(bad.body, /id="error-referent"[^>]*>Trop long : 200 caractères au plus\./);
  assert.match(bad.body, /id="error-since"/);
  // The same error in English, for an administrator whose language is English.
  const english = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  await t.db.ownerTransaction((tx) => tx.query(`update people set locale = 'en' where id = $1`, [english.id]));
  const en = await postForm(t, await as(english), url, { solution: 'publik', since: '2020-02-30' });
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /Date expected as YYYY-MM-DD/);
  assert.equal(await uses(), 0);
  const ok = await postForm(t, admin, url, {
    solution: 'publik',
    referent: 'Service relation usagers',
    opinion: 'Stable et libre.',
    since: '2020-01-15',
    visibility: 'public',
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(await uses(), 1);
  const page = await t.app.inject({ url: `/${net.slug}/reseau/solutions/publik` });
  assert.match(page.body, /Service relation usagers/);
  assert.match(page.body, /Stable et libre\./);
});

test('leaving: an agent is refused, a non-member is told, the member leaves', async () => {
  const isMember = () =>
    count(`select count(*)::int as n from tenant_relations where tenant_id = $1 and related_tenant_id = $2 and kind = 'network_member'`, [a.id, net.id]);
  assert.equal((await postForm(t, await as(aAgent), `/${a.slug}/admin/reseaux/${net.slug}/quitter`, {})).statusCode, 403);
  const notMember = await postForm(t, await as(cAdmin), `/${c.slug}/admin/reseaux/${net.slug}/quitter`, {});
  assert.equal(notMember.statusCode, 422);
  assert.equal(await isMember(), 1);
  assert.equal((await postForm(t, await as(aAdmin), `/${a.slug}/admin/reseaux/${net.slug}/quitter`, {})).statusCode, 303);
  assert.equal(await isMember(), 0);
});

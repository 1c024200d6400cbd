// Tenant administration through HTTP: who may open /<tenant>/admin/members, inviting to and removing roles
// (journaled), a host EPCI's administrator acting on a member commune, and identity providers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { createTenant } from '../tenancy/create-tenant.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function rolesOf(tenantId: string, personId: string): Promise<string[]> {
  const rows = await t.db.transaction(tenantId, (tx) =>
    tx.query<{ role: string }>('select role from memberships where person_id = $1 order by role', [personId]),
  );
  return rows.map((r) => r.role);
}

async function journalOf(tenantId: string, action: string) {
  return t.db.transaction(tenantId, (tx) =>
    tx.query<{ actor: string; subject_id: string; data: { role: string; invited_by?: string } }>(
      'select actor, subject_id, data from journal_entries where action = $1 order by seq',
      [action],
    ),
  );
}

/** The invitee follows the link of the last invitation mailed to them, signed in, and accepts. */
async function acceptLastInvitation(person: { id: string; email: string }): Promise<number> {
  const mail = await t.db.ownerTransaction((tx) =>
    tx.one<{ text: string }>(`select payload->>'text' as text from jobs where kind = 'core.mail.send' and payload->>'to' = $1 order by id desc limit 1`, [
      person.email,
    ]),
  );
  const [, slug, token] = /\/([a-z0-9-]+)\/invitation\?token=([\w-]+)/.exec(mail!.text)!;
  const res = await postForm(t, await browserFor(t, person.id), `/${slug}/invitation`, { token: token! });
  return res.statusCode;
}

test('only a tenant administrator of this collectivité opens its members page', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const adminA = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  const agentA = await createPerson(t.db, { [a.id]: ['agent'] });
  const anonymous = await t.app.inject(`/${a.slug}/admin/members`);
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, `/auth/sign-in?next=${encodeURIComponent(`/${a.slug}/admin/members`)}&tenant=${a.slug}`);
  assert.equal((await t.app.inject({ url: `/${a.slug}/admin/members`, headers: (await browserFor(t, agentA.id)).headers })).statusCode, 403);
  const admin = await browserFor(t, adminA.id);
  const own = await t.app.inject({ url: `/${a.slug}/admin/members`, headers: admin.headers });
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Membres et rôles/);
  assert.equal((await t.app.inject({ url: `/${b.slug}/admin/members`, headers: admin.headers })).statusCode, 403);
  const someone = await createPerson(t.db);
  const cross = await postForm(t, admin, `/${b.slug}/admin/members`, { email: someone.email, role: 'tenant_admin' });
  assert.equal(cross.statusCode, 403);
  assert.deepEqual(await rolesOf(b.id, someone.id), []);
  const home = await t.app.inject({ url: `/${a.slug}/`, headers: admin.headers });
  assert.match(home.body, new RegExp(`href="/${a.slug}/admin/members"`));
});

test('an administrator grants and removes roles, each change journaled; mistakes change nothing', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const person = await createPerson(t.db, {}, { email: 'future-agent@example.org' });
  const browser = await browserFor(t, admin.id);
  const added = await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: 'Future-Agent@example.org', role: 'agent' });
  assert.equal(added.statusCode, 303);
  assert.deepEqual(await rolesOf(tenant.id, person.id), [], 'an invitation until accepted');
  assert.equal(await acceptLastInvitation(person), 303);
  assert.deepEqual(await rolesOf(tenant.id, person.id), ['agent']);
  const entries = await journalOf(tenant.id, 'core.member.add');
  assert.deepEqual(
    entries.map((e) => [e.actor, e.subject_id, e.data.role, e.data.invited_by]),
    [[`person:${person.id}`, person.id, 'agent', `person:${admin.id}`]],
  );
  const page = await t.app.inject({ url: `/${tenant.slug}/admin/members`, headers: browser.headers });
  assert.match(page.body, /future-agent@example\.org/);
  assert.match(page.body, /Agent instructeur/);

  // An address without an account is invited all the same (the person creates the account, then accepts).
  const unknown = await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: 'nobody@example.org', role: 'agent' });
  assert.equal(unknown.statusCode, 303);
  const holder = await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: person.email, role: 'agent' });
  assert.equal(holder.statusCode, 422);
  assert.match(holder.body, /Cette personne a déjà ce rôle/);
  const badRole = await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: person.email, role: 'emperor' });
  assert.equal(badRole.statusCode, 422);
  assert.equal((await journalOf(tenant.id, 'core.member.add')).length, 1);

  const removed = await postForm(t, browser, `/${tenant.slug}/admin/members/remove`, { person_id: person.id, role: 'agent' });
  assert.equal(removed.statusCode, 303);
  assert.deepEqual(await rolesOf(tenant.id, person.id), []);
  assert.equal((await journalOf(tenant.id, 'core.member.remove')).length, 1);
  const lastAdmin = await postForm(t, browser, `/${tenant.slug}/admin/members/remove`, { person_id: admin.id, role: 'tenant_admin' });
  assert.equal(lastAdmin.statusCode, 422);
  assert.match(lastAdmin.body, /dernier administrateur/);
  assert.deepEqual(await rolesOf(tenant.id, admin.id), ['tenant_admin']);
});

test('an administrator of a host EPCI administers a member commune', async () => {
  const epci = await createTestTenant(t.db, { kind: 'epci', code: '244400404' });
  const commune = await createTenant(t.db, { kind: 'commune', code: '44020', slug: `bouguenais-${process.pid}`, hostSlug: epci.slug });
  assert.ok(commune.ok);
  const epciAdmin = await createPerson(t.db, { [epci.id]: ['tenant_admin'] });
  const agent = await createPerson(t.db);
  const browser = await browserFor(t, epciAdmin.id);
  assert.equal((await t.app.inject({ url: `/${commune.tenant.slug}/admin/members`, headers: browser.headers })).statusCode, 200);
  const res = await postForm(t, browser, `/${commune.tenant.slug}/admin/members`, { email: agent.email, role: 'agent' });
  assert.equal(res.statusCode, 303);
  assert.equal(await acceptLastInvitation(agent), 303);
  assert.deepEqual(await rolesOf(commune.tenant.id, agent.id), ['agent']);
  assert.equal((await journalOf(commune.tenant.id, 'core.member.add'))[0]!.data.invited_by, `person:${epciAdmin.id}`);
  // The commune's administrator does not administer the EPCI.
  const communeAdmin = await createPerson(t.db, { [commune.tenant.id]: ['tenant_admin'] });
  assert.equal((await t.app.inject({ url: `/${epci.slug}/admin/members`, headers: (await browserFor(t, communeAdmin.id)).headers })).statusCode, 403);
});

test('identity providers are added from the admin page, validated, and can be turned off', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const browser = await browserFor(t, admin.id);
  const page = await t.app.inject({ url: `/${tenant.slug}/admin/sign-in`, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`${t.config.baseUrl}/auth/oidc/callback`));
  const bad = await postForm(t, browser, `/${tenant.slug}/admin/sign-in`, {
    kind: 'franceconnect',
    issuer: 'http://idp.example.org',
    client_id: '',
    client_secret: 's',
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /adresse https valide/);
  assert.match(bad.body, /identifiant client/);
  const good = await postForm(t, browser, `/${tenant.slug}/admin/sign-in`, {
    kind: 'franceconnect',
    issuer: 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2',
    client_id: 'client-123',
    client_secret: 'very-secret-value',
    slug: '',
    label: '',
  });
  assert.equal(good.statusCode, 303);
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ id: string; scopes: string; new_person: string; enabled: boolean }>(
      `select id, scopes, new_person, enabled from oidc_providers where slug = 'franceconnect'`,
    ),
  );
  assert.deepEqual([row!.scopes, row!.new_person, row!.enabled], ['openid given_name family_name email', 'citizen', true]);
  const journal = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ data: unknown }>(`select data from journal_entries where action = 'core.oidc_provider.add'`),
  );
  assert.doesNotMatch(JSON.stringify(journal!.data), /very-secret-value/);
  assert.match((await t.app.inject(`/auth/sign-in?tenant=${tenant.slug}`)).body, /FranceConnect/);
  assert.equal((await postForm(t, browser, `/${tenant.slug}/admin/sign-in/${row!.id}/disable`, {})).statusCode, 303);
  assert.doesNotMatch((await t.app.inject(`/auth/sign-in?tenant=${tenant.slug}`)).body, /FranceConnect/);
  const other = await createTestTenant(t.db);
  assert.equal((await postForm(t, browser, `/${other.slug}/admin/sign-in/${row!.id}/enable`, {})).statusCode, 403);
});

// Issue 10, rows 1 and 2, attacked through HTTP with real OpenID Connect providers on 127.0.0.1: one plays
// FranceConnect/ProConnect (on the host's issuer list), the other is a server a tenant administrator
// controls. Each test failed on the code before the fix: an email claim alone bound the identity to the
// account of the whole installation that had that address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, createTestTenant, createPerson, type TestApp, type TestPerson } from '../../../test/helpers/app.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { CSRF_COOKIE, csrfTokenFor } from './csrf.ts';
import { createSession } from './sessions.ts';
import { addOidcProvider } from './oidc/providers.ts';
import { OIDC_CALLBACK_PATH } from './oidc/flow.ts';
import { startTestProvider, signInAtProvider, type TestProvider } from '../../../test/support/oidc-provider.ts';
import type { Tenant } from '../tenancy/tenants.ts';

const BASE_URL = 'http://127.0.0.1:3000';
let t: TestApp;
let official: TestProvider; // plays FranceConnect and ProConnect: its issuer is on the host's list
let evil: TestProvider; // a provider a tenant administrator runs
const redirectUri = `${BASE_URL}${OIDC_CALLBACK_PATH}`;

before(async () => {
  official = await startTestProvider(redirectUri);
  evil = await startTestProvider(redirectUri);
  const hostPort = (p: TestProvider) => new URL(p.issuer).host;
  t = await startTestApp({
    env: {
      BASTIDE_BASE_URL: BASE_URL,
      BASTIDE_FRANCECONNECT_ISSUERS: official.issuer,
      BASTIDE_PROCONNECT_ISSUERS: official.issuer,
      // The outbound guard (row 10) lets the server reach these two loopback providers.
      BASTIDE_OUTBOUND_ALLOW: `${hostPort(official)},${hostPort(evil)}`,
    },
  });
});
after(async () => {
  await official.close();
  await evil.close();
  await t.close();
});

/** A browser: keeps the cookies Bastide sets (and clears), and knows its CSRF token. */
class Browser {
  cookies = new Map<string, string>();
  csrf: string;
  constructor() {
    const csrfCookie = `test-csrf-${Math.random().toString(36).slice(2)}`;
    this.cookies.set(CSRF_COOKIE, csrfCookie);
    this.csrf = csrfTokenFor(t.deps.secret, csrfCookie);
  }
  static async signedIn(personId: string): Promise<Browser> {
    const b = new Browser();
    b.cookies.set(SESSION_COOKIE, await t.db.transaction(null, (tx) => createSession(tx, personId)));
    return b;
  }
  take(res: LightMyRequestResponse): LightMyRequestResponse {
    const raw = res.headers['set-cookie'];
    for (const c of Array.isArray(raw) ? raw : raw ? [String(raw)] : []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string) {
    return this.take(await t.app.inject({ url, headers: { cookie: this.header } }));
  }
  async post(url: string, fields: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.take(
      await t.app.inject({ method: 'POST', url, payload: body, headers: { cookie: this.header, 'content-type': 'application/x-www-form-urlencoded' } }),
    );
  }
}

/** Starts at Bastide in `browser`, signs in at the provider as `accountId`, and comes back. */
async function signInWith(browser: Browser, op: TestProvider, tenant: Tenant, provider: string, accountId: string) {
  const start = await browser.get(`/auth/oidc/${tenant.slug}/${provider}?next=/${tenant.slug}/`);
  assert.equal(start.statusCode, 303, start.body);
  const authorization = new URL(String(start.headers.location));
  assert.equal(authorization.origin, op.issuer);
  const callback = await signInAtProvider(authorization.href, accountId, redirectUri);
  return browser.get(`${callback.pathname}${callback.search}`);
}

async function addProvider(tenant: Tenant, kind: 'franceconnect' | 'proconnect', op: TestProvider) {
  const added = await addOidcProvider(
    t.db,
    tenant.id,
    { kind, issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, actor: 'test' },
    t.config.oidcIssuers,
  );
  assert.ok(added.ok, JSON.stringify(added));
}

async function identitiesOf(tenant: Tenant, personId: string): Promise<number> {
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ n: number }>('select count(*)::int as n from oidc_identities where person_id = $1', [personId]),
  );
  return row!.n;
}

async function lastMailTo(email: string): Promise<{ to: string; subject: string; text: string }> {
  const row = await t.db.ownerTransaction((tx) =>
    tx.one<{ payload: { to: string; subject: string; text: string } }>(
      `select payload from jobs where kind = 'core.mail.send' and payload->>'to' = $1 order by id desc limit 1`,
      [email],
    ),
  );
  assert.ok(row, `a mail to ${email}`);
  return row.payload;
}

function linkIn(text: string): string {
  const match = /http:\/\/127\.0\.0\.1:3000(\/auth\/oidc\/link\/confirm\?token=[\w-]+)/.exec(text);
  assert.ok(match, text);
  return match[1]!;
}

async function passwordWorks(person: { email: string; password: string }): Promise<boolean> {
  const res = await new Browser().post('/auth/sign-in', { email: person.email, password: person.password });
  return res.statusCode === 303;
}

test('(a) a tenant administrator cannot give FranceConnect or ProConnect an issuer of their own; an old one is refused at sign-in', async () => {
  const tenantB = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenantB.id]: ['tenant_admin'] });
  const browser = await Browser.signedIn(admin.id);
  for (const kind of ['franceconnect', 'proconnect']) {
    const res = await browser.post(`/${tenantB.slug}/admin/sign-in`, {
      kind,
      issuer: evil.issuer,
      client_id: evil.clientId,
      client_secret: evil.clientSecret,
      slug: `evil-${kind}`,
    });
    assert.equal(res.statusCode, 422, `${kind}: ${res.statusCode}`);
    assert.match(res.body, /l’émetteur doit être l’une des adresses autorisées par l’hébergeur/);
  }
  assert.equal((await t.db.transaction(tenantB.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from oidc_providers')))!.n, 0);
  // The form lists what the host allows.
  const form = await browser.get(`/${tenantB.slug}/admin/sign-in`);
  assert.ok(form.body.includes(`<code>${official.issuer}</code>`));
  // The same provider as `generic` is accepted: it will be believed for nothing but its own subjects.
  const generic = await browser.post(`/${tenantB.slug}/admin/sign-in`, {
    kind: 'generic',
    issuer: evil.issuer,
    client_id: evil.clientId,
    client_secret: evil.clientSecret,
    slug: 'intranet',
  });
  assert.equal(generic.statusCode, 303, generic.body);

  // A FranceConnect row written before the list existed, with the administrator's issuer: unusable.
  await t.db.transaction(tenantB.id, (tx) =>
    tx.query(
      `insert into oidc_providers (tenant_id, slug, kind, label, issuer, client_id, client_secret, scopes, new_person)
     values (app_tenant(), 'old-fc', 'franceconnect', 'FranceConnect', $1, $2, $3, 'openid email', 'citizen')`,
      [evil.issuer, evil.clientId, evil.clientSecret],
    ),
  );
  const start = await new Browser().get(`/auth/oidc/${tenantB.slug}/old-fc`);
  assert.equal(start.statusCode, 403);
  assert.match(start.body, /n’autorise pas l’émetteur/);
  const page = await new Browser().get(`/auth/sign-in?tenant=${tenantB.slug}`);
  assert.doesNotMatch(page.body, /\/auth\/oidc\/[^/]+\/old-fc/);
  assert.match((await browser.get(`/${tenantB.slug}/admin/sign-in`)).body, /refusé : émetteur non autorisé par l’hébergeur/);
});

test('(b) a generic provider asserting a verified address of the host operator or of another collectivité’s agent signs nobody in', async () => {
  const tenantA = await createTestTenant(t.db);
  const tenantB = await createTestTenant(t.db);
  const host = await createPerson(t.db, {}, { hostOperator: true });
  // An agent of A who also lives in B (a citizen there): an account of B, with roles elsewhere.
  const agent = await createPerson(t.db, { [tenantA.id]: ['agent'], [tenantB.id]: ['citizen'] });
  const admin = await createPerson(t.db, { [tenantB.id]: ['tenant_admin'] });
  const res = await (
    await Browser.signedIn(admin.id)
  ).post(`/${tenantB.slug}/admin/sign-in`, { kind: 'generic', issuer: evil.issuer, client_id: evil.clientId, client_secret: evil.clientSecret, slug: 'evil' });
  assert.equal(res.statusCode, 303, res.body);
  // As the module API allows: unknown people become citizens of B.
  await t.db.transaction(tenantB.id, (tx) => tx.query(`update oidc_providers set new_person = 'citizen' where slug = 'evil'`));
  for (const [account, victim] of [
    ['evil-host', host],
    ['evil-agent', agent],
  ] as Array<[string, TestPerson]>) {
    evil.accounts.set(account, { email: victim.email, email_verified: true, given_name: 'Mallory' });
    const browser = new Browser();
    const done = await signInWith(browser, evil, tenantB, 'evil', account);
    assert.equal(done.statusCode, 403, `${account}: ${done.statusCode} ${done.headers.location ?? ''}`);
    assert.match(done.body, /n’est liée à aucun compte/);
    assert.equal(browser.cookies.get(SESSION_COOKIE), undefined, 'no session');
    assert.equal(await identitiesOf(tenantB, victim.id), 0, 'no binding');
    const members = await browser.get(`/${tenantA.slug}/admin/members`);
    assert.equal(members.statusCode, 303, 'no roles anywhere: sent to the sign-in page');
  }
  const hostMemberships = await t.db.transaction(tenantB.id, (tx) =>
    tx.one<{ n: number }>('select count(*)::int as n from memberships where person_id = $1', [host.id]),
  );
  assert.equal(hostMemberships!.n, 0, 'the host operator did not become a citizen of B');

  // Even the agent, signed in, cannot bind B's generic provider: it would sign them in to their roles in A.
  const agentBrowser = await Browser.signedIn(agent.id);
  const linkStart = await agentBrowser.post(`/auth/oidc/${tenantB.slug}/evil/link`);
  assert.equal(linkStart.statusCode, 303);
  const callback = await signInAtProvider(String(linkStart.headers.location), 'evil-agent', redirectUri);
  const linked = await agentBrowser.get(`${callback.pathname}${callback.search}`);
  assert.equal(linked.statusCode, 403);
  assert.match(linked.body, /utilisé dans d’autres collectivités/);
  assert.equal(await identitiesOf(tenantB, agent.id), 0);
});

test('(c) FranceConnect asserting the address of an existing account binds nothing without proof from that account', async () => {
  const tenantA = await createTestTenant(t.db);
  const tenantB = await createTestTenant(t.db);
  await addProvider(tenantB, 'franceconnect', official);
  const agent = await createPerson(t.db, { [tenantA.id]: ['agent'] });
  official.accounts.set('fc-agent', { email: agent.email, given_name: 'Claude', family_name: 'Agent' });

  const browser = new Browser();
  const done = await signInWith(browser, official, tenantB, 'franceconnect', 'fc-agent');
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/auth/oidc/link', 'sent to prove the account, not signed in');
  assert.equal(browser.cookies.get(SESSION_COOKIE), undefined);
  assert.equal(await identitiesOf(tenantB, agent.id), 0);
  const page = await browser.get('/auth/oidc/link');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /est déjà celle d’un compte/);

  // The mailed link works only in the browser that made the sign-in: its reader cannot be talked into it.
  assert.equal((await browser.post('/auth/oidc/link/mail')).statusCode, 303);
  const link = linkIn((await lastMailTo(agent.email)).text);
  const elsewhere = await Browser.signedIn(agent.id);
  assert.equal((await elsewhere.get(link)).statusCode, 400);
  const token = new URL(link, BASE_URL).searchParams.get('token')!;
  assert.equal((await elsewhere.post('/auth/oidc/link/confirm', { token })).statusCode, 400);
  assert.equal((await new Browser().post('/auth/oidc/link/confirm', { token })).statusCode, 400);
  assert.equal(await identitiesOf(tenantB, agent.id), 0);
  // A wrong token in the right browser does nothing either.
  assert.equal((await browser.post('/auth/oidc/link/confirm', { token: `${token.slice(0, -2)}xx` })).statusCode, 400);

  const confirmPage = await browser.get(link);
  assert.equal(confirmPage.statusCode, 200);
  const confirmed = await browser.post('/auth/oidc/link/confirm', { token });
  assert.equal(confirmed.statusCode, 303, confirmed.body);
  assert.ok(browser.cookies.get(SESSION_COOKIE), 'signed in once the account is proven');
  assert.equal(await identitiesOf(tenantB, agent.id), 1);
  assert.ok(await passwordWorks(agent), 'a verified account keeps its password');
  // The binding is by (provider, subject): the next sign-in goes straight through.
  const again = new Browser();
  const second = await signInWith(again, official, tenantB, 'franceconnect', 'fc-agent');
  assert.equal(second.headers.location, `/${tenantB.slug}/`);
  assert.ok(again.cookies.get(SESSION_COOKIE));
});

test('(c) proof by signing in with the password, in the browser that made the FranceConnect sign-in', async () => {
  const tenant = await createTestTenant(t.db);
  await addProvider(tenant, 'franceconnect', official);
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  official.accounts.set('fc-pw', { email: citizen.email, given_name: 'Paule', family_name: 'Mot' });
  const browser = new Browser();
  assert.equal((await signInWith(browser, official, tenant, 'franceconnect', 'fc-pw')).headers.location, '/auth/oidc/link');
  // Signed in as someone else: refused.
  const other = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  const otherBrowser = await Browser.signedIn(other.id);
  otherBrowser.cookies.set('bastide_oidc_link', browser.cookies.get('bastide_oidc_link')!);
  assert.equal((await otherBrowser.post('/auth/oidc/link/confirm')).statusCode, 403);
  const signIn = await browser.post('/auth/sign-in', { email: citizen.email, password: citizen.password, next: '/auth/oidc/link' });
  assert.equal(signIn.headers.location, '/auth/oidc/link');
  assert.match((await browser.get('/auth/oidc/link')).body, /Lier FranceConnect à mon compte/);
  const confirmed = await browser.post('/auth/oidc/link/confirm');
  assert.equal(confirmed.statusCode, 303, confirmed.body);
  assert.equal(confirmed.headers.location, `/${tenant.slug}/`);
  assert.equal(await identitiesOf(tenant, citizen.id), 1);
  const journal = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ data: { via: string } }>(`select data from journal_entries where action = 'core.oidc.link' and subject_id = $1`, [citizen.id]),
  );
  assert.equal(journal!.data.via, 'signed_in');
});

test('(d) pre-account hijack: the squatter’s password and sessions die when the citizen proves the address; nothing is bound before', async () => {
  const tenant = await createTestTenant(t.db);
  await addProvider(tenant, 'franceconnect', official);
  const email = `victim-${process.pid}@example.org`;
  const squatter = { email, password: 'le mot de passe du squatteur' };
  const signUp = await new Browser().post('/auth/sign-up', { email, display_name: 'Pas la victime', password: squatter.password, tenant: tenant.slug });
  assert.equal(signUp.statusCode, 200, signUp.body);
  const squatterBrowser = new Browser();
  assert.equal((await squatterBrowser.post('/auth/sign-in', { email, password: squatter.password })).statusCode, 303);
  assert.equal((await squatterBrowser.get('/account')).statusCode, 200);

  official.accounts.set('fc-victim', { email, given_name: 'Vraie', family_name: 'Victime' });
  const citizen = new Browser();
  const done = await signInWith(citizen, official, tenant, 'franceconnect', 'fc-victim');
  assert.equal(done.headers.location, '/auth/oidc/link', 'the squatter’s account is not handed over on an email claim');
  assert.equal(citizen.cookies.get(SESSION_COOKIE), undefined);
  const person = await t.db.transaction(null, (tx) =>
    tx.one<{ id: string; email_verified_at: Date | null }>('select id, email_verified_at from people where email = $1', [email]),
  );
  assert.equal(person!.email_verified_at, null, 'not marked verified by the provider');
  assert.equal(await identitiesOf(tenant, person!.id), 0);

  // The citizen, who owns the mailbox, proves the address.
  assert.equal((await citizen.post('/auth/oidc/link/mail')).statusCode, 303);
  const token = new URL(linkIn((await lastMailTo(email)).text), BASE_URL).searchParams.get('token')!;
  const confirmed = await citizen.post('/auth/oidc/link/confirm', { token });
  assert.equal(confirmed.statusCode, 303, confirmed.body);
  assert.ok(citizen.cookies.get(SESSION_COOKIE));
  assert.equal(await passwordWorks(squatter), false, 'the squatter’s password no longer works');
  assert.equal((await squatterBrowser.get('/account')).statusCode, 303, 'the squatter’s session is over');
  const after = await t.db.transaction(null, (tx) =>
    tx.one<{ password_hash: string | null; email_verified_at: Date | null; totp_secret: string | null }>(
      'select password_hash, email_verified_at, totp_secret from people where id = $1',
      [person!.id],
    ),
  );
  assert.equal(after!.password_hash, null);
  assert.equal(after!.totp_secret, null);
  assert.ok(after!.email_verified_at);
  assert.equal(await identitiesOf(tenant, person!.id), 1);
  const journal = await t.db.transaction(tenant.id, (tx) =>
    tx.one(`select 1 from journal_entries where action = 'core.person.unverified_credentials_removed' and subject_id = $1`, [person!.id]),
  );
  assert.ok(journal);
});

test('(d) an unverified account cannot be linked by its password alone, nor link providers from its account page', async () => {
  const tenant = await createTestTenant(t.db);
  await addProvider(tenant, 'franceconnect', official);
  const email = `unverified-${process.pid}@example.org`;
  const password = 'une phrase de passe longue';
  await new Browser().post('/auth/sign-up', { email, display_name: 'Squat', password, tenant: tenant.slug });
  official.accounts.set('fc-unverified', { email, given_name: 'Un', family_name: 'Verified' });
  const browser = new Browser();
  assert.equal((await signInWith(browser, official, tenant, 'franceconnect', 'fc-unverified')).headers.location, '/auth/oidc/link');
  assert.equal((await browser.post('/auth/sign-in', { email, password, next: '/auth/oidc/link' })).statusCode, 303);
  const refused = await browser.post('/auth/oidc/link/confirm');
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /Vérifiez d’abord votre adresse/);
  const person = await t.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where email = $1', [email]));
  assert.equal(await identitiesOf(tenant, person!.id), 0);
  const page = await browser.get('/account/identities');
  assert.match(page.body, /Vérifiez votre adresse électronique pour pouvoir lier/);
  assert.doesNotMatch(page.body, /\/auth\/oidc\/[^"]+\/link"/);
});

test('the host operator is never bound to a provider, even by proof', async () => {
  const tenant = await createTestTenant(t.db);
  await addProvider(tenant, 'franceconnect', official);
  const host = await createPerson(t.db, {}, { hostOperator: true });
  official.accounts.set('fc-host', { email: host.email, given_name: 'Hôte', family_name: 'Plateforme' });
  const browser = new Browser();
  const res = await signInWith(browser, official, tenant, 'franceconnect', 'fc-host');
  assert.equal(res.statusCode, 403);
  assert.equal(browser.cookies.get(SESSION_COOKIE), undefined);
  assert.equal(browser.cookies.get('bastide_oidc_link'), undefined, 'no link request to prove');
  // A binding left by older code is not honoured either (migration 0104 also deletes them).
  official.accounts.set('fc-host-2', { email: `other-${host.email}`, given_name: 'X' });
  const provider = await t.db.transaction(tenant.id, (tx) => tx.one<{ id: string }>(`select id from oidc_providers where slug = 'franceconnect'`));
  await t.db.transaction(tenant.id, (tx) =>
    tx.query('insert into oidc_identities (tenant_id, provider_id, subject, person_id) values (app_tenant(), $1, $2, $3)', [
      provider!.id,
      'fc-host-2',
      host.id,
    ]),
  );
  const legacy = new Browser();
  assert.equal((await signInWith(legacy, official, tenant, 'franceconnect', 'fc-host-2')).statusCode, 403);
  assert.equal(legacy.cookies.get(SESSION_COOKIE), undefined);
});

test('linking from the account page: a verified citizen binds a generic provider of their collectivité, then signs in with it', async () => {
  const tenant = await createTestTenant(t.db);
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  const added = await addOidcProvider(
    t.db,
    tenant.id,
    { kind: 'generic', slug: 'intranet', label: 'Intranet', issuer: evil.issuer, clientId: evil.clientId, clientSecret: evil.clientSecret, actor: 'test' },
    t.config.oidcIssuers,
  );
  assert.ok(added.ok);
  evil.accounts.set('intranet-citizen', { email: 'whatever@example.org' });
  const browser = await Browser.signedIn(citizen.id);
  assert.match((await browser.get('/account/identities')).body, new RegExp(`action="/auth/oidc/${tenant.slug}/intranet/link"`));
  // Starting is a form: a GET from another site cannot start it.
  assert.equal((await t.app.inject({ method: 'POST', url: `/auth/oidc/${tenant.slug}/intranet/link`, headers: { cookie: browser.header } })).statusCode, 403);
  // A new way into the account needs a recent sign-in (/auth/confirm), like other sensitive changes.
  await t.db.transaction(null, (tx) => tx.query(`update sessions set authenticated_at = now() - interval '1 hour' where person_id = $1`, [citizen.id]));
  const stale = await browser.post(`/auth/oidc/${tenant.slug}/intranet/link`);
  assert.match(String(stale.headers.location), /^\/auth\/confirm\?next=/);
  await t.db.transaction(null, (tx) => tx.query('update sessions set authenticated_at = now() where person_id = $1', [citizen.id]));
  const start = await browser.post(`/auth/oidc/${tenant.slug}/intranet/link`);
  const callback = await signInAtProvider(String(start.headers.location), 'intranet-citizen', redirectUri);
  const linked = await browser.get(`${callback.pathname}${callback.search}`);
  assert.equal(linked.headers.location, '/account/identities?notice=identity_linked');
  assert.equal(await identitiesOf(tenant, citizen.id), 1);
  const fresh = new Browser();
  const signedIn = await signInWith(fresh, evil, tenant, 'intranet', 'intranet-citizen');
  assert.equal(signedIn.statusCode, 303);
  assert.ok(fresh.cookies.get(SESSION_COOKIE));
  // Unlinking ends it.
  assert.equal((await browser.post(`/account/identities/${tenant.slug}/intranet/unlink`)).statusCode, 303);
  assert.equal(await identitiesOf(tenant, citizen.id), 0);
});

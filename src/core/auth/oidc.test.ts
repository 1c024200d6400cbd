// OpenID Connect sign-in against a real provider (oidc-provider on 127.0.0.1): the full redirect dance,
// FranceConnect-like citizen creation, ProConnect-like membership requirement, tampered state and ID token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { addOidcProvider } from './oidc/providers.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE } from './oidc/flow.ts';
import { startTestProvider, signInAtProvider, type TestProvider } from '../../../test/support/oidc-provider.ts';
import type { Tenant } from '../tenancy/tenants.ts';

let t: TestApp;
let op: TestProvider;
let redirectUri: string;

before(async () => {
  // The provider first: the host's issuer list (BASTIDE_*_ISSUERS) names it, as it would name FranceConnect.
  redirectUri = `http://127.0.0.1:3000${OIDC_CALLBACK_PATH}`;
  op = await startTestProvider(redirectUri);
  t = await startTestApp({
    env: {
      BASTIDE_BASE_URL: 'http://127.0.0.1:3000',
      BASTIDE_FRANCECONNECT_ISSUERS: op.issuer,
      BASTIDE_PROCONNECT_ISSUERS: op.issuer,
      BASTIDE_OUTBOUND_ALLOW: new URL(op.issuer).host,
    },
  });
});
after(async () => {
  await op.close();
  await t.close();
});

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const found = list.find((c: string) => c.startsWith(`${name}=`));
  return found ? found.split(';')[0]!.slice(name.length + 1) : null;
}

async function tenantWithProvider(kind: 'franceconnect' | 'proconnect'): Promise<Tenant> {
  const tenant = await createTestTenant(t.db);
  const added = await addOidcProvider(
    t.db,
    tenant.id,
    { kind, issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, actor: 'test' },
    t.config.oidcIssuers,
  );
  assert.ok(added.ok, JSON.stringify(added));
  return tenant;
}

/** Starts at Bastide, signs in at the provider, and returns the callback URL and this browser's flow cookie. */
async function dance(tenant: Tenant, provider: string, accountId: string): Promise<{ callback: URL; flowCookie: string }> {
  const start = await t.app.inject(`/auth/oidc/${tenant.slug}/${provider}?next=/${tenant.slug}/`);
  assert.equal(start.statusCode, 303, start.body);
  const authorization = new URL(String(start.headers.location));
  assert.equal(authorization.origin, op.issuer);
  assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorization.searchParams.get('state') && authorization.searchParams.get('nonce'));
  const flowCookie = cookieOf(start, OIDC_COOKIE);
  assert.ok(flowCookie);
  const callback = await signInAtProvider(authorization.href, accountId, redirectUri);
  assert.ok(callback.searchParams.get('code'), callback.href);
  return { callback, flowCookie };
}

function callbackRequest(callback: URL, flowCookie: string | null) {
  return t.app.inject({ url: `${callback.pathname}${callback.search}`, headers: flowCookie ? { cookie: `${OIDC_COOKIE}=${flowCookie}` } : {} });
}

test('the sign-in page of a collectivité offers its providers', async () => {
  const tenant = await tenantWithProvider('franceconnect');
  const page = await t.app.inject(`/auth/sign-in?tenant=${tenant.slug}`);
  assert.match(page.body, new RegExp(`href="/auth/oidc/${tenant.slug}/franceconnect\\?next=`));
  assert.match(page.body, /S’identifier avec FranceConnect/);
  const other = await t.app.inject('/auth/sign-in');
  assert.doesNotMatch(other.body, /FranceConnect/);
});

test('FranceConnect: a new person is created as a citizen of the collectivité and signed in', async () => {
  const tenant = await tenantWithProvider('franceconnect');
  op.accounts.set('fc-camille', { email: 'camille.fc@example.org', given_name: 'Camille', family_name: 'Martin' });
  const { callback, flowCookie } = await dance(tenant, 'franceconnect', 'fc-camille');
  const done = await callbackRequest(callback, flowCookie);
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, `/${tenant.slug}/`);
  const session = cookieOf(done, SESSION_COOKIE);
  assert.ok(session);
  const account = await t.app.inject({ url: '/account', headers: { cookie: `${SESSION_COOKIE}=${session}` } });
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /Camille Martin/);
  assert.match(account.body, new RegExp(`${tenant.name}</a></td><td>Usager`));
  const row = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from journal_entries where action in ('core.oidc.link', 'core.member.sign_up')`),
  );
  assert.equal(row!.n, 2);
  const replay = await callbackRequest(callback, flowCookie);
  assert.equal(replay.statusCode, 400, 'an authorization code works once');
  assert.equal(cookieOf(replay, SESSION_COOKIE), null);
  // A second sign-in finds the same person through the linked identity.
  const again = await dance(tenant, 'franceconnect', 'fc-camille');
  assert.equal((await callbackRequest(again.callback, again.flowCookie)).statusCode, 303);
  const people = await t.db.transaction(null, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from people where email = 'camille.fc@example.org'`));
  assert.equal(people!.n, 1);
});

test('a tampered state, a missing flow cookie or a forged flow cookie are refused', async () => {
  const tenant = await tenantWithProvider('franceconnect');
  op.accounts.set('fc-dominique', { email: 'dominique.fc@example.org', given_name: 'Dominique', family_name: 'Roy' });
  const { callback, flowCookie } = await dance(tenant, 'franceconnect', 'fc-dominique');
  const forged = new URL(callback);
  forged.searchParams.set('state', 'forged-state-value');
  const res = await callbackRequest(forged, flowCookie);
  assert.equal(res.statusCode, 400);
  assert.equal(cookieOf(res, SESSION_COOKIE), null);
  assert.match(res.body, /expiré ou n’a pas été commencée depuis ce navigateur/);
  assert.equal((await callbackRequest(callback, null)).statusCode, 400);
  const [body, mac] = flowCookie.split('.');
  assert.equal((await callbackRequest(callback, `${body}x.${mac}`)).statusCode, 400, 'a cookie with a broken signature');
  const nobody = await t.db.transaction(null, (tx) => tx.one(`select 1 from people where email = 'dominique.fc@example.org'`));
  assert.equal(nobody, null);
});

test('an ID token whose payload was altered in transit is refused (signature checked against the JWKS)', async () => {
  const tenant = await tenantWithProvider('franceconnect');
  op.accounts.set('fc-eve', { email: 'eve.fc@example.org', given_name: 'Eve', family_name: 'Durand' });
  const { callback, flowCookie } = await dance(tenant, 'franceconnect', 'fc-eve');
  op.tamperIdToken = true;
  try {
    const res = await callbackRequest(callback, flowCookie);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(cookieOf(res, SESSION_COOKIE), null);
    assert.match(res.body, /La connexion avec FranceConnect n’a pas abouti/);
  } finally {
    op.tamperIdToken = false;
  }
  const created = await t.db.transaction(null, (tx) => tx.one(`select 1 from people where email in ('eve.fc@example.org', 'attacker@example.org')`));
  assert.equal(created, null);
});

test('ProConnect: an agent proves their existing account once (mailed link), then ProConnect signs them in; a stranger is refused', async () => {
  const tenant = await tenantWithProvider('proconnect');
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] }, { email: 'sophie.agent@example.org' });
  op.accounts.set('pc-sophie', { email: 'sophie.agent@example.org', given_name: 'Sophie', usual_name: 'Durand' });
  op.accounts.set('pc-stranger', { email: 'stranger@example.org', given_name: 'Sam', usual_name: 'Nobody' });
  const first = await dance(tenant, 'proconnect', 'pc-sophie');
  const asked = await callbackRequest(first.callback, first.flowCookie);
  // The address has an account: ProConnect's claim alone binds nothing (oidc-binding.test.ts has the attacks).
  assert.equal(asked.statusCode, 303, asked.body);
  assert.equal(asked.headers.location, '/auth/oidc/link');
  assert.equal(cookieOf(asked, SESSION_COOKIE), null);
  const anonymous = await browserFor(t, null);
  const browser = { ...anonymous, headers: { cookie: `${anonymous.cookie}; bastide_oidc_link=${cookieOf(asked, 'bastide_oidc_link')}` } };
  assert.equal((await postForm(t, browser, '/auth/oidc/link/mail', {})).statusCode, 303);
  const mail = await t.db.ownerTransaction((tx) =>
    tx.one<{ payload: { text: string } }>(
      `select payload from jobs where kind = 'core.mail.send' and payload->>'to' = 'sophie.agent@example.org' order by id desc limit 1`,
    ),
  );
  const token = /token=([\w-]+)/.exec(mail!.payload.text)![1]!;
  const confirmed = await postForm(t, browser, '/auth/oidc/link/confirm', { token });
  assert.equal(confirmed.statusCode, 303, confirmed.body);
  assert.ok(cookieOf(confirmed, SESSION_COOKIE));
  // From now on (provider, subject) is bound: ProConnect signs the agent in directly.
  const ok = await dance(tenant, 'proconnect', 'pc-sophie');
  const signedIn = await callbackRequest(ok.callback, ok.flowCookie);
  assert.equal(signedIn.statusCode, 303, signedIn.body);
  assert.equal(signedIn.headers.location, `/${tenant.slug}/`);
  const sessionRow = await t.db.transaction(null, (tx) => tx.one<{ person_id: string }>('select person_id from sessions order by created_at desc limit 1'));
  assert.equal(sessionRow!.person_id, agent.id);
  const refused = await dance(tenant, 'proconnect', 'pc-stranger');
  const res = await callbackRequest(refused.callback, refused.flowCookie);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /pas membre de cette collectivité/);
  assert.equal(await t.db.transaction(null, (tx) => tx.one(`select 1 from people where email = 'stranger@example.org'`)), null);
});

test('a disabled or unknown provider has no start page', async () => {
  const tenant = await createTestTenant(t.db);
  assert.equal((await t.app.inject(`/auth/oidc/${tenant.slug}/franceconnect`)).statusCode, 404);
  assert.equal((await t.app.inject('/auth/oidc/no-such-tenant/franceconnect')).statusCode, 404);
});

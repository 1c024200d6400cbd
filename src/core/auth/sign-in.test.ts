// Sign-in through HTTP: session rotation and cookie flags, safe redirects, rate limits, unverified staff,
// TOTP enrolment and the second step, sign-out, the account page; demo accounts in production.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp, type Browser } from '../../../test/helpers/app.ts';
import { SESSION_COOKIE, hashToken } from './sessions.ts';
import { base32Decode, totp } from './totp.ts';
import { hashPassword } from './passwords.ts';
import { DEMO_DOMAIN } from '../seed/demo.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

function setCookie(res: { headers: Record<string, unknown> }, name: string): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return list.find((c: string) => c.startsWith(`${name}=`)) ?? null;
}

/** The browser after the response: its session cookie replaced by the one the server set. */
function withSession(browser: Browser, res: { headers: Record<string, unknown> }): Browser {
  const cookie = setCookie(res, SESSION_COOKIE);
  assert.ok(cookie, 'a session cookie');
  const value = cookie.split(';')[0]!;
  const kept = browser.cookie.split('; ').filter((c) => !c.startsWith(`${SESSION_COOKIE}=`));
  const all = [...kept, value].join('; ');
  return { cookie: all, csrf: browser.csrf, headers: { cookie: all } };
}

test('signing in rotates the session and sets a HttpOnly, SameSite=Lax cookie', async () => {
  const person = await createPerson(t.db);
  const other = await createPerson(t.db);
  const before = await browserFor(t, other.id);
  const oldToken = /bastide_session=([^;]+)/.exec(before.cookie)![1]!;
  const res = await postForm(t, before, '/auth/sign-in', { email: person.email.toUpperCase(), password: person.password, next: '/account' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/account');
  const cookie = setCookie(res, SESSION_COOKIE)!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);
  assert.equal(await t.db.transaction(null, (tx) => tx.one('select 1 from sessions where id = $1', [hashToken(oldToken)])), null, 'old session deleted');
  const account = await t.app.inject({ url: '/account', headers: withSession(before, res).headers });
  assert.equal(account.statusCode, 200);
  assert.match(account.body, new RegExp(person.email));
});

test('next is followed only within the site', async () => {
  const person = await createPerson(t.db);
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
    const res = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: person.email, password: person.password, next });
    assert.equal(res.headers.location, '/account', next);
  }
  const res = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: person.email, password: person.password, next: '/some/page?x=1' });
  assert.equal(res.headers.location, '/some/page?x=1');
});

test('a wrong password and an unknown address get the same answer; guesses are rate limited', async () => {
  const person = await createPerson(t.db);
  const browser = await browserFor(t, null);
  const wrong = await postForm(t, browser, '/auth/sign-in', { email: person.email, password: 'not the password at all' });
  const unknown = await postForm(t, browser, '/auth/sign-in', { email: 'nobody@example.org', password: 'not the password at all' });
  assert.equal(wrong.statusCode, 422);
  assert.equal(unknown.statusCode, 422);
  assert.match(wrong.body, /Adresse électronique ou mot de passe incorrect/);
  assert.equal(wrong.body.replace(person.email, 'X'), unknown.body.replace('nobody@example.org', 'X'));
  for (let i = 1; i < 10; i++) await postForm(t, browser, '/auth/sign-in', { email: person.email, password: `guess number ${i}` });
  const limited = await postForm(t, browser, '/auth/sign-in', { email: person.email, password: person.password });
  assert.equal(limited.statusCode, 429, 'even the right password once over the limit');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.match(limited.body, /Trop de tentatives/);
  assert.equal(setCookie(limited, SESSION_COOKIE), null);
});

test('sign-in attempts from one client over many addresses are rate limited per IP', async () => {
  const headers = (browser: Browser) => ({ ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' });
  const browser = await browserFor(t, null);
  const attempt = (i: number) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: headers(browser),
      remoteAddress: '203.0.113.7',
      payload: new URLSearchParams({ _csrf: browser.csrf, email: `spray-${i}@example.org`, password: 'Summer2026!!' }).toString(),
    });
  for (let i = 0; i < 50; i++) assert.equal((await attempt(i)).statusCode, 422);
  const limited = await attempt(50);
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  const person = await createPerson(t.db);
  assert.equal((await postForm(t, browser, '/auth/sign-in', { email: person.email, password: person.password })).statusCode, 303, 'other clients unaffected');
});

test('a staff account must verify its address before signing in', async () => {
  const tenant = await createTestTenant(t.db);
  const hash = await hashPassword('staff pass phrase 2026');
  const id = (await t.db.transaction(null, (tx) =>
    tx.one<{ id: string }>(`insert into people (email, display_name, password_hash) values ('new-agent@example.org', 'Agent', $1) returning id`, [hash]),
  ))!.id;
  await t.db.transaction(tenant.id, (tx) => tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'agent')`, [id]));
  const res = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: 'new-agent@example.org', password: 'staff pass phrase 2026' });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /vérifiez d’abord votre adresse/);
  assert.equal(setCookie(res, SESSION_COOKIE), null);
});

test('TOTP: enrol on /account/totp, then sign-in asks for a code; wrong and replayed codes are refused', async () => {
  const tenant = await createTestTenant(t.db);
  const person = await createPerson(t.db, { [tenant.id]: ['agent'] });
  let browser = await browserFor(t, person.id);
  const enrol = await t.app.inject({ url: '/account/totp', headers: browser.headers });
  assert.equal(enrol.statusCode, 200);
  const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(enrol.body)![1]!.replace(/ /g, '');
  assert.match(enrol.body, new RegExp(`otpauth://totp/[^"<]*secret=${secret}`));
  assert.doesNotMatch(enrol.body, /<img|https?:\/\/(?!127)/, 'no QR service');
  const now = () => Date.now() / 1000;
  assert.equal((await postForm(t, browser, '/account/totp', { code: '000000' === totp(base32Decode(secret), now()) ? '111111' : '000000' })).statusCode, 422);
  const enrolCode = totp(base32Decode(secret), now());
  const confirmed = await postForm(t, browser, '/account/totp', { code: enrolCode });
  assert.equal(confirmed.statusCode, 303);
  await postForm(t, browser, '/auth/sign-out', {});

  browser = await browserFor(t, null);
  const first = await postForm(t, browser, '/auth/sign-in', { email: person.email, password: person.password, next: `/${tenant.slug}/` });
  assert.equal(first.statusCode, 303);
  assert.equal(first.headers.location, `/auth/totp?next=${encodeURIComponent(`/${tenant.slug}/`)}`);
  browser = withSession(browser, first);
  assert.equal((await t.app.inject({ url: '/account', headers: browser.headers })).statusCode, 303, 'not signed in before the code');
  const pending = await t.db.transaction(null, (tx) =>
    tx.one<{ second_factor_pending: boolean }>('select second_factor_pending from sessions where person_id = $1', [person.id]),
  );
  assert.equal(pending!.second_factor_pending, true);
  // The code was used at enrolment: the same time step cannot serve again.
  const replay = await postForm(t, browser, '/auth/totp', { code: enrolCode, next: `/${tenant.slug}/` });
  assert.equal(replay.statusCode, 422);
  assert.match(replay.body, /Ce code n’est pas valide/);
  const next = await postForm(t, browser, '/auth/totp', { code: totp(base32Decode(secret), now() + 30), next: `/${tenant.slug}/` });
  assert.equal(next.statusCode, 303);
  assert.equal(next.headers.location, `/${tenant.slug}/`);
  browser = withSession(browser, next);
  assert.equal((await t.app.inject({ url: '/account', headers: browser.headers })).statusCode, 200);
  // Turning it off needs a fresh code.
  assert.equal((await postForm(t, browser, '/account/totp/disable', { code: enrolCode })).statusCode, 422);
  // Every code of the current window is spent; stand for a minute passing by moving the last used step back.
  await t.db.transaction(null, (tx) => tx.query('update people set totp_last_step = totp_last_step - 3 where id = $1', [person.id]));
  const off = await postForm(t, browser, '/account/totp/disable', { code: totp(base32Decode(secret), now()) });
  assert.equal(off.statusCode, 303);
  const row = await t.db.transaction(null, (tx) => tx.one<{ totp_secret: string | null }>('select totp_secret from people where id = $1', [person.id]));
  assert.equal(row!.totp_secret, null);
});

test('signing out ends the session', async () => {
  const person = await createPerson(t.db);
  const browser = await browserFor(t, person.id);
  const res = await postForm(t, browser, '/auth/sign-out', {});
  assert.equal(res.statusCode, 303);
  assert.equal(await t.db.transaction(null, (tx) => tx.one('select 1 from sessions where person_id = $1', [person.id])), null);
  assert.equal((await t.app.inject({ url: '/account', headers: browser.headers })).statusCode, 303);
});

test('the account page lists memberships in every collectivité and keeps the language preference', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const person = await createPerson(t.db, { [a.id]: ['agent', 'archivist'], [b.id]: ['citizen'] });
  const browser = await browserFor(t, person.id);
  const page = await t.app.inject({ url: '/account', headers: browser.headers });
  assert.match(page.body, new RegExp(`${a.name}</a></td><td>(Agent instructeur, Archiviste|Archiviste, Agent instructeur)`));
  assert.match(page.body, new RegExp(`${b.name}</a></td><td>Usager`));
  assert.match(page.body, /activez la double authentification/);
  const anonymous = await t.app.inject('/account');
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, '/auth/sign-in?next=%2Faccount');
  assert.equal((await postForm(t, browser, '/account/locale', { locale: 'en' })).statusCode, 303);
  const stored = await t.db.transaction(null, (tx) => tx.one<{ locale: string }>('select locale from people where id = $1', [person.id]));
  assert.equal(stored!.locale, 'en');
  const english = await t.app.inject({ url: '/account', headers: browser.headers });
  assert.match(english.body, /My local authorities/);
});

test('in production, demo accounts are refused and the session cookie is Secure', async () => {
  const prod = await startTestApp({ env: { NODE_ENV: 'production', BASTIDE_BASE_URL: 'https://bastide.example.fr', LOG_LEVEL: 'silent' } });
  try {
    const demo = await createPerson(prod.db, {}, { email: `citoyen@${DEMO_DOMAIN}` });
    const refused = await postForm(prod, await browserFor(prod, null), '/auth/sign-in', { email: demo.email, password: demo.password });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /comptes de démonstration sont désactivés/);
    const person = await createPerson(prod.db);
    const ok = await postForm(prod, await browserFor(prod, null), '/auth/sign-in', { email: person.email, password: person.password });
    assert.equal(ok.statusCode, 303);
    assert.match(setCookie(ok, SESSION_COOKIE)!, /Secure/);
  } finally {
    await prod.close();
  }
  const demoHere = await createPerson(t.db, {}, { email: `agent@${DEMO_DOMAIN}` });
  assert.equal(
    (await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: demoHere.email, password: demoHere.password })).statusCode,
    303,
    'allowed outside production',
  );
});

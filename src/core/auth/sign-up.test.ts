// Sign-up, email verification and password reset through HTTP, with the mail delivered by the job
// queue to a real SMTP server listening on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { SESSION_COOKIE } from './sessions.ts';

let t: TestApp;
let smtp: SMTPServer;
const inbox: Array<{ to: string; subject: string; text: string }> = [];

/** Quoted-printable (RFC 2045) to text. */
function qp(s: string): string {
  const bytes: number[] = [];
  const flat = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(flat.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Enough MIME for nodemailer's single-part text mails: unfolded headers, encoded-word subject, QP or base64 body. */
function parseMail(raw: string, to: string) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]/g, ' ');
  const body = raw.slice(split).trim();
  const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : encoding === 'quoted-printable' ? qp(body) : body;
  const subject = (/^subject:\s*(.*)$/im.exec(head)?.[1] ?? '')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' ')),
    );
  return { to, subject, text };
}

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) inbox.push(parseMail(Buffer.concat(chunks).toString('utf8'), rcpt.address));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function mailTo(address: string) {
  await t.deps.jobs.drain();
  const found = inbox.filter((m) => m.to === address);
  assert.ok(found.length, `a mail to ${address}`);
  return found[found.length - 1]!;
}

function linkIn(text: string, path: string): URL {
  const match = new RegExp(`(https?://\\S+${path.replace(/\//g, '\\/')}\\?token=\\S+)`).exec(text);
  assert.ok(match, `a ${path} link in: ${text}`);
  return new URL(match[1]!);
}

test('sign-up as a citizen of a collectivité, then verify the address from the mail', async () => {
  const tenant = await createTestTenant(t.db);
  const browser = await browserFor(t, null);
  const res = await postForm(t, browser, '/auth/sign-up', {
    email: 'Lea.Bernard@Example.org',
    display_name: 'Léa Bernard',
    password: 'une phrase de passe longue',
    tenant: tenant.slug,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.body, /Vérifiez votre messagerie/);
  const person = await t.db.transaction(null, (tx) =>
    tx.one<{ id: string; email_verified_at: Date | null; password_hash: string }>(
      `select id, email_verified_at, password_hash from people where email = 'lea.bernard@example.org'`,
    ),
  );
  assert.ok(person);
  assert.equal(person.email_verified_at, null);
  assert.match(person.password_hash, /^\$argon2id\$/);
  const roles = await t.db.transaction(tenant.id, (tx) => tx.query<{ role: string }>('select role from memberships where person_id = $1', [person.id]));
  assert.deepEqual(
    roles.map((r) => r.role),
    ['citizen'],
  );
  const journaled = await t.db.transaction(tenant.id, (tx) =>
    tx.one(`select 1 from journal_entries where action = 'core.member.sign_up' and subject_id = $1`, [person.id]),
  );
  assert.ok(journaled);

  const mail = await mailTo('lea.bernard@example.org');
  assert.match(mail.subject, /Vérifiez votre adresse/);
  const link = linkIn(mail.text, '/auth/verify');
  assert.equal(link.origin, t.config.baseUrl);
  const verified = await t.app.inject(`${link.pathname}${link.search}`);
  assert.equal(verified.statusCode, 200);
  assert.match(verified.body, /Adresse vérifiée/);
  const after = await t.db.transaction(null, (tx) =>
    tx.one<{ email_verified_at: Date | null }>('select email_verified_at from people where id = $1', [person.id]),
  );
  assert.ok(after!.email_verified_at);
  assert.equal((await t.app.inject(`${link.pathname}${link.search}`)).statusCode, 400, 'the link works once');
  assert.equal((await t.app.inject(`${link.pathname}${link.search.slice(0, -2)}xx`)).statusCode, 400, 'a forged link');
});

test('an unverified account can sign in and its page says so', async () => {
  const browser = await browserFor(t, null);
  await postForm(t, browser, '/auth/sign-up', { email: 'unverified@example.org', display_name: 'Noé', password: 'une phrase de passe longue' });
  const signIn = await postForm(t, browser, '/auth/sign-in', { email: 'unverified@example.org', password: 'une phrase de passe longue' });
  assert.equal(signIn.statusCode, 303);
  const session = /bastide_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1];
  const account = await t.app.inject({ url: '/account', headers: { cookie: `${SESSION_COOKIE}=${session}` } });
  assert.match(account.body, /pas encore vérifiée/);
});

test('invalid sign-up shows each problem and creates nothing', async () => {
  const browser = await browserFor(t, null);
  const res = await postForm(t, browser, '/auth/sign-up', { email: 'not-an-email', display_name: '', password: 'short' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /class="error-summary"/);
  assert.match(res.body, /adresse électronique valide/);
  assert.match(res.body, /Indiquez votre nom/);
  assert.match(res.body, /au moins 12 caractères/);
  assert.equal(await t.db.transaction(null, (tx) => tx.one(`select 1 from people where email = 'not-an-email'`)), null);
});

test('signing up with a registered address reveals nothing and warns the owner by mail', async () => {
  const existing = await createPerson(t.db, {}, { email: 'taken@example.org' });
  const browser = await browserFor(t, null);
  const res = await postForm(t, browser, '/auth/sign-up', { email: 'taken@example.org', display_name: 'Intrus', password: 'une autre phrase longue' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Vérifiez votre messagerie/);
  const mail = await mailTo('taken@example.org');
  assert.match(mail.subject, /Tentative de création de compte/);
  const row = await t.db.transaction(null, (tx) => tx.one<{ display_name: string }>('select display_name from people where id = $1', [existing.id]));
  assert.notEqual(row!.display_name, 'Intrus');
});

test('password reset: same answer for unknown addresses, single-use link, sessions ended', async () => {
  const person = await createPerson(t.db, {}, { email: 'reset-me@example.org' });
  const oldSession = await browserFor(t, person.id);
  const browser = await browserFor(t, null);
  const known = await postForm(t, browser, '/auth/reset', { email: 'reset-me@example.org' });
  const unknown = await postForm(t, browser, '/auth/reset', { email: 'nobody-here@example.org' });
  assert.equal(known.statusCode, 200);
  assert.equal(unknown.statusCode, 200);
  assert.equal(known.body.replace('reset-me@example.org', 'X'), unknown.body.replace('nobody-here@example.org', 'X'));
  await t.deps.jobs.drain();
  assert.equal(inbox.filter((m) => m.to === 'nobody-here@example.org').length, 0);
  const link = linkIn((await mailTo('reset-me@example.org')).text, '/auth/reset/confirm');
  const form = await t.app.inject(`${link.pathname}${link.search}`);
  assert.equal(form.statusCode, 200);
  const token = link.searchParams.get('token')!;
  const weak = await postForm(t, browser, '/auth/reset/confirm', { token, password: 'short' });
  assert.equal(weak.statusCode, 422);
  const done = await postForm(t, browser, '/auth/reset/confirm', { token, password: 'a brand new pass phrase' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/auth/sign-in?notice=password_changed');
  assert.equal((await postForm(t, browser, '/auth/reset/confirm', { token, password: 'yet another pass phrase' })).statusCode, 400, 'single use');
  assert.equal((await t.app.inject({ url: '/account', headers: oldSession.headers })).statusCode, 303, 'old sessions ended');
  const oldPassword = await postForm(t, browser, '/auth/sign-in', { email: 'reset-me@example.org', password: person.password });
  assert.equal(oldPassword.statusCode, 422);
  const newPassword = await postForm(t, browser, '/auth/sign-in', { email: 'reset-me@example.org', password: 'a brand new pass phrase' });
  assert.equal(newPassword.statusCode, 303);
});

test('reset requests are rate limited per address with a localised 429 and Retry-After', async () => {
  const browser = await browserFor(t, null);
  for (let i = 0; i < 3; i++) assert.equal((await postForm(t, browser, '/auth/reset', { email: 'flood@example.org' })).statusCode, 200);
  const limited = await postForm(t, browser, '/auth/reset', { email: 'flood@example.org' });
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.match(limited.body, /Trop de tentatives\. Par sécurité, réessayez dans \d+ minute/);
  const en = await t.app.inject({
    method: 'POST',
    url: '/auth/reset',
    headers: { ...browser.headers, 'accept-language': 'en', 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(browser.csrf)}&email=flood%40example.org`,
  });
  assert.equal(en.statusCode, 429);
  assert.match(en.body, /Too many attempts/);
});

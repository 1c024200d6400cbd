// Issue 10, rows 3 and 4, as attacks through HTTP: an unverified account with a live session given a role,
// roles granted by emailed invitation (and other sessions ended), staff session timeouts, a recent sign-in
// before sensitive changes, a TOTP code used twice at the same moment, TOTP seeds at rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, createPerson, browserFor, postForm, type TestApp, type Browser } from '../../../test/helpers/app.ts';
import { buildApp } from '../../app.ts';
import { startOpsApp, publishedProcedure } from '../../../test/support/procedures/ops.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { base32Decode, newTotpSecret, totp } from './totp.ts';
import { hashPassword } from './passwords.ts';
import { sealTotpSeed, useTotpCode } from './totp-seeds.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

const sql = <R>(text: string, params: unknown[] = []) => t.db.ownerTransaction((tx) => tx.query<R>(text, params));

async function unverifiedPerson(email: string, password = 'a pass phrase of 2026'): Promise<{ id: string; email: string; password: string }> {
  const hash = await hashPassword(password);
  const row = await t.db.transaction(null, (tx) =>
    tx.one<{ id: string }>(`insert into people (email, display_name, password_hash) values ($1, 'Someone', $2) returning id`, [email, hash]),
  );
  return { id: row!.id, email, password };
}

async function rolesOf(tenantId: string, personId: string): Promise<string[]> {
  const rows = await t.db.transaction(tenantId, (tx) =>
    tx.query<{ role: string }>('select role from memberships where person_id = $1 order by role', [personId]),
  );
  return rows.map((r) => r.role);
}

async function lastMailTo(email: string): Promise<{ subject: string; text: string }> {
  const rows = await sql<{ payload: { subject: string; text: string } }>(
    `select payload from jobs where kind = 'core.mail.send' and payload->>'to' = $1 order by id desc limit 1`,
    [email],
  );
  assert.ok(rows[0], `a mail to ${email}`);
  return rows[0].payload;
}

function invitationLink(text: string): string {
  const match = /https?:\/\/\S+?(\/[a-z0-9-]+\/invitation\?token=[\w-]+)/.exec(text);
  assert.ok(match, `an invitation link in: ${text}`);
  return match[1]!;
}

const get = (b: Browser, url: string) => t.app.inject({ url, headers: b.headers });

test('an unverified account with a live session, given a role, gets no staff right', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const squatter = await unverifiedPerson('squatted-address@example.org');
  const squatterBrowser = await browserFor(t, squatter.id);
  assert.equal((await get(squatterBrowser, `/${tenant.slug}/admin/members`)).statusCode, 403);

  const grant = await postForm(t, await browserFor(t, admin.id), `/${tenant.slug}/admin/members`, { email: squatter.email, role: 'tenant_admin' });
  assert.equal(grant.statusCode, 303);
  assert.equal(grant.headers.location, `/${tenant.slug}/admin/members?notice=member_invited`);
  assert.deepEqual(await rolesOf(tenant.id, squatter.id), [], 'a grant is only an invitation');
  assert.equal((await get(squatterBrowser, `/${tenant.slug}/admin/members`)).statusCode, 403, 'the open session got nothing');

  // Even a staff membership written directly (older data, any other path) gives no right while the
  // address is unverified: roles are read through effective_memberships.
  await t.db.transaction(tenant.id, (tx) =>
    tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'tenant_admin')`, [squatter.id]),
  );
  assert.equal((await get(squatterBrowser, `/${tenant.slug}/admin/members`)).statusCode, 403);
  const page = await get(await browserFor(t, admin.id), `/${tenant.slug}/admin/members`);
  assert.match(page.body, /squatted-address@example\.org <span class="small">\(adresse non vérifiée/);
});

test('a role is an invitation accepted by email, with the invited address; accepting ends the other sessions', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const invitee = await unverifiedPerson('new-agent-invited@example.org');
  const otherPerson = await createPerson(t.db);
  const adminBrowser = await browserFor(t, admin.id);
  assert.equal((await postForm(t, adminBrowser, `/${tenant.slug}/admin/members`, { email: 'New-Agent-Invited@example.org', role: 'agent' })).statusCode, 303);
  const listed = await get(adminBrowser, `/${tenant.slug}/admin/members`);
  assert.match(listed.body, /Invitations en attente/);
  const mail = await lastMailTo(invitee.email);
  assert.match(mail.subject, new RegExp(`Invitation à rejoindre ${tenant.name}`));
  const link = invitationLink(mail.text);

  // Anonymous: sent to sign in, and back.
  const anonymous = await t.app.inject(link);
  assert.equal(anonymous.statusCode, 303);
  assert.match(anonymous.headers.location as string, /^\/auth\/sign-in\?next=/);
  // Someone else holding the link cannot take the role.
  const other = await browserFor(t, otherPerson.id);
  assert.match((await get(other, link)).body, /envoyée à une autre adresse/);
  const token = new URL(link, 'http://x').searchParams.get('token')!;
  assert.equal((await postForm(t, other, `/${tenant.slug}/invitation`, { token })).statusCode, 303);
  assert.deepEqual(await rolesOf(tenant.id, otherPerson.id), []);

  // The invitee, signed in in two browsers, accepts in one.
  const here = await browserFor(t, invitee.id);
  const elsewhere = await browserFor(t, invitee.id);
  const shown = await get(here, link);
  assert.equal(shown.statusCode, 200, 'the page itself changes nothing (mail scanners follow links)');
  assert.deepEqual(await rolesOf(tenant.id, invitee.id), []);
  const accepted = await postForm(t, here, `/${tenant.slug}/invitation`, { token });
  assert.equal(accepted.statusCode, 303);
  assert.equal(accepted.headers.location, '/account?notice=invitation_accepted');
  assert.deepEqual(await rolesOf(tenant.id, invitee.id), ['agent']);
  const person = await t.db.transaction(null, (tx) =>
    tx.one<{ email_verified_at: Date | null }>('select email_verified_at from people where id = $1', [invitee.id]),
  );
  assert.ok(person!.email_verified_at, 'following the link proved the address');
  assert.equal((await get(elsewhere, '/account')).statusCode, 303, 'the other session ended');
  assert.equal((await get(here, '/account')).statusCode, 200, 'the accepting session goes on');
  assert.equal((await get(here, `/${tenant.slug}/instruction`)).statusCode, 200, 'the role took effect');

  const entries = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ action: string; actor: string; data: Record<string, unknown> }>(
      `select action, actor, data from journal_entries where action like 'core.member.%' order by at, seq`,
    ),
  );
  assert.deepEqual(
    entries.map((e) => [e.action, e.actor]),
    [
      ['core.member.invite', `person:${admin.id}`],
      ['core.member.add', `person:${invitee.id}`],
    ],
  );
  assert.equal(entries[0]!.data.email, invitee.email);
  assert.equal(entries[1]!.data.sessions_ended, 1);
  assert.equal(entries[1]!.data.invited_by, `person:${admin.id}`);
  // Once only.
  assert.equal((await postForm(t, here, `/${tenant.slug}/invitation`, { token })).statusCode, 404);
  assert.equal((await get(here, link)).statusCode, 404);
});

test('invitation mails to one address are limited, and an invitation can be cancelled', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const browser = await browserFor(t, admin.id);
  for (const role of ['agent', 'archivist', 'moderator']) {
    assert.equal((await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: 'flooded@example.org', role })).statusCode, 303);
  }
  const fourth = await postForm(t, browser, `/${tenant.slug}/admin/members`, { email: 'flooded@example.org', role: 'mediator' });
  assert.equal(fourth.statusCode, 422);
  assert.match(fourth.body, /Trop d’invitations/);
  const mails = await sql(`select 1 from jobs where kind = 'core.mail.send' and payload->>'to' = 'flooded@example.org'`);
  assert.equal(mails.length, 3);
  const [invitation] = await t.db.transaction(tenant.id, (tx) => tx.query<{ id: string }>(`select id from member_invitations where role = 'agent'`));
  assert.equal((await postForm(t, browser, `/${tenant.slug}/admin/members/invitations/${invitation!.id}/revoke`, {})).statusCode, 303);
  const revoked = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ revoked_at: Date | null }>('select revoked_at from member_invitations where id = $1', [invitation!.id]),
  );
  assert.ok(revoked!.revoked_at);
});

test('role grants, identity providers and webhooks ask for a recent sign-in', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const browser = await browserFor(t, admin.id);
  // Signed in eleven minutes ago: the session is valid, but not fresh enough for these changes.
  await sql(`update sessions set authenticated_at = now() - interval '11 minutes' where person_id = $1`, [admin.id]);
  const members = `/${tenant.slug}/admin/members`;
  const grant = await postForm(t, browser, members, { email: 'someone-invited@example.org', role: 'tenant_admin' });
  assert.equal(grant.statusCode, 303);
  assert.equal(grant.headers.location, `/auth/confirm?next=${encodeURIComponent(members)}`);
  assert.equal((await t.db.transaction(tenant.id, (tx) => tx.query('select 1 from member_invitations'))).length, 0);

  const provider = await postForm(t, browser, `/${tenant.slug}/admin/sign-in`, {
    kind: 'generic',
    issuer: 'https://idp.example.org',
    client_id: 'c',
    client_secret: 's',
    label: 'IdP',
  });
  assert.equal(provider.statusCode, 303);
  assert.match(provider.headers.location as string, /^\/auth\/confirm\?next=/);
  assert.equal((await t.db.transaction(tenant.id, (tx) => tx.query('select 1 from oidc_providers'))).length, 0);

  const procedure = await publishedProcedure(t, tenant.id);
  const operations = `/${tenant.slug}/admin/demarches/${procedure.id}/operations`;
  const webhook = await postForm(t, browser, operations, {
    webhook_url: 'https://collect.example.org/hook',
    webhook_secret: 'a long enough shared secret',
    drafts_expire_after_days: '60',
    drafts_remind_before_days: '5',
  });
  assert.equal(webhook.statusCode, 303);
  assert.equal(webhook.headers.location, `/auth/confirm?next=${encodeURIComponent(operations)}`);
  const settings = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ settings: Record<string, unknown> }>('select settings from procedures where id = $1', [procedure.id]),
  );
  assert.equal(settings!.settings.webhook, undefined);
  // A template change alone needs no confirmation.
  const templates = await postForm(t, browser, operations, { enabled: 'on', drafts_expire_after_days: '60', drafts_remind_before_days: '5' });
  assert.notEqual(templates.headers.location, `/auth/confirm?next=${encodeURIComponent(operations)}`);

  // Confirming: a wrong password is refused; the right one sends the browser back to the form.
  const page = await get(browser, `/auth/confirm?next=${encodeURIComponent(members)}`);
  assert.match(page.body, /Confirmez votre identité/);
  assert.equal((await postForm(t, browser, '/auth/confirm', { password: 'not my password at all', next: members })).statusCode, 422);
  const confirmed = await postForm(t, browser, '/auth/confirm', { password: admin.password, next: members });
  assert.equal(confirmed.statusCode, 303);
  assert.equal(confirmed.headers.location, members);
  assert.equal(
    (await postForm(t, browser, members, { email: 'someone-invited@example.org', role: 'tenant_admin' })).headers.location,
    `${members}?notice=member_invited`,
  );
});

test('staff sessions end after 30 idle minutes or 12 hours; citizens keep theirs', async () => {
  const tenant = await createTestTenant(t.db);
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  const idleAgent = await browserFor(t, agent.id);
  const idleCitizen = await browserFor(t, citizen.id);
  await sql(`update sessions set last_seen_at = now() - interval '31 minutes' where person_id in ($1, $2)`, [agent.id, citizen.id]);
  assert.equal((await get(idleAgent, '/account')).statusCode, 303, 'idle staff session refused');
  assert.equal((await get(idleCitizen, '/account')).statusCode, 200, 'idle citizen session kept');
  assert.deepEqual(await sql(`select 1 from sessions where person_id = $1`, [agent.id]), [], 'the stale session is deleted');

  const busyAgent = await browserFor(t, agent.id);
  await sql(`update sessions set last_seen_at = now() - interval '29 minutes' where person_id = $1`, [agent.id]);
  assert.equal((await get(busyAgent, '/account')).statusCode, 200);
  const seen = await sql<{ fresh: boolean }>(`select last_seen_at > now() - interval '1 minute' as fresh from sessions where person_id = $1`, [agent.id]);
  assert.equal(seen[0]!.fresh, true, 'a request keeps the session alive');

  await sql(`update sessions set created_at = now() - interval '12 hours 1 minute' where person_id in ($1, $2)`, [agent.id, citizen.id]);
  assert.equal((await get(busyAgent, '/account')).statusCode, 303, 'old staff session refused');
  assert.equal((await get(idleCitizen, '/account')).statusCode, 200, 'old citizen session kept');

  const operator = await createPerson(t.db, {}, { hostOperator: true });
  const operatorBrowser = await browserFor(t, operator.id);
  await sql(`update sessions set last_seen_at = now() - interval '31 minutes' where person_id = $1`, [operator.id]);
  assert.equal((await get(operatorBrowser, '/account')).statusCode, 303, 'a host operator is staff');
});

async function withTotp(personId: string): Promise<string> {
  const seed = newTotpSecret();
  await t.db.transaction(null, (tx) => tx.query('update people set totp_secret = $2 where id = $1', [personId, sealTotpSeed(t.deps.secret, personId, seed)]));
  return seed;
}

async function pendingBrowser(person: { email: string; password: string }): Promise<Browser> {
  const browser = await browserFor(t, null);
  const res = await postForm(t, browser, '/auth/sign-in', { email: person.email, password: person.password, next: '/account' });
  assert.match(res.headers.location as string, /^\/auth\/totp/);
  const raw = res.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw : [String(raw)]).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
  const all = `${browser.cookie}; ${cookie}`;
  return { cookie: all, csrf: browser.csrf, headers: { cookie: all } };
}

// On PostgreSQL the two requests really run at once (a pool of connections): without the conditional update
// both pass. PGlite runs one transaction at a time, so the next test replays the same interleaving by hand.
test('one TOTP code sent twice at the same moment passes once', async () => {
  const tenant = await createTestTenant(t.db);
  for (let round = 0; round < 3; round++) {
    const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
    const seed = await withTotp(agent.id);
    // Two browsers that both know the password (the agent, and someone who watched them type it).
    const [a, b] = [await pendingBrowser(agent), await pendingBrowser(agent)];
    const code = totp(base32Decode(seed), Date.now() / 1000);
    const answers = await Promise.all([a, b].map((browser) => postForm(t, browser, '/auth/totp', { code, next: '/account' })));
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [303, 422], `round ${round}`);
  }
});

test('a code checked against a stale read of the account is refused (the interleaving of two requests)', async () => {
  const agent = await createPerson(t.db);
  const seed = await withTotp(agent.id);
  // Both requests read the account before either one marks the code used.
  const read = async () =>
    (
      await sql<{ id: string; totp_secret: string; totp_last_step: number | null }>('select id, totp_secret, totp_last_step from people where id = $1', [
        agent.id,
      ])
    )[0]!;
  const [first, second] = [await read(), await read()];
  const code = totp(base32Decode(seed), Date.now() / 1000);
  assert.equal(await useTotpCode(t.db, t.deps.secret, first, code), true);
  assert.equal(await useTotpCode(t.db, t.deps.secret, second, code), false);
});

test('TOTP seeds are stored encrypted; seeds stored in clear before are sealed at start', async () => {
  const tenant = await createTestTenant(t.db);
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const browser = await browserFor(t, agent.id);
  const enrol = await get(browser, '/account/totp');
  const seed = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(enrol.body)![1]!.replace(/ /g, '');
  const pending = await sql<{ totp_pending_secret: string }>('select totp_pending_secret from people where id = $1', [agent.id]);
  assert.ok(!pending[0]!.totp_pending_secret.includes(seed));
  assert.match(pending[0]!.totp_pending_secret, /^v1\./);
  assert.equal((await get(browser, '/account/totp')).body.includes(seed), true, 'the same seed until confirmed');
  assert.equal((await postForm(t, browser, '/account/totp', { code: totp(base32Decode(seed), Date.now() / 1000) })).statusCode, 303);
  const stored = await sql<{ totp_secret: string; totp_pending_secret: string | null }>('select totp_secret, totp_pending_secret from people where id = $1', [
    agent.id,
  ]);
  assert.match(stored[0]!.totp_secret, /^v1\./);
  assert.ok(!stored[0]!.totp_secret.includes(seed), 'no clear seed in the column');
  assert.equal(stored[0]!.totp_pending_secret, null);
  // A sealed seed copied onto another account does not open there.
  const thief = await createPerson(t.db, { [tenant.id]: ['agent'] });
  await sql('update people set totp_secret = $2 where id = $1', [thief.id, stored[0]!.totp_secret]);
  const thiefBrowser = await pendingBrowser(thief);
  assert.equal((await postForm(t, thiefBrowser, '/auth/totp', { code: totp(base32Decode(seed), Date.now() / 1000 + 30), next: '/account' })).statusCode, 422);

  // An older version's clear seed: sealed when an app starts on the database, and still usable.
  const old = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const clear = newTotpSecret();
  await sql('update people set totp_secret = $2 where id = $1', [old.id, clear]);
  const restarted = await buildApp(t.config, t.db);
  try {
    const after = await sql<{ totp_secret: string }>('select totp_secret from people where id = $1', [old.id]);
    assert.match(after[0]!.totp_secret, /^v1\./);
    assert.ok(!after[0]!.totp_secret.includes(clear));
    assert.deepEqual(await sql(`select id from people where totp_secret not like 'v1.%' or totp_pending_secret not like 'v1.%'`), []);
  } finally {
    await restarted.app.close();
  }
  const oldBrowser = await pendingBrowser(old);
  assert.equal((await postForm(t, oldBrowser, '/auth/totp', { code: totp(base32Decode(clear), Date.now() / 1000), next: '/account' })).statusCode, 303);
});

// Secrets in the request log (issue 10, row 13): password-reset and verification links (`?token=`), a
// guest's tracking and draft links (`?code=`), the OpenID Connect callback (`?code=&state=`) and a sign-in
// `next` holding any of these were written in clear into every "incoming request" line. The test reads
// the log stream of real requests to such addresses and looks for each secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createPerson, type TestApp } from './helpers/app.ts';
import { createEmailToken } from '../src/core/auth/email-tokens.ts';
import { modules } from '../src/modules.ts';
import type { ModuleManifest } from '../src/core/module.ts';
import { apiTenant, fileDossier, published, type ApiTenant } from './support/procedures/api.ts';
import { redactUrl, redactText, REDACTED } from '../src/core/http/logging.ts';

const BOUND_SECRET = 'bound-parameter-of-a-failed-query';

/** A route whose query fails with a secret among its bound parameters (an error log with `err.params`). */
const failingModule: ModuleManifest = {
  name: 'test-failing',
  routes(app, deps) {
    app.get('/api/_test/fails', async () => deps.db.transaction(null, (tx) => tx.query('select 1 / 0 where $1::text is not null', [BOUND_SECRET])));
  },
};

let t: TestApp;
let a: ApiTenant;
const lines: string[] = [];
before(async () => {
  t = await startTestApp({
    env: { LOG_LEVEL: 'info' },
    logDestination: {
      write: (line) => {
        lines.push(line);
      },
    },
    modules: [...modules, failingModule],
  });
  a = await apiTenant(t);
});
after(() => t.close());

/** The log lines written while `fn` ran. */
async function logOf(fn: () => Promise<unknown>): Promise<string> {
  const from = lines.length;
  await fn();
  return lines.slice(from).join('');
}

test('reset and verification tokens never reach the log', async () => {
  const person = await createPerson(t.db);
  const reset = await t.db.transaction(null, (tx) =>
    createEmailToken(tx, t.deps.secret, { personId: person.id, email: person.email, purpose: 'reset_password' }),
  );
  const verify = await t.db.transaction(null, (tx) =>
    createEmailToken(tx, t.deps.secret, { personId: person.id, email: person.email, purpose: 'verify_email' }),
  );
  const log = await logOf(async () => {
    assert.equal((await t.app.inject(`/auth/reset/confirm?token=${reset}`)).statusCode, 200);
    await t.app.inject(`/auth/verify?token=${encodeURIComponent(verify)}`);
    await t.app.inject(`/auth/verify?lang=fr&TOKEN=${verify}`);
  });
  assert.match(log, /"url":"\/auth\/reset\/confirm\?token=\[redacted\]"/, 'the request is logged, without its token');
  for (const secret of [reset, verify, reset.split('.')[0]!, verify.split('.')[1]!]) assert.ok(!log.includes(secret), `${secret} in ${log}`);
});

test('tracking codes, in the query, in a sign-in next, or in a path, never reach the log', async () => {
  const slug = await published(t, a);
  const { number, tracking_code: code } = await fileDossier(t, a, slug);
  const tracking = `/${a.tenant.slug}/dossiers/${number}?code=${code}`;
  const log = await logOf(async () => {
    assert.equal((await t.app.inject(tracking)).statusCode, 200);
    await t.app.inject(`/${a.tenant.slug}/dossiers/${number}/modifier?code=${code}`);
    await t.app.inject(`/${a.tenant.slug}/dossiers/${number}/accuse-reception.pdf?code=${code}`);
    await t.app.inject(`/auth/sign-in?tenant=${a.tenant.slug}&next=${encodeURIComponent(tracking)}`);
    await t.app.inject(`/lang/en?back=${encodeURIComponent(encodeURIComponent(tracking))}`);
    // A secret in a path segment (no route has one today; one added later is covered all the same).
    await t.app.inject(`/${a.tenant.slug}/dossiers/${code}`);
  });
  assert.ok(log.includes(`/${a.tenant.slug}/dossiers/${number}?code=${REDACTED}`), log);
  assert.ok(log.includes(`next=${encodeURIComponent(`/${a.tenant.slug}/dossiers/${number}?code=${REDACTED}`)}`), log);
  assert.ok(!log.includes(code), `the tracking code is in the log: ${log}`);
});

test('the OpenID Connect callback’s code and state never reach the log', async () => {
  const log = await logOf(() => t.app.inject('/auth/oidc/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj-state-value&iss=https%3A%2F%2Fidp.example'));
  assert.match(log, /oidc\/callback\?code=\[redacted\]&state=\[redacted\]/);
  for (const secret of ['SplxlOBeZQQYbYS6WxSbIA', 'af0ifjsldkj-state-value']) assert.ok(!log.includes(secret), secret);
});

test('a failed query is logged without its bound parameters', async () => {
  const log = await logOf(async () => assert.equal((await t.app.inject('/api/_test/fails')).statusCode, 500));
  assert.match(log, /"level":50/);
  assert.match(log, /division by zero/);
  assert.ok(!log.includes(BOUND_SECRET), log);
});

test('redaction keeps what operators need', () => {
  assert.equal(redactUrl('/nantes/demarches?page=2&q=salle'), '/nantes/demarches?page=2&q=salle');
  assert.equal(
    redactUrl('/api/v1/nantes/dossiers/12/pieces/0b9e1f4e-3c1a-4d4e-9a5b-1f2e3d4c5b6a'),
    '/api/v1/nantes/dossiers/12/pieces/0b9e1f4e-3c1a-4d4e-9a5b-1f2e3d4c5b6a',
  );
  assert.equal(redactUrl('/auth/reset/confirm?token=abc'), `/auth/reset/confirm?token=${REDACTED}`);
  assert.equal(
    redactText('Reply was already sent in the "/auth/verify?token=abc" route'),
    `Reply was already sent in the "/auth/verify?token=${REDACTED}" route`,
  );
});

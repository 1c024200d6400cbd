// Webhooks against a real HTTP server on 127.0.0.1 that fails twice, then accepts: the same signed body
// is retried through the job queue with backoff, each attempt is logged, the signature verifies. The
// receiver is on the loopback interface, which the outbound guard refuses: the app exempts its
// host:port (BASTIDE_OUTBOUND_ALLOW), as a host operator would for an internal receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestTenant, apiToken, type TestApp } from '../../../../test/helpers/app.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { transitionDossier } from '../actions/transition-dossier.ts';
import { startOpsApp, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';
import { verifySignature } from './signature.ts';
import { WEBHOOK_JOB } from '../dossier-events.ts';

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}
let t: TestApp;
let server: Server;
let url = '';
let hits: Hit[] = [];
let failuresLeft = 0;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = failuresLeft-- > 0 ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  t = await startOpsApp({ BASTIDE_OUTBOUND_ALLOW: new URL(url).host });
});
after(async () => {
  await t.close();
  await new Promise((r) => server.close(r));
});

/** The backoff puts the retry in the future: bring it forward, as the clock would. */
async function retryNow(): Promise<void> {
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where kind = $1 and state = 'queued'`, [WEBHOOK_JOB]));
  await t.deps.jobs.drain();
}

const SECRET = 'un secret partagé très long';

test('a webhook is configured through the API, signed, retried with backoff and logged', async () => {
  hits = [];
  failuresLeft = 2;
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const admin = await apiToken(t, tenant.id, 'procedure_admin');
  const auth = { authorization: `Bearer ${admin}` };
  const bad = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/operations`,
    headers: auth,
    payload: { webhook: { url: 'ftp://x', secret: 'court' } },
  });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(Object.keys(bad.json().details?.errors ?? bad.json().errors ?? {}).sort(), ['webhook.secret', 'webhook.url']);
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/operations`,
    headers: auth,
    payload: { webhook: { url, secret: SECRET } },
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json().webhook, { url, secret_set: true }, 'the secret is never shown back');

  const { dossier } = await submitDossier(
    t.deps,
    { ...principal(tenant.id, []), actor: 'anonymous', viaToken: false },
    { procedure: procedure.id, email: 'a@example.org', data: SUBSIDY_ANSWERS },
  );
  await t.deps.jobs.drain();
  assert.equal(hits.length, 1);
  await retryNow();
  assert.equal(hits.length, 2);
  await retryNow();
  assert.equal(hits.length, 3);
  await retryNow();
  assert.equal(hits.length, 3, 'delivered: no more attempts');

  for (const hit of hits) {
    assert.equal(hit.body, hits[0]!.body, 'every attempt sends the same bytes');
    assert.match(hit.headers['x-bastide-signature'] as string, /^t=\d{10},v1=[0-9a-f]{64}$/);
    assert.ok(verifySignature(SECRET, hit.body, hit.headers['x-bastide-signature'] as string));
    assert.equal(hit.headers['x-bastide-delivery'], hits[0]!.headers['x-bastide-delivery']);
    assert.equal(hit.headers['x-bastide-event'], 'dossier.submitted');
  }
  const signature = hits[0]!.headers['x-bastide-signature'] as string;
  assert.ok(!verifySignature('another secret of some length', hits[0]!.body, signature));
  // The timestamp is signed: a captured request replayed later, or with its timestamp rewritten, fails.
  assert.ok(!verifySignature(SECRET, hits[0]!.body, signature, { now: new Date(Date.now() + 10 * 60_000) }));
  const t0 = Number(/^t=(\d+)/.exec(signature)![1]);
  assert.ok(!verifySignature(SECRET, hits[0]!.body, signature.replace(`t=${t0}`, `t=${t0 + 600}`), { now: new Date((t0 + 600) * 1000) }));
  assert.ok(!verifySignature(SECRET, hits[0]!.body.replace('submitted', 'accepte'), signature));
  const payload = JSON.parse(hits[0]!.body);
  assert.equal(payload.event, 'dossier.submitted');
  assert.equal(payload.dossier.number, Number(dossier.number));
  assert.equal(payload.dossier.state, 'en_construction');
  assert.equal(payload.dossier.data.siret, '73282932000074');
  assert.equal(payload.collectivite, tenant.slug);

  const log = await t.app.inject({ url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/webhook-deliveries`, headers: auth });
  assert.equal(log.statusCode, 200);
  const items = log.json().items as Array<{ attempt: number; ok: boolean; status_code: number; error: string | null; duration_ms: number }>;
  assert.deepEqual(items.map((i) => [i.attempt, i.ok, i.status_code]).sort(), [
    [1, false, 503],
    [2, false, 503],
    [3, true, 204],
  ]);
  assert.equal(items.find((i) => i.ok)!.error, null);
  const job = await t.db.ownerTransaction((tx) =>
    tx.one<{ state: string; attempts: number; max_attempts: number }>(`select state, attempts, max_attempts from jobs where kind = $1 and tenant_id = $2`, [
      WEBHOOK_JOB,
      tenant.id,
    ]),
  );
  assert.deepEqual(job, { state: 'done', attempts: 3, max_attempts: 15 });

  // Another collectivité's token sees neither the settings nor the log.
  const other = await createTestTenant(t.db);
  const otherToken = await apiToken(t, other.id, 'tenant_admin');
  const leak = await t.app.inject({
    url: `/api/v1/${other.slug}/procedures/${procedure.id}/webhook-deliveries`,
    headers: { authorization: `Bearer ${otherToken}` },
  });
  assert.equal(leak.statusCode, 404);
  const agent = await apiToken(t, tenant.id, 'agent');
  const forbidden = await t.app.inject({ url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/operations`, headers: { authorization: `Bearer ${agent}` } });
  assert.equal(forbidden.statusCode, 403);
});

test('state changes are delivered as their own events; removing the webhook stops deliveries', async () => {
  hits = [];
  failuresLeft = 0;
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const admin = principal(tenant.id, ['procedure_admin']);
  const { updateOperationsSettings } = await import('../operations/update-settings.ts');
  await updateOperationsSettings(
    t.db,
    admin,
    procedure.id,
    { webhook: { url, secret: SECRET } },
    { allowHttp: true, outbound: { allow: t.config.outboundAllow } },
  );
  const { dossier } = await submitDossier(
    t.deps,
    { ...principal(tenant.id, []), actor: 'anonymous', viaToken: false },
    { procedure: procedure.id, email: 'b@example.org', data: SUBSIDY_ANSWERS },
  );
  await transitionDossier(t.db, principal(tenant.id, ['agent']), Number(dossier.number), { to: 'en_instruction' });
  await t.deps.jobs.drain();
  assert.deepEqual(hits.map((h) => JSON.parse(h.body).event).sort(), ['dossier.en_instruction', 'dossier.submitted']);
  await updateOperationsSettings(t.db, admin, procedure.id, { webhook: null }, { allowHttp: true, outbound: { allow: t.config.outboundAllow } });
  await transitionDossier(t.db, principal(tenant.id, ['agent']), Number(dossier.number), { to: 'accepte' });
  await t.deps.jobs.drain();
  assert.equal(hits.length, 2);
});

test('a receiver that never accepts: every attempt logged, the job ends failed', async () => {
  hits = [];
  failuresLeft = 1000;
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const { updateOperationsSettings } = await import('../operations/update-settings.ts');
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url, secret: SECRET } },
    { allowHttp: true, outbound: { allow: t.config.outboundAllow } },
  );
  await submitDossier(
    t.deps,
    { ...principal(tenant.id, []), actor: 'anonymous', viaToken: false },
    { procedure: procedure.id, email: 'c@example.org', data: SUBSIDY_ANSWERS },
  );
  await t.deps.jobs.drain();
  for (let i = 0; i < 20; i++) await retryNow();
  const job = await t.db.ownerTransaction((tx) =>
    tx.one<{ state: string; attempts: number }>(`select state, attempts from jobs where kind = $1 and tenant_id = $2`, [WEBHOOK_JOB, tenant.id]),
  );
  assert.deepEqual(job, { state: 'failed', attempts: 15 });
  const logged = await t.db.transaction(tenant.id, (tx) => tx.query<{ ok: boolean; error: string }>('select ok, error from webhook_deliveries'));
  assert.equal(logged.length, 15);
  assert.ok(logged.every((l) => !l.ok && l.error === 'HTTP 503'));
  assert.equal(hits.length, 15);
});

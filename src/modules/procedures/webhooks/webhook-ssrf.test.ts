// Issue 10, row 10: the webhook as an attacker (a collectivité's procedure designer) would use it.
// - Internal destinations (loopback, metadata, private, CGNAT, IPv4-mapped, hex spelling, a name that
//   resolves to loopback) are refused when saved, through the API and the page.
// - A name that was public when saved and resolves inside at delivery is refused at delivery.
// - DNS rebinding: the delivery connects to the address it checked, never to a second answer.
// - The delivery log holds a coarse outcome, never the network's error text (no port scanner).
// - A retry goes to the URL its delivery was made for.
// - The webhook secret is never returned by the API nor shown again in pages (once at creation/rotation).
// Receivers are real HTTP servers on 127.0.0.1 (and 127.0.0.2); this app's configuration exempts nothing.
// The webhook job runs with a resolver the test controls (the guard's injectable lookup), through the
// module manifest, as in production but with simulated DNS answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestTenant, createPerson, browserFor, postForm, apiToken, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { ModuleManifest } from '../../../core/module.ts';
import type { Resolver, ResolvedAddress } from '../../../core/net/outbound.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { modulesWithOps, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';
import { WEBHOOK_JOB } from '../dossier-events.ts';
import { updateOperationsSettings } from '../operations/update-settings.ts';
import { createWebhookHandler } from './dispatch.ts';
import { verifySignature } from './signature.ts';

interface Receiver {
  server: Server;
  port: number;
  hits: Array<{ url: string; signature: string; body: string }>;
  status: number[];
}

async function receiver(host: string, port = 0): Promise<Receiver> {
  const r: Receiver = { server: createServer(), port: 0, hits: [], status: [] };
  r.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.hits.push({ url: req.url ?? '', signature: String(req.headers['x-bastide-signature'] ?? ''), body: Buffer.concat(chunks).toString() });
      res.statusCode = r.status.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    r.server.once('error', reject);
    r.server.listen(port, host, () => resolve());
  });
  r.port = (r.server.address() as AddressInfo).port;
  return r;
}

let t: TestApp;
let a: Receiver; // 127.0.0.1: the only destination the webhook job's policy exempts ("the public receiver")
let inside: Receiver; // 127.0.0.2, same port: what a rebinding or changed DNS answer points to
let other: Receiver; // 127.0.0.1, another port, also exempt: the new URL after a setting change
/** The DNS the webhook job sees; each test sets it. */
let dns: Resolver = async () => {
  throw new Error('no DNS in this test');
};
const questions: string[] = [];

before(async () => {
  a = await receiver('127.0.0.1');
  inside = await receiver('127.0.0.2', a.port);
  other = await receiver('127.0.0.1');
  const policy = {
    allow: [`127.0.0.1:${a.port}`, `127.0.0.1:${other.port}`],
    resolve: async (host: string): Promise<ResolvedAddress[]> => {
      questions.push(host);
      return dns(host);
    },
  };
  const modules: ModuleManifest[] = modulesWithOps().map((m) =>
    m.jobs
      ? {
          ...m,
          jobs: (deps) => {
            const jobs = m.jobs!(deps);
            return WEBHOOK_JOB in jobs ? { ...jobs, [WEBHOOK_JOB]: createWebhookHandler(policy) } : jobs;
          },
        }
      : m,
  );
  t = await startTestApp({ modules });
});
after(async () => {
  await t.close();
  for (const r of [a, inside, other]) {
    r.server.closeAllConnections();
    await new Promise((done) => r.server.close(done));
  }
});

const PUBLIC: ResolvedAddress = { address: '93.184.216.34', family: 4 };
const anonymous = (tenantId: string) => ({ ...principal(tenantId, []), actor: 'anonymous', viaToken: false });

/** The fields of the operations form as the page shows them (a browser sends them all back). */
async function formFields(pageUrl: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const page = await t.app.inject({ url: pageUrl, headers });
  const fields: Record<string, string> = {};
  const unescape = (v: string) =>
    v
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of page.body.matchAll(/<input id="field-[a-z_]+" name="([a-z_]+)" type="(?:text|url|password)" value="([^"]*)"/g))
    fields[m[1]!] = unescape(m[2]!);
  for (const m of page.body.matchAll(/<textarea id="field-[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]!] = unescape(m[2]!);
  if (/name="enabled" checked/.test(page.body)) fields.enabled = 'on';
  return fields;
}

async function retryNow(): Promise<void> {
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where kind = $1 and state = 'queued'`, [WEBHOOK_JOB]));
  await t.deps.jobs.drain();
}

async function deliveries(tenantId: string) {
  return t.db.transaction(tenantId, (tx) =>
    tx.query<{ url: string; ok: boolean; error: string | null; status_code: number | null }>(
      'select url, ok, error, status_code from webhook_deliveries order by created_at, attempt',
    ),
  );
}

test('internal webhook URLs are refused when saved, through the API and the page, with a localised field error', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const auth = { authorization: `Bearer ${await apiToken(t, tenant.id, 'procedure_admin')}` };
  const put = (url: string) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/operations`,
      headers: auth,
      payload: { webhook: { url, secret: 'un secret partagé très long' } },
    });
  for (const url of [
    `http://127.0.0.1:${a.port}/hook`,
    `http://[::1]:${a.port}/hook`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'http://100.64.0.1/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0x7f000001/hook',
    'http://2130706433/',
    `http://localhost:${a.port}/hook`,
    'https://[fd00:ec2::254]/',
  ]) {
    const res = await put(url);
    assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
    const errors = res.json().details?.errors ?? res.json().errors;
    assert.deepEqual(
      errors,
      { 'webhook.url': ['Cette adresse mène à un réseau interne (loopback, privé, lien local ou service de métadonnées) : elle n’est pas autorisée.'] },
      url,
    );
  }
  const stored = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ settings: Record<string, unknown> }>('select settings from procedures where id = $1', [procedure.id]),
  );
  assert.deepEqual(stored!.settings, {}, 'nothing saved');
  assert.deepEqual(a.hits, [], 'the check never connects');

  const designer = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const browser = await browserFor(t, designer.id);
  const page = `/${tenant.slug}/admin/demarches/${procedure.id}/operations`;
  const form = await postForm(t, browser, page, {
    ...(await formFields(page, browser.headers)),
    webhook_url: 'http://169.254.169.254/latest/meta-data/',
    webhook_secret: 'un secret partagé très long',
  });
  assert.equal(form.statusCode, 422);
  assert.match(form.body, /href="#field-webhook_url"/);
  assert.match(form.body, /Cette adresse mène à un réseau interne/);
});

test('a name that resolved to a public address when saved and resolves inside at delivery is refused at delivery', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const url = `http://hooks.example.test:${a.port}/changed`;
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url, secret: 'un secret partagé très long' } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  dns = async () => [{ address: '127.0.0.2', family: 4 }];
  await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'dns@example.org', data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  assert.deepEqual(inside.hits, [], 'nothing reached the internal address');
  assert.deepEqual(await deliveries(tenant.id), [{ url, ok: false, error: 'address_not_allowed', status_code: null }]);
  const designer = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const page = await t.app.inject({ url: `/${tenant.slug}/admin/demarches/${procedure.id}/operations`, headers: (await browserFor(t, designer.id)).headers });
  assert.match(page.body, /✗ adresse non autorisée \(réseau interne\)/);
});

test('DNS rebinding: the delivery connects to the address it checked, not to a second answer', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url: `http://rebind.example.test:${a.port}/rebind`, secret: 'un secret partagé très long' } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  // First answer: the allowed receiver (stands for a public address); every later answer: inside.
  let answers = 0;
  dns = async () => [answers++ === 0 ? { address: '127.0.0.1', family: 4 } : { address: '127.0.0.2', family: 4 }];
  questions.length = 0;
  await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'rebind@example.org', data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  assert.deepEqual(a.hits.filter((h) => h.url === '/rebind').length, 1, 'delivered to the checked address');
  assert.deepEqual(inside.hits, [], 'the second answer was never used');
  assert.deepEqual(questions, ['rebind.example.test'], 'one DNS question for the delivery');
});

test('the delivery log holds a coarse outcome, never the network error text', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  // The port scan: a name pointed at a closed port of the host itself (before: "fetch failed: connect
  // ECONNREFUSED 127.0.0.1:<port>" in the log, a different text for an open port).
  const closed = await receiver('127.0.0.1');
  await new Promise((r) => closed.server.close(r));
  const url = `http://scan.example.test:${closed.port}/x`;
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url, secret: 'un secret partagé très long' } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  const token = await apiToken(t, tenant.id, 'procedure_admin');
  dns = async () => [{ address: '127.0.0.1', family: 4 }];
  await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'log@example.org', data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  const log = await t.app.inject({
    url: `/api/v1/${tenant.slug}/procedures/${procedure.id}/webhook-deliveries`,
    headers: { authorization: `Bearer ${token}` },
  });
  const items = log.json().items as Array<{ error: string }>;
  assert.deepEqual(
    items.map((i) => i.error),
    ['address_not_allowed'],
  );
  assert.doesNotMatch(log.body, /ECONN|connect |fetch failed|127\.0\.0\.1:/);
  // The database refuses any other text (migration 0403), so no code path can log a raw error.
  await assert.rejects(
    t.db.transaction(tenant.id, (tx) =>
      tx.query(
        `insert into webhook_deliveries (tenant_id, procedure_id, event, delivery_id, attempt, url, duration_ms, ok, error)
     values (app_tenant(), $1, 'dossier.submitted', gen_random_uuid(), 1, 'https://x.example', 1, false, 'connect ECONNREFUSED 10.0.0.7:5432')`,
        [procedure.id],
      ),
    ),
    /webhook_deliveries_coarse_error/,
  );
});

test('a connection refused by an allowed receiver is logged as "connection_refused" only', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  // The exempt receiver `a` is briefly down: stop listening, keep the port.
  const port = a.port;
  const url = `http://down.example.test:${port}/down`;
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url, secret: 'un secret partagé très long' } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  dns = async () => [{ address: '127.0.0.1', family: 4 }];
  a.server.closeAllConnections();
  await new Promise((r) => a.server.close(r));
  try {
    await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'down@example.org', data: SUBSIDY_ANSWERS });
    await t.deps.jobs.drain();
  } finally {
    await new Promise<void>((resolve) => a.server.listen(port, '127.0.0.1', () => resolve()));
  }
  assert.deepEqual(await deliveries(tenant.id), [{ url, ok: false, error: 'connection_refused', status_code: null }]);
});

test('a retry goes to the URL its delivery was made for, even after the setting changed', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const admin = principal(tenant.id, ['procedure_admin']);
  const first = `http://first.example.test:${a.port}/first`;
  const second = `http://second.example.test:${other.port}/second`;
  const options = { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } };
  await updateOperationsSettings(t.db, admin, procedure.id, { webhook: { url: first, secret: 'un secret partagé très long' } }, options);
  dns = async () => [{ address: '127.0.0.1', family: 4 }];
  a.status.push(503);
  await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'retry@example.org', data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  await updateOperationsSettings(t.db, admin, procedure.id, { webhook: { url: second, secret: 'un secret partagé très long' } }, options);
  await retryNow();
  assert.equal(a.hits.filter((h) => h.url === '/first').length, 2, 'first attempt and retry, same receiver');
  assert.deepEqual(other.hits, [], 'the pending retry did not move to the new URL');
  assert.deepEqual(
    (await deliveries(tenant.id)).map((d) => [d.url, d.status_code]),
    [
      [first, 503],
      [first, 204],
    ],
  );
});

test('the webhook secret is never returned by the API nor shown again; generated and rotated secrets are shown once', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const auth = { authorization: `Bearer ${await apiToken(t, tenant.id, 'procedure_admin')}` };
  const base = `/api/v1/${tenant.slug}/procedures/${procedure.id}`;
  const url = `http://hooks.example.test:${a.port}/secret`;
  // Saved through the action with a public DNS answer (the API would resolve the test name for real).
  const created = await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  const secret = created.generatedSecret!;
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/, 'the server generated a strong secret');
  for (const path of ['', '/operations', '/webhook-deliveries']) {
    const res = await t.app.inject({ url: `${base}${path}`, headers: auth });
    assert.equal(res.statusCode, 200, path);
    assert.ok(!res.body.includes(secret), `${path || 'GET procedure'} does not return the secret`);
  }
  const read = await t.app.inject({ url: base, headers: auth });
  assert.deepEqual(read.json().settings.webhook, { url, secret_set: true });

  // Through the API: without a secret of its own, the answer carries a generated one, once.
  const own = await t.app.inject({ method: 'PUT', url: `${base}/operations`, headers: auth, payload: { webhook: null } });
  assert.equal(own.statusCode, 200);
  const other = await createTestTenant(t.db);
  const otherProcedure = await publishedProcedure(t, other.id);
  const otherAuth = { authorization: `Bearer ${await apiToken(t, other.id, 'procedure_admin')}` };
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${other.slug}/procedures/${otherProcedure.id}/operations`,
    headers: otherAuth,
    payload: { webhook: { url: 'https://93.184.216.34/hook' } },
  });
  assert.equal(put.statusCode, 200, put.body);
  const shown = put.json().webhook.secret as string;
  assert.match(shown, /^whsec_/);
  const again = await t.app.inject({ url: `/api/v1/${other.slug}/procedures/${otherProcedure.id}/operations`, headers: otherAuth });
  assert.deepEqual(again.json().webhook, { url: 'https://93.184.216.34/hook', secret_set: true });
  const rotated = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${other.slug}/procedures/${otherProcedure.id}/operations`,
    headers: otherAuth,
    payload: { webhook: { url: 'https://93.184.216.34/hook', rotate_secret: true } },
  });
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.notEqual(rotated.json().webhook.secret, shown, 'rotation gives a new secret, shown once');
  const kept = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${other.slug}/procedures/${otherProcedure.id}/operations`,
    headers: otherAuth,
    payload: { webhook: { url: 'https://93.184.216.34/other' } },
  });
  assert.deepEqual(kept.json().webhook, { url: 'https://93.184.216.34/other', secret_set: true }, 'a URL change keeps the secret and does not show it');
  const journal = await t.db.transaction(other.id, (tx) =>
    tx.query<{ data: unknown }>(`select data from journal_entries where action = 'procedures.procedure.operations'`),
  );
  assert.ok(!JSON.stringify(journal).includes('whsec_'), 'the journal never holds a secret');

  // Through the page: the secret appears once, on the answer to the form that generated it.
  const designer = await createPerson(t.db, { [tenant.id]: ['procedure_admin'] });
  const browser = await browserFor(t, designer.id);
  const pageUrl = `/${tenant.slug}/admin/demarches/${procedure.id}/operations`;
  const created2 = await postForm(t, browser, pageUrl, {
    ...(await formFields(pageUrl, browser.headers)),
    webhook_url: 'https://93.184.216.34/page',
    webhook_secret: '',
  });
  assert.equal(created2.statusCode, 200, created2.body.slice(0, 500));
  const fromPage = /<code id="webhook-secret">([^<]+)<\/code>/.exec(created2.body)?.[1];
  assert.match(fromPage ?? '', /^whsec_/);
  const later = await t.app.inject({ url: pageUrl, headers: browser.headers });
  assert.ok(!later.body.includes(fromPage!), 'never shown again');
  assert.match(later.body, /name="webhook_rotate"/, 'rotation is offered');
  // The receiver checks deliveries with the secret it was shown.
  dns = async () => [{ address: '127.0.0.1', family: 4 }];
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { webhook: { url } },
    { allowHttp: true, outbound: { resolve: async () => [PUBLIC] } },
  );
  await submitDossier(t.deps, anonymous(tenant.id), { procedure: procedure.id, email: 'secret@example.org', data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  const hit = a.hits.find((h) => h.url === '/secret')!;
  assert.ok(verifySignature(fromPage!, hit.body, hit.signature), 'signed with the secret shown once (kept on URL change)');
});

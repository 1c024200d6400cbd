// Issue 10, row 10 (OpenID Connect side): a collectivité's administrator registers a generic provider
// whose issuer is an internal address (or whose discovery document names internal endpoints), then
// starts a sign-in: the server must not call inside. Real HTTP servers on 127.0.0.1 record every
// connection they get; the app's configuration exempts only the port of the "public" issuer stand-in.
// (Plain http is what openid-client accepts for a loopback issuer outside production, so without the
// guard these requests would be made.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE } from './oidc/flow.ts';

interface Recorder {
  server: Server;
  port: number;
  hits: string[];
  connections: number;
}

async function recorder(host: string, answer: (url: string, port: number) => { status: number; json?: unknown }): Promise<Recorder> {
  const r: Recorder = { server: createServer(), port: 0, hits: [], connections: 0 };
  r.server.on('connection', () => {
    r.connections += 1;
  });
  r.server.on('request', (req, res) => {
    r.hits.push(`${req.method} ${req.url}`);
    const a = answer(req.url ?? '', r.port);
    res.writeHead(a.status, { 'content-type': 'application/json' });
    res.end(a.json === undefined ? '' : JSON.stringify(a.json));
  });
  await new Promise<void>((resolve) => r.server.listen(0, host, () => resolve()));
  r.port = (r.server.address() as AddressInfo).port;
  return r;
}

let t: TestApp;
let internal: Recorder; // an internal service of the host (127.0.0.1, a port nobody exempted)
let issuer: Recorder; // the exempt issuer (stands for a public one) whose discovery names internal endpoints

before(async () => {
  internal = await recorder('127.0.0.1', () => ({ status: 200, json: { access_token: 'x', token_type: 'Bearer', id_token: 'x' } }));
  issuer = await recorder('127.0.0.1', (url, port) =>
    url === '/.well-known/openid-configuration'
      ? {
          status: 200,
          json: {
            issuer: `http://127.0.0.1:${port}`,
            authorization_endpoint: `http://127.0.0.1:${port}/auth`,
            token_endpoint: `http://127.0.0.1:${internal.port}/token`,
            jwks_uri: `http://127.0.0.1:${internal.port}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
          },
        }
      : { status: 404 },
  );
  t = await startTestApp({ env: { BASTIDE_OUTBOUND_ALLOW: `127.0.0.1:${issuer.port}` } });
});
after(async () => {
  await t.close();
  for (const r of [internal, issuer]) {
    r.server.closeAllConnections();
    await new Promise((done) => r.server.close(done));
  }
});

async function providerAt(issuerUrl: string): Promise<{ slug: string; tenant: string }> {
  const tenant = await createTestTenant(t.db);
  await t.db.transaction(tenant.id, (tx) =>
    tx.query(
      `insert into oidc_providers (tenant_id, slug, kind, label, issuer, client_id, client_secret, scopes, new_person, settings)
     values (app_tenant(), 'interne', 'generic', 'Annuaire', $1, 'client', 'client-secret-0123456789', 'openid email', 'require_membership', '{}')`,
      [issuerUrl],
    ),
  );
  return { slug: 'interne', tenant: tenant.slug };
}

test('an issuer on an internal address is refused at discovery, before any request', async () => {
  for (const url of [
    `http://127.0.0.1:${internal.port}`,
    `http://localhost:${internal.port}`,
    `http://[::1]:${internal.port}`,
    `https://[::ffff:127.0.0.1]:${internal.port}`,
    `https://0x7f000001:${internal.port}`,
    'https://169.254.169.254/latest',
    'https://10.0.0.1',
    'https://100.64.0.1',
  ]) {
    const p = await providerAt(url);
    const start = await t.app.inject(`/auth/oidc/${p.tenant}/${p.slug}`);
    assert.equal(start.statusCode, 502, `${url}: ${start.statusCode}`);
    assert.doesNotMatch(start.body, /ECONN|127\.0\.0\.1|169\.254/, 'the page says nothing about the network');
  }
  assert.deepEqual(internal.hits, [], 'the internal service was never called');
  assert.equal(internal.connections, 0, 'not even connected to');
});

test('endpoints that a discovery document points inside are refused too (token endpoint, keys)', async () => {
  const p = await providerAt(`http://127.0.0.1:${issuer.port}`);
  const start = await t.app.inject(`/auth/oidc/${p.tenant}/${p.slug}`);
  assert.equal(start.statusCode, 303, start.body);
  assert.deepEqual(issuer.hits, ['GET /.well-known/openid-configuration']);
  const location = new URL(String(start.headers.location));
  const cookie = /bastide_oidc=([^;]+)/.exec(String(start.headers['set-cookie']))?.[1];
  assert.ok(cookie);
  const callback = await t.app.inject({
    url: `${OIDC_CALLBACK_PATH}?code=stolen&state=${location.searchParams.get('state')}&iss=${encodeURIComponent(`http://127.0.0.1:${issuer.port}`)}`,
    headers: { cookie: `${OIDC_COOKIE}=${cookie}` },
  });
  assert.equal(callback.statusCode, 400);
  assert.deepEqual(internal.hits, [], 'the token endpoint on the internal address was never called');
  assert.equal(internal.connections, 0);
});

// Issue 10 row 5: X-Forwarded-For is believed only from the configured proxies. By default a client that
// sends a new forged address with every request is still counted under its own (socket) address, so the
// per-address limits trip; behind a configured proxy, the address the proxy gives is the one counted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, type TestApp } from '../../../test/helpers/app.ts';
import { ConfigError, loadConfig } from '../../config.ts';

const apps: TestApp[] = [];
after(async () => {
  for (const t of apps) await t.close();
});

async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ env });
  apps.push(t);
  return t;
}

/** Asks for a password reset (per-address limit: 20 an hour) for a new address each time. */
async function askReset(t: TestApp, i: number, headers: Record<string, string>, remoteAddress?: string) {
  const browser = await browserFor(t, null);
  return t.app.inject({
    method: 'POST',
    url: '/auth/reset',
    ...(remoteAddress ? { remoteAddress } : {}),
    headers: { ...browser.headers, ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: browser.csrf, email: `someone-${i}@example.org` }).toString(),
  });
}

test('by default a forged X-Forwarded-For changes nothing: the per-address limit still trips', async () => {
  const t = await app();
  for (let i = 0; i < 20; i++) {
    const res = await askReset(t, i, { 'x-forwarded-for': `198.51.100.${i + 1}` });
    assert.equal(res.statusCode, 200, `request ${i}`);
  }
  const limited = await askReset(t, 20, { 'x-forwarded-for': '198.51.100.200' });
  assert.equal(limited.statusCode, 429, 'a new forged address each time does not escape the limit');
});

test('a configured proxy is believed; a client that is not that proxy is not', async () => {
  const t = await app({ BASTIDE_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
  // Through the proxy (the socket's address is 127.0.0.1): each client is counted on its own.
  for (let i = 0; i < 25; i++) assert.equal((await askReset(t, i, { 'x-forwarded-for': `198.51.100.${i + 1}` })).statusCode, 200);
  // One client through the proxy trips its own limit, even when it prepends forged addresses: the proxy
  // appends the address it saw, and only the configured proxies are skipped from the right.
  for (let i = 0; i < 20; i++) assert.equal((await askReset(t, 100 + i, { 'x-forwarded-for': `203.0.113.${i}, 192.0.2.50` })).statusCode, 200);
  assert.equal((await askReset(t, 200, { 'x-forwarded-for': '203.0.113.99, 192.0.2.50' })).statusCode, 429);
  // A direct client (not a configured proxy) cannot choose its address either.
  for (let i = 0; i < 20; i++) assert.equal((await askReset(t, 300 + i, { 'x-forwarded-for': `198.51.100.${i + 100}` }, '192.0.2.77')).statusCode, 200);
  assert.equal((await askReset(t, 400, { 'x-forwarded-for': '198.51.100.250' }, '192.0.2.77')).statusCode, 429);
});

test('a hop count believes the address the nearest proxy appended, not those the client wrote before it', async () => {
  const t = await app({ BASTIDE_TRUSTED_PROXIES: '1' });
  for (let i = 0; i < 20; i++) assert.equal((await askReset(t, i, { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.9` })).statusCode, 200);
  assert.equal((await askReset(t, 20, { 'x-forwarded-for': '203.0.113.99, 198.51.100.9' })).statusCode, 429);
  assert.equal((await askReset(t, 21, { 'x-forwarded-for': '198.51.100.10' })).statusCode, 200, 'another client');
});

test('BASTIDE_TRUSTED_PROXIES: none by default, a hop count, addresses and ranges; anything else is refused', () => {
  assert.equal(loadConfig({ NODE_ENV: 'test' }).trustedProxies, false);
  assert.equal(loadConfig({ NODE_ENV: 'test', BASTIDE_TRUSTED_PROXIES: '' }).trustedProxies, false);
  assert.equal(loadConfig({ NODE_ENV: 'test', BASTIDE_TRUSTED_PROXIES: '1' }).trustedProxies, 1);
  assert.deepEqual(loadConfig({ NODE_ENV: 'test', BASTIDE_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/24,::1,fd00::/8,loopback' }).trustedProxies, [
    '127.0.0.1',
    '10.0.0.0/24',
    '::1',
    'fd00::/8',
    'loopback',
  ]);
  for (const bad of ['true', '0', '10', '*', '10.0.0.0/33', '10.0.0.0/8/1', 'proxy.example.fr', '127.0.0.1,', '::1/129', '1.2.3']) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', BASTIDE_TRUSTED_PROXIES: bad }), ConfigError, bad);
  }
});

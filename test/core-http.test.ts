// The core pages through HTTP: home, tenant home, unknown tenant, security headers, CSRF, language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, browserFor, postForm, type TestApp } from './helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('the home page lists the collectivités and each has its page', async () => {
  const tenant = await createTestTenant(t.db);
  const home = await t.app.inject('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, new RegExp(`href="/${tenant.slug}/"`));
  const page = await t.app.inject(`/${tenant.slug}/`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`<h1>${tenant.name}</h1>`));
  assert.match(page.body, /Mentions légales/);
});

test('an unknown collectivité is a localised 404 page', async () => {
  const res = await t.app.inject('/no-such-place/');
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /Page introuvable/);
  const en = await t.app.inject({ url: '/no-such-place/', headers: { 'accept-language': 'en-GB,en' } });
  assert.match(en.body, /Page not found/);
});

test('every response carries a strict CSP and the usual security headers', async () => {
  const res = await t.app.inject('/');
  assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
});

test('a form post without the CSRF token is refused', async () => {
  const browser = await browserFor(t, null);
  const res = await t.app.inject({
    method: 'POST',
    url: '/lang/en',
    headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'a=1',
  });
  assert.equal(res.statusCode, 403);
  const ok = await postForm(t, browser, '/no-such-place/whatever', {});
  assert.equal(ok.statusCode, 404);
});

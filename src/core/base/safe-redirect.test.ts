// Open redirects (issue 10, row 11): every redirect target a client chooses (`/lang/<locale>?back=`, the
// sign-in `next`) must keep the browser on this site. The assertions read each Location header the way a
// browser does (WHATWG URL parsing against the page's address), so a tab, a backslash or a dot segment
// that a browser would turn into another host fails them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, browserFor, postForm, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
let slug: string;
before(async () => {
  t = await startTestApp();
  slug = (await createTestTenant(t.db)).slug;
});
after(() => t.close());

/** Targets (as the server receives them, decoded) that a browser would take to another site. */
const LEAVING = [
  '/\\evil.example', // `/%5Cevil.example` in the address bar: `\` is `/` to a browser
  '//evil.example',
  '/\t/evil.example', // `/%09/evil.example`: browsers drop tabs, leaving `//evil.example`
  '/\n/evil.example',
  '///evil.example', // `/%2F%2Fevil.example` once decoded
  '/.//evil.example', // resolves to the path `//evil.example`
  '\\\\evil.example',
  ' //evil.example',
  'https://evil.example',
  'https://evil.example/demarches?x=1',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https:/\\evil.example',
];

/** Odd-looking but harmless: once parsed they are paths of this site, and are followed as such. */
const ODD_BUT_LOCAL = ['/%5Cevil.example', '/%2F%2Fevil.example', '/%09/evil.example', 'http:evil.example'];

function origin(url: string): string {
  return new URL(url).origin;
}

/** Where a browser on this site goes when it follows `location`. */
function followed(location: string): URL {
  return new URL(location, `${t.config.baseUrl}/lang/en`);
}

function assertStaysOnSite(location: unknown, target: string): void {
  assert.equal(typeof location, 'string', target);
  assert.equal(followed(location as string).origin, origin(t.config.baseUrl), `${JSON.stringify(target)} → ${JSON.stringify(location)}`);
  assert.ok((location as string).startsWith('/') && !(location as string).startsWith('//'), `a path: ${JSON.stringify(location)}`);
}

test('the language switch never sends the browser to another site', async () => {
  for (const back of LEAVING) {
    const res = await t.app.inject(`/lang/en?back=${encodeURIComponent(back)}`);
    assert.equal(res.statusCode, 303);
    assertStaysOnSite(res.headers.location, back);
    assert.equal(res.headers.location, '/', JSON.stringify(back));
  }
  // The addresses of the attack report, exactly as typed.
  for (const raw of ['/%5Cevil.example', '/%09/evil.example', '/%2F%2Fevil.example', '/%5C%5Cevil.example', '%2F%2Fevil.example']) {
    const res = await t.app.inject(`/lang/en?back=${raw}`);
    assertStaysOnSite(res.headers.location, raw);
    assert.equal(res.headers.location, '/', raw);
  }
  for (const back of ODD_BUT_LOCAL) {
    const res = await t.app.inject(`/lang/en?back=${encodeURIComponent(back)}`);
    assertStaysOnSite(res.headers.location, back);
  }
});

test('the language switch comes back to the page it was used on', async () => {
  for (const back of [`/${slug}/demarches?x=1`, `/${slug}/demarches?x=1#liste`, '/', `${t.config.baseUrl}/${slug}/demarches?x=1`]) {
    const res = await t.app.inject(`/lang/en?back=${encodeURIComponent(back)}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, back.replace(t.config.baseUrl, ''), back);
  }
  // Normalised as the browser would: dot segments resolved, unsafe characters escaped.
  const dots = await t.app.inject(`/lang/en?back=${encodeURIComponent(`/${slug}/a/../demarches?q=a b`)}`);
  assert.equal(dots.headers.location, `/${slug}/demarches?q=a%20b`);
});

test('after signing in, next is followed only within the site', async () => {
  const person = await createPerson(t.db);
  for (const next of [...LEAVING, ...ODD_BUT_LOCAL]) {
    const res = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: person.email, password: person.password, next });
    assert.equal(res.statusCode, 303, JSON.stringify(next));
    assertStaysOnSite(res.headers.location, next);
    if (LEAVING.includes(next)) assert.equal(res.headers.location, '/account', JSON.stringify(next));
  }
  const res = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: person.email, password: person.password, next: `/${slug}/demarches?x=1` });
  assert.equal(res.headers.location, `/${slug}/demarches?x=1`);
});

test('the sign-in page does not carry a foreign next into its form', async () => {
  for (const next of LEAVING) {
    const res = await t.app.inject(`/auth/sign-in?tenant=${slug}&next=${encodeURIComponent(next)}`);
    assert.equal(res.statusCode, 200);
    const value = /name="next" value="([^"]*)"/.exec(res.body)![1]!.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
    assert.equal(value, `/${slug}/`, JSON.stringify(next));
  }
});

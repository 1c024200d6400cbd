// Hostile addresses and bodies (issue 10, row 12): a NUL character anywhere in a request, and an address
// that does not percent-decode, get a 4xx page or JSON error with the security headers every page has,
// change nothing, and write nothing at error level to the log. Before the guard, `/api/v1/<slug>/procedures/%00`
// was a 500 with a stack trace in the log (PostgreSQL refuses U+0000 in text), and `/%ZZ/…` got Fastify's
// raw JSON without any security header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, browserFor, postForm, type TestApp } from './helpers/app.ts';
import { modules } from '../src/modules.ts';
import type { ModuleManifest } from '../src/core/module.ts';
import { apiTenant, call, countRows, published, ROOM_ANSWERS, type ApiTenant } from './support/procedures/api.ts';

/** A route that decodes its input itself (base64url), out of the guard's sight, and hands it to PostgreSQL. */
const decodingModule: ModuleManifest = {
  name: 'test-decoding',
  routes(app, deps) {
    app.get('/api/_test/decoded/:b64', async (request) => {
      const text = Buffer.from((request.params as { b64: string }).b64, 'base64url').toString('utf8');
      return deps.db.transaction(null, (tx) => tx.one<{ text: string }>('select $1::text as text', [text]));
    });
  },
};

let t: TestApp;
let a: ApiTenant;
let procedure: string;
const logLines: string[] = [];

before(async () => {
  t = await startTestApp({
    env: { LOG_LEVEL: 'info' },
    logDestination: {
      write: (line) => {
        logLines.push(line);
      },
    },
    modules: [...modules, decodingModule],
  });
  a = await apiTenant(t);
  procedure = await published(t, a);
});
after(() => t.close());

const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
];

let normal: Record<string, unknown>;
async function assertRefusedCleanly(res: LightMyRequestResponse, label: string, kind: 'html' | 'json'): Promise<void> {
  normal ??= (await t.app.inject('/')).headers;
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  for (const h of SECURITY_HEADERS) assert.equal(res.headers[h], normal[h], `${label}: ${h}`);
  if (kind === 'json') {
    assert.match(String(res.headers['content-type']), /^application\/json/, label);
    assert.equal(res.json().error.code, 'bad_request', label);
  } else {
    assert.match(String(res.headers['content-type']), /^text\/html/, label);
    assert.match(res.body, /<main|<h1>/, label);
  }
  assert.doesNotMatch(res.body, /FST_|stack|at .*\.js:\d+/, `${label}: nothing internal`);
}

function errorLines(): string[] {
  return logLines.filter((l) => JSON.parse(l).level >= 50);
}

test('a NUL in the path or the query is a 400 with the usual headers, and no error in the log', async () => {
  const cases: Array<[string, 'html' | 'json']> = [
    [`/api/v1/${a.tenant.slug}/procedures/%00`, 'json'], // the attack report's address
    [`/api/v1/${a.tenant.slug}/procedures/${procedure}%00x`, 'json'],
    [`/api/v1/${a.tenant.slug}/procedures?q=%00`, 'json'],
    [`/${a.tenant.slug}/demarches/%00`, 'html'],
    [`/${a.tenant.slug}/demarches/${procedure}?x=a%00b`, 'html'],
    [`/${a.tenant.slug}/dossiers/1?code=%00`, 'html'],
    ['/auth/sign-in?next=/%00', 'html'],
  ];
  for (const [url, kind] of cases) {
    const res = await t.app.inject({ url, headers: kind === 'json' ? { authorization: `Bearer ${a.agent}` } : {} });
    assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 200)}`);
    await assertRefusedCleanly(res, url, kind);
  }
  assert.deepEqual(errorLines(), []);
});

test('a NUL in a JSON, urlencoded or multipart body is a 400 that stores nothing', async () => {
  const dossiers = `/api/v1/${a.tenant.slug}/procedures/${procedure}/dossiers`;
  const json = await call(t, 'POST', dossiers, null, { email: 'camille@exemple.fr', data: { ...ROOM_ANSWERS, objet: 'chorale\u0000' } });
  assert.equal(json.statusCode, 400, json.body);
  await assertRefusedCleanly(json, 'JSON answer', 'json');
  const key = await call(t, 'POST', dossiers, null, { email: 'camille@exemple.fr', data: { ...ROOM_ANSWERS, 'x\u0000': 'y' } });
  assert.equal(key.statusCode, 400, key.body);
  const email = await call(t, 'POST', dossiers, null, { email: 'camille\u0000@exemple.fr', data: ROOM_ANSWERS });
  assert.equal(email.statusCode, 400, email.body);

  const form = await postForm(t, await browserFor(t, null), '/auth/sign-in', { email: 'camille\u0000@exemple.fr', password: 'whatever' });
  assert.equal(form.statusCode, 400, form.body);
  await assertRefusedCleanly(form, 'urlencoded sign-in', 'html');

  const boundary = 'guard-boundary';
  const multipart = (fields: Record<string, string>) => ({
    method: 'POST' as const,
    url: dossiers,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('')}--${boundary}--\r\n`,
  });
  const field = await t.app.inject(multipart({ email: 'camille\u0000@exemple.fr', data: JSON.stringify(ROOM_ANSWERS) }));
  assert.equal(field.statusCode, 400, field.body);
  await assertRefusedCleanly(field, 'multipart field', 'json');
  // An escaped NUL inside the JSON of a multipart `data` field appears only once the route parses it:
  // the answer's own validation refuses control characters.
  const escaped = await t.app.inject(multipart({ email: 'camille@exemple.fr', data: JSON.stringify({ ...ROOM_ANSWERS, objet: 'chorale\u0000' }) }));
  assert.equal(escaped.statusCode, 422, escaped.body);

  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 0);
  assert.deepEqual(errorLines(), []);
});

test('a NUL that only a route decodes, and the database refuses, is still a 400, not a 500', async () => {
  const res = await t.app.inject(`/api/_test/decoded/${Buffer.from('a\u0000b').toString('base64url')}`);
  assert.equal(res.statusCode, 400, res.body);
  await assertRefusedCleanly(res, 'decoded by the route', 'json');
  assert.equal((await t.app.inject(`/api/_test/decoded/${Buffer.from('ab').toString('base64url')}`)).json().text, 'ab');
  assert.deepEqual(errorLines(), []);
});

test('an address that does not percent-decode is a 400 page with the usual headers, in the reader’s language', async () => {
  const cases: Array<[string, 'html' | 'json']> = [
    ['/%ZZ/x', 'html'], // Fastify refuses it while matching the route
    [`/api/v1/%ZZ/procedures`, 'json'],
    [`/api/v1/${a.tenant.slug}/procedures/%ZZ`, 'json'],
    ['/%ZZ/a/b/c/d/e/f', 'html'], // no route: the request context would have failed to decode the slug
    ['/assets/%ZZ', 'html'],
    [`/${a.tenant.slug}/demarches/%E9t%E9`, 'html'], // Latin-1 bytes, not UTF-8
    ['/%', 'html'],
  ];
  for (const [url, kind] of cases) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 200)}`);
    await assertRefusedCleanly(res, url, kind);
  }
  const en = await t.app.inject({ url: '/%ZZ/x', headers: { 'accept-language': 'en' } });
  assert.match(en.body, /The address is malformed/);
  assert.deepEqual(errorLines(), []);
});

test('ordinary escapes still work', async () => {
  const res = await t.app.inject({
    url: `/api/v1/${a.tenant.slug}/procedures/${encodeURIComponent(procedure)}`,
    headers: { authorization: `Bearer ${a.agent}` },
  });
  assert.equal(res.statusCode, 200);
  const accented = await t.app.inject(`/${a.tenant.slug}/demarches/%C3%A9t%C3%A9`);
  assert.equal(accented.statusCode, 404);
});

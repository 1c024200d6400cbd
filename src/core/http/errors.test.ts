// The error contract through HTTP: schema failures are a 422 with one localised message per field (in
// French and English), query values are coerced while JSON bodies are not, and 403/404/500 pages and
// JSON leak nothing of the request or the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { startTestApp, createTestTenant, browserFor, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { coreModule } from '../core-module.ts';
import type { ModuleManifest } from '../module.ts';
import { forbidden } from '../base/errors.ts';
import type { Tenant } from '../tenancy/tenants.ts';

const SECRET = 'postgres://bastide:hunter2@db.internal/prod';

const testRoutes: ModuleManifest = {
  name: 'test-errors',
  routes: (app) => {
    app.post(
      '/api/v1/:tenant/test-items',
      {
        schema: {
          body: Type.Object(
            {
              title: Type.String({ minLength: 3 }),
              count: Type.Integer({ minimum: 1 }),
              email: Type.String({ format: 'email' }),
              address: Type.Optional(Type.Object({ city: Type.String() }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => ({ ok: true, body: request.body }),
    );
    app.get(
      '/api/v1/:tenant/test-items',
      {
        schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100 }) }) },
      },
      async (request) => ({ limit: (request.query as { limit: number }).limit }),
    );
    app.get('/:tenant/test-boom', async () => {
      throw new Error(`cannot connect to ${SECRET}`);
    });
    app.get('/api/v1/:tenant/test-boom', async () => {
      throw new Error(`cannot connect to ${SECRET}`);
    });
    app.get('/:tenant/test-forbidden', async () => {
      throw forbidden();
    });
  },
};

let t: TestApp;
let tenant: Tenant;
before(async () => {
  t = await startTestApp({ modules: [coreModule, testRoutes] });
  tenant = await createTestTenant(t.db);
});
after(() => t.close());

async function postItem(payload: unknown, language: string) {
  return t.app.inject({ method: 'POST', url: `/api/v1/${tenant.slug}/test-items`, headers: { 'accept-language': language }, payload: payload as object });
}

test('a body that fails its schema is a 422 with every field and a French message', async () => {
  const res = await postItem({ title: 'ab', count: '3', email: 'not-an-email', address: { town: 'Nantes' }, extra: 1 }, 'fr-FR,fr');
  assert.equal(res.statusCode, 422);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(res.json(), {
    error: { code: 'invalid', message: 'Certaines informations sont invalides.' },
    errors: {
      title: ['Au moins 3 caractères.'],
      count: ['Valeur de type incorrect (attendu : nombre entier).'],
      email: ['Format invalide (email).'],
      'address.town': ['Champ inconnu.'],
      'address.city': ['Ce champ est obligatoire.'],
      extra: ['Champ inconnu.'],
    },
  });
});

test('the same failure in English, and a missing field', async () => {
  const res = await postItem({ title: 'Salle des fêtes', count: 0 }, 'en-GB,en;q=0.8');
  assert.equal(res.statusCode, 422);
  assert.deepEqual(res.json(), {
    error: { code: 'invalid', message: 'Some information is invalid.' },
    errors: { count: ['Must be at least 1.'], email: ['This field is required.'] },
  });
});

test('a valid body passes unchanged; query strings are coerced to their types', async () => {
  const ok = await postItem({ title: 'Salle des fêtes', count: 2, email: 'a@example.org' }, 'fr');
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json().body, { title: 'Salle des fêtes', count: 2, email: 'a@example.org' });
  const list = await t.app.inject(`/api/v1/${tenant.slug}/test-items?limit=20`);
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json(), { limit: 20 });
  const bad = await t.app.inject({ url: `/api/v1/${tenant.slug}/test-items?limit=deux`, headers: { 'accept-language': 'fr' } });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(bad.json().errors, { limit: ['Valeur de type incorrect (attendu : nombre entier).'] });
});

test('malformed JSON and a wrong media type are clean 4xx with our codes', async () => {
  const broken = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.slug}/test-items`,
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    payload: '{"title":',
  });
  assert.equal(broken.statusCode, 400);
  assert.deepEqual(broken.json(), { error: { code: 'bad_request', message: 'The request is malformed.' } });
  const media = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.slug}/test-items`,
    headers: { 'content-type': 'application/x-yaml' },
    payload: 'a: 1',
  });
  assert.equal(media.statusCode, 415);
  assert.equal(media.json().error.code, 'unsupported_media_type');
  assert.doesNotMatch(media.body, /FST_/);
});

test('an unexpected error is a generic 500 page or JSON that shows nothing of it', async () => {
  const page = await t.app.inject(`/${tenant.slug}/test-boom`);
  assert.equal(page.statusCode, 500);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /<h1>Erreur interne<\/h1>/);
  const api = await t.app.inject({ url: `/api/v1/${tenant.slug}/test-boom`, headers: { 'accept-language': 'en' } });
  assert.equal(api.statusCode, 500);
  assert.deepEqual(api.json(), { error: { code: 'internal', message: 'An internal error occurred. The technical team has been told; try again later.' } });
  for (const body of [page.body, api.body]) {
    assert.doesNotMatch(body, /hunter2|db\.internal|cannot connect|at .*\.ts:\d+|stack/i);
  }
});

test('403 and 404 pages say what happened and reflect nothing from the request', async () => {
  const denied = await t.app.inject({ url: `/${tenant.slug}/test-forbidden`, headers: { 'accept-language': 'en' } });
  assert.equal(denied.statusCode, 403);
  assert.match(denied.body, /<h1>Access denied<\/h1>/);
  const probe = `/${tenant.slug}/%3Cscript%3Ealert(1)%3C%2Fscript%3E?q=%3Cimg%20src%3Dx%3E`;
  const missing = await t.app.inject(probe);
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /<h1>Page introuvable<\/h1>/);
  assert.doesNotMatch(missing.body, /<script>alert|<img src=x|alert\(1\)/);
  const apiMissing = await t.app.inject(`/api/v1/${tenant.slug}/nothing-here`);
  assert.deepEqual(apiMissing.json(), { error: { code: 'not_found', message: 'La page demandée n’existe pas ou a été déplacée.' } });
  // An HTML form on a missing page is a 404 as well, once the CSRF check passed.
  const browser = await browserFor(t, null);
  assert.equal((await postForm(t, browser, `/${tenant.slug}/nothing-here`, { a: '1' })).statusCode, 404);
});

// The API checks request bodies against the schemas it documents (core/http/typebox.ts): filing, messages
// and procedure definitions too, which used to skip validation. Errors are per field, in the reader's
// language; a multipart filing is not held to the JSON schema, and a rejected body still counts against
// the filing limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, fileDossier, published, ROOM_ANSWERS } from '../../../test/support/procedures/api.ts';

let t: TestApp;
// Three filings a minute per address (read from the environment when the app's limit is first used);
// clients told apart by the address a proxy on 127.0.0.1 gives.
const perMinute = process.env.BASTIDE_GUEST_SUBMISSIONS_PER_MINUTE;
before(async () => {
  process.env.BASTIDE_GUEST_SUBMISSIONS_PER_MINUTE = '3';
  t = await startTestApp({ env: { BASTIDE_TRUSTED_PROXIES: '127.0.0.1' } });
});
after(async () => {
  await t.close();
  if (perMinute === undefined) delete process.env.BASTIDE_GUEST_SUBMISSIONS_PER_MINUTE;
  else process.env.BASTIDE_GUEST_SUBMISSIONS_PER_MINUTE = perMinute;
});

test('a filing whose JSON body is not the documented shape gets 422 per field, in French or English, and nothing is filed', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
  const fr = await call(t, 'POST', url, a.admin, { email: 5, data: ['pas', 'un', 'objet'] });
  assert.equal(fr.statusCode, 422, fr.body);
  const body = fr.json();
  assert.equal(body.error.code, 'invalid');
  assert.deepEqual(Object.keys(body.errors).sort(), ['data', 'email']);
  assert.deepEqual(body.errors.email, ['Valeur de type incorrect (attendu : texte).']);
  const en = await call(t, 'POST', url, a.admin, { email: 'c@exemple.fr' }, { 'accept-language': 'en' });
  assert.equal(en.statusCode, 422);
  assert.deepEqual(en.json().errors, { data: ['This field is required.'] });
  const mediation = await call(t, 'POST', url, a.admin, { email: 'c@exemple.fr', data: ROOM_ANSWERS, mediation: 'oui' });
  assert.equal(mediation.statusCode, 422);
  assert.ok(mediation.json().errors.mediation);
  assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 0);
});

test('a multipart filing is read by the route, not held to the JSON schema', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const boundary = 'bastide-test-boundary';
  const part = (name: string, value: string) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = `${part('email', 'c@exemple.fr')}${part('data', JSON.stringify(ROOM_ANSWERS))}--${boundary}--\r\n`;
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`,
    payload,
    headers: { authorization: `Bearer ${a.admin}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.equal(res.statusCode, 201, res.body);
});

test('guest filings rejected by the schema count against the per-address limit', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
  const from = { 'x-forwarded-for': '198.51.100.7' };
  for (let i = 0; i < 3; i++) assert.equal((await call(t, 'POST', url, null, { email: 5, data: {} }, from)).statusCode, 422);
  const limited = await call(t, 'POST', url, null, { email: 'c@exemple.fr', data: ROOM_ANSWERS }, from);
  assert.equal(limited.statusCode, 429, limited.body);
});

test('messages and procedure definitions are checked against their documented bodies', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const { number } = await fileDossier(t, a, slug);
  const message = await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/messages`, a.agent, { body: 42 });
  assert.equal(message.statusCode, 422);
  assert.deepEqual(Object.keys(message.json().errors), ['body']);
  const procedure = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, { title: 'Essai', fields: 'aucun' }, { 'accept-language': 'en' });
  assert.equal(procedure.statusCode, 422);
  assert.deepEqual(procedure.json().errors, { fields: ['Wrong type of value (expected: list).'] });
});

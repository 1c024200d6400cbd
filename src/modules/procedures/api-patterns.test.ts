// Issue 10, row 8, through HTTP: a designer's pattern that makes a backtracking engine run for minutes is
// saved, published and evaluated in linear time on an anonymous answer; what RE2 cannot run is refused at
// save with the reason. (The failure signal against a backtracking engine is fields/patterns.test.ts,
// which runs evil patterns in a worker with a deadline: here the whole process would just stall.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, published } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test(
  "attack: (a|a)*b from one collectivité's designer, 34 letters from an anonymous guest: a prompt 422, the platform keeps serving",
  { timeout: 60_000 },
  async () => {
    const a = await apiTenant(t);
    const slug = await published(t, a, { title: 'Format piégé', fields: [{ key: 'code', label: 'Code', type: 'text', pattern: '(a|a)*b', required: true }] });
    const url = `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`;
    const evil = await call(t, 'POST', url, null, { email: 'x@exemple.fr', data: { code: 'a'.repeat(34) } });
    assert.equal(evil.statusCode, 422, evil.body);
    assert.match(evil.json().errors.code[0], /format/);
    const longer = await call(t, 'POST', url, null, { email: 'x@exemple.fr', data: { code: 'a'.repeat(500) } });
    assert.equal(longer.statusCode, 422);
    const good = await call(t, 'POST', url, null, { email: 'x@exemple.fr', data: { code: 'aaab' } }, { 'idempotency-key': randomUUID() });
    assert.equal(good.statusCode, 201, good.body);
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    assert.equal(await countRows(t, a.tenant.id, 'dossiers'), 1);
  },
);

test('a designer saving a pattern RE2 cannot run, a costly one or an oversized maxLength gets the reason, in French or English', async () => {
  const a = await apiTenant(t);
  const save = (field: Record<string, unknown>, lang = 'fr') =>
    call(
      t,
      'POST',
      `/api/v1/${a.tenant.slug}/procedures`,
      a.admin,
      { title: 'Essai', fields: [{ key: 'x', label: 'X', type: 'text', ...field }] },
      { 'accept-language': lang },
    );
  const lookahead = await save({ pattern: '(?=.*[0-9])[a-z0-9]{8,}' });
  assert.equal(lookahead.statusCode, 422);
  assert.match(lookahead.json().errors['fields.0.pattern'][0], /assertions.*RE2/);
  const english = await save({ pattern: '(a)\\1' }, 'en');
  assert.match(english.json().errors['fields.0.pattern'][0], /Backreferences.*RE2/);
  const costly = await save({ pattern: '(?:x{0,999}|x{0,999})*y' });
  assert.match(costly.json().errors['fields.0.pattern'][0], /trop coûteuse/);
  const long = await save({ type: 'textarea', maxLength: 1_000_000 });
  assert.match(long.json().errors['fields.0.maxLength'][0], /10000/);
  assert.equal((await save({ pattern: '(a+)+$' })).statusCode, 201, 'nested quantifiers are harmless under RE2');
});

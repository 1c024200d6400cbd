// Bearer tokens of the API on the engine under test: one lookup per request (bastide_api_token), which
// tells a wrong or revoked token (401) from a token of another collectivité (404), and records the last
// use at most once a minute.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, apiToken, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(() => t.close());

const get = (slug: string, token: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/${slug}/procedures`, headers: { authorization: `Bearer ${token}` } });

test('a token opens its own collectivité only; a wrong or revoked token is refused; the last use is recorded once a minute', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const token = await apiToken(t, a.id, 'agent');
  assert.equal((await get(a.slug, token)).statusCode, 200);
  assert.equal((await get(b.slug, token)).statusCode, 404, 'another collectivité does not exist for this token');
  assert.equal((await get(a.slug, `${token}x`)).statusCode, 401);
  assert.equal((await get(a.slug, 'bst_nothing')).statusCode, 401);

  const lastUse = () => t.db.transaction(a.id, (tx) => tx.one<{ at: Date | null }>('select last_used_at as at from api_tokens'));
  const first = (await lastUse())!.at;
  assert.ok(first instanceof Date, 'recorded at first use');
  assert.equal((await get(a.slug, token)).statusCode, 200);
  assert.equal((await lastUse())!.at!.getTime(), first.getTime(), 'not rewritten within the minute');
  await t.db.transaction(a.id, (tx) => tx.query(`update api_tokens set last_used_at = now() - interval '2 minutes'`));
  assert.equal((await get(a.slug, token)).statusCode, 200);
  assert.ok((await lastUse())!.at!.getTime() > Date.now() - 60_000, 'rewritten after a minute');

  await t.db.transaction(a.id, (tx) => tx.query('update api_tokens set revoked_at = now()'));
  assert.equal((await get(a.slug, token)).statusCode, 401);
  assert.equal((await get(b.slug, token)).statusCode, 401, 'a revoked token is not even known elsewhere');
});

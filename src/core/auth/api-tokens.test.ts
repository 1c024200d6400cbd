// Bearer tokens of the API on the engine under test: the lookup (bastide_api_token) tells a wrong or
// revoked token (401) from a token of another collectivité (404), and records the last use at most once
// a minute. The first app looks every token up (cache off); the second keeps granted tokens as a server
// does by default, and a revocation through the administration operation takes effect at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, apiToken, type TestApp } from '../../../test/helpers/app.ts';
import { runOperation, type OperationContext } from '../admin-socket/operations.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ env: { BASTIDE_API_TOKEN_CACHE_SECONDS: '0' } });
});
after(() => t.close());

const get = (slug: string, token: string, app: TestApp = t) =>
  app.app.inject({ method: 'GET', url: `/api/v1/${slug}/procedures`, headers: { authorization: `Bearer ${token}` } });

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

test('with the cache (the default), a token revoked through the administration operation is refused at once', async () => {
  const cached = await startTestApp();
  try {
    assert.equal(cached.config.apiTokenCacheSeconds, 10);
    const a = await createTestTenant(cached.db);
    const token = await apiToken(cached, a.id, 'agent');
    assert.equal((await get(a.slug, token, cached)).statusCode, 200);
    assert.equal(cached.deps.apiTokens.size, 1, 'the granted token is kept');
    const [listed] = (await runOperation(ctx(cached), 'token.list', { tenant: a.slug })) as Array<{ id: string; revoked_at: string | null }>;
    assert.equal(listed!.revoked_at, null);
    assert.deepEqual(await runOperation(ctx(cached), 'token.revoke', { tenant: a.slug, id: listed!.id }), { id: listed!.id, revoked: true });
    assert.equal((await get(a.slug, token, cached)).statusCode, 401);
    assert.deepEqual(
      await runOperation(ctx(cached), 'token.revoke', { tenant: a.slug, id: listed!.id }),
      { id: listed!.id, revoked: false },
      'twice: nothing more',
    );
    const journaled = await cached.db.transaction(a.id, (tx) =>
      tx.query<{ action: string }>(`select action from journal_entries where subject_id = $1`, [listed!.id]),
    );
    assert.deepEqual(
      journaled.map((j) => j.action),
      ['core.token.revoke'],
    );
  } finally {
    await cached.close();
  }
});

function ctx(app: TestApp): OperationContext {
  return { db: app.db, config: app.config, progress: () => {}, tokensChanged: () => app.deps.apiTokens.clear() };
}

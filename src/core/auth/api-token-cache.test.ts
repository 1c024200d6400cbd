// The per-process memory of granted API tokens, on the engine under test, with a clock the test moves:
// a granted token is reused until its time is up (even once revoked in the database: the documented
// bound), looked up again after; refusals are never kept; clear() forgets everything at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { createTestTenant } from '../../../test/helpers/app.ts';
import { createApiToken } from './api-tokens.ts';
import { ApiTokenCache } from './api-token-cache.ts';
import { hashToken } from './sessions.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.cleanup());

const revoke = (tenantId: string, id: string) => t.db.transaction(tenantId, (tx) => tx.execute('update api_tokens set revoked_at = now() where id = $1', [id]));

test('a granted token is reused for ttlMs, then looked up again; clear() forgets it at once', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const { id, token } = await t.db.transaction(a.id, (tx) => createApiToken(tx, { role: 'agent' }));
  let now = 1_000_000;
  const cache = new ApiTokenCache(t.db, { ttlMs: 10_000, now: () => now });

  assert.deepEqual(await cache.check(a.id, token), { kind: 'granted', grant: { tokenId: id, role: 'agent', personId: null } });
  assert.deepEqual(await cache.check(b.id, token), { kind: 'other_tenant' }, 'the tenant is part of the key');
  await revoke(a.id, id);
  now += 9_999;
  assert.equal((await cache.check(a.id, token)).kind, 'granted', 'still the cached answer within the time');
  now += 1;
  assert.deepEqual(await cache.check(a.id, token), { kind: 'refused' }, 'looked up again once the time is up');
  assert.deepEqual(await cache.check(b.id, token), { kind: 'refused' });
  assert.equal(cache.size, 0);

  const second = await t.db.transaction(a.id, (tx) => createApiToken(tx, { role: 'procedure_admin' }));
  assert.equal((await cache.check(a.id, second.token)).kind, 'granted');
  await revoke(a.id, second.id);
  cache.clear();
  assert.deepEqual(await cache.check(a.id, second.token), { kind: 'refused' }, 'cleared: looked up again');
});

test('refusals are not kept: a token created after a refusal works at once; ttlMs 0 keeps nothing', async () => {
  const a = await createTestTenant(t.db);
  const cache = new ApiTokenCache(t.db, { ttlMs: 10_000 });
  const token = 'bst_not-yet-created-token-of-this-test-0123456789ab';
  assert.deepEqual(await cache.check(a.id, token), { kind: 'refused' });
  await t.db.transaction(a.id, (tx) =>
    tx.execute(`insert into api_tokens (tenant_id, token_hash, role) values (app_tenant(), $1, 'agent')`, [hashToken(token)]),
  );
  assert.equal((await cache.check(a.id, token)).kind, 'granted');

  const off = new ApiTokenCache(t.db, { ttlMs: 0 });
  const { id, token: other } = await t.db.transaction(a.id, (tx) => createApiToken(tx, { role: 'agent' }));
  assert.equal((await off.check(a.id, other)).kind, 'granted');
  assert.equal(off.size, 0);
  await revoke(a.id, id);
  assert.deepEqual(await off.check(a.id, other), { kind: 'refused' });
});

test('memory stays bounded: past maxEntries the oldest answer is dropped', async () => {
  const a = await createTestTenant(t.db);
  const cache = new ApiTokenCache(t.db, { ttlMs: 60_000, maxEntries: 3 });
  const tokens = [];
  for (let i = 0; i < 5; i++) tokens.push(await t.db.transaction(a.id, (tx) => createApiToken(tx, { role: 'agent' })));
  for (const { token } of tokens) assert.equal((await cache.check(a.id, token)).kind, 'granted');
  assert.equal(cache.size, 3);
  // The first token was dropped: revoked now, it is refused; the last one is still served from memory.
  await revoke(a.id, tokens[0]!.id);
  await revoke(a.id, tokens[4]!.id);
  assert.deepEqual(await cache.check(a.id, tokens[0]!.token), { kind: 'refused' });
  assert.equal((await cache.check(a.id, tokens[4]!.token)).kind, 'granted');
});

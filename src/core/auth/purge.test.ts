// The purge removes expired sessions and long-dead email tokens, and nothing still valid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { createSession } from './sessions.ts';
import { createEmailToken } from './email-tokens.ts';
import { purgeExpiredAuthRows } from './purge.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.cleanup());

test('expired sessions and dead tokens are purged, live ones kept', async () => {
  const person = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`insert into people (email) values ('purge@example.org') returning id`)))!.id;
  await t.db.transaction(null, async (tx) => {
    await createSession(tx, person);
    await createSession(tx, person);
    await tx.query(`update sessions set expires_at = now() - interval '1 minute' where id = (select id from sessions limit 1)`);
    await createEmailToken(tx, 'secret', { personId: person, email: 'purge@example.org', purpose: 'reset_password' });
    await createEmailToken(tx, 'secret', { personId: person, email: 'purge@example.org', purpose: 'verify_email' });
    await tx.query(`update auth_email_tokens set expires_at = now() - interval '8 days' where purpose = 'reset_password'`);
  });
  assert.deepEqual(await purgeExpiredAuthRows(t.db), { sessions: 1, tokens: 1 });
  const left = await t.db.transaction(null, async (tx) => ({
    sessions: (await tx.query('select 1 from sessions')).length,
    tokens: (await tx.query<{ purpose: string }>('select purpose from auth_email_tokens')).map((r) => r.purpose),
  }));
  assert.deepEqual(left, { sessions: 1, tokens: ['verify_email'] });
});

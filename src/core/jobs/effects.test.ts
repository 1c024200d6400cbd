// Effects committed once (effects.ts): a handler's transaction commits its effect (a mail queued), then
// its process "dies" before the job is marked done; another runner takes the job over once the lock
// expires and must not queue the mail again. Without the record, it does (the reason for it). The
// application role records only its own collectivité's effects and reads none; a key recorded twice fails
// the second transaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { createTenant } from '../tenancy/create-tenant.ts';
import { queueMail, MAIL_JOB } from '../mail/mail.ts';
import { enqueue } from './queue.ts';
import { JobRunner, type Job } from './runner.ts';
import { recordEffect } from './effects.ts';

let t: TestDatabase;
let tenantId: string;
let otherId: string;
before(async () => {
  t = await createTestDatabase();
  const a = await createTenant(t.db, { kind: 'syndicate', name: 'Syndicat des effets', slug: 'effets-a' });
  const b = await createTenant(t.db, { kind: 'syndicate', name: 'Syndicat voisin', slug: 'effets-b' });
  if (!a.ok || !b.ok) throw new Error('tenants');
  tenantId = a.tenant.id;
  otherId = b.tenant.id;
});
after(() => t.cleanup());

const mailsTo = async (to: string) =>
  (await t.db.ownerTransaction((tx) => tx.one<{ n: number }>(`select count(*)::int as n from jobs where kind = $1 and payload->>'to' = $2`, [MAIL_JOB, to])))!
    .n;

const stateOf = async (kind: string) =>
  (await t.db.ownerTransaction((tx) => tx.one<{ state: string; attempts: number }>(`select state, attempts from jobs where kind = $1`, [kind])))!;

/**
 * Runs `kind` on a first runner whose handler commits its transaction and then never returns (the process
 * died before marking the job done); once its lock (1 s) expired, a second runner drains the queue.
 */
async function dieAfterCommitThenTakeOver(kind: string, record: boolean, to: string) {
  let committed!: () => void;
  const afterCommit = new Promise<void>((r) => (committed = r));
  let release!: () => void;
  const dead = new Promise<void>((r) => (release = r));
  const handler = (recordIt: boolean) => async (job: Job, db: typeof t.db) => {
    await db.transaction(job.tenant_id, async (tx) => {
      if (recordIt) await recordEffect(tx, job);
      await queueMail(tx, { to, subject: 'Accusé de réception', text: `job ${job.id}` });
    });
  };
  await t.db.transaction(tenantId, (tx) => enqueue(tx, kind, { n: 1 }));
  const first = new JobRunner(t.db, { lockSeconds: 1 });
  first.register(kind, async (job, db) => {
    await handler(record)(job, db);
    committed();
    await dead; // killed here: never marks the job done
  });
  const running = first.drain();
  await afterCommit;
  assert.equal(await mailsTo(to), 1);
  await new Promise((r) => setTimeout(r, 1500));
  const second = new JobRunner(t.db, { lockSeconds: 60 });
  second.register(kind, handler(record));
  await second.drain();
  release();
  await running;
}

test('a job taken over after its process died past the commit does not queue its mail again', async () => {
  await dieAfterCommitThenTakeOver('test.effect.recorded', true, 'once@example.org');
  assert.equal(await mailsTo('once@example.org'), 1, 'one mail');
  assert.deepEqual(await stateOf('test.effect.recorded'), { state: 'done', attempts: 2 });
});

test('without the record the take-over queues it twice (what the record is for)', async () => {
  await dieAfterCommitThenTakeOver('test.effect.unrecorded', false, 'twice@example.org');
  assert.equal(await mailsTo('twice@example.org'), 2);
});

test('an effect whose transaction rolled back is not recorded: the retry makes it', async () => {
  const kind = 'test.effect.rollback';
  await t.db.transaction(tenantId, (tx) => enqueue(tx, kind, {}));
  let calls = 0;
  const runner = new JobRunner(t.db, { backoffSeconds: 0 });
  runner.register(kind, async (job, db) => {
    calls += 1;
    await db.transaction(job.tenant_id, async (tx) => {
      await recordEffect(tx, job);
      await queueMail(tx, { to: 'retry@example.org', subject: 's', text: 't' });
      if (calls === 1) throw new Error('the mail server was down');
    });
  });
  await runner.drain();
  await new Promise((r) => setTimeout(r, 50));
  await runner.drain();
  assert.equal(calls, 2);
  assert.equal(await mailsTo('retry@example.org'), 1);
  assert.deepEqual(await stateOf(kind), { state: 'done', attempts: 2 });
});

test('attack: the application role records effects of its own collectivité only, reads none, and a key recorded twice fails', async () => {
  const key = '0190a3b2-0000-7000-8000-000000000001';
  const job = { id: 1, tenant_id: tenantId, kind: 'x', payload: {}, attempts: 1, max_attempts: 1, effect_key: key } satisfies Job;
  await t.db.transaction(tenantId, (tx) => recordEffect(tx, job));
  await assert.rejects(
    t.db.transaction(tenantId, (tx) => recordEffect(tx, job)),
    /duplicate key|unique/,
  );
  await assert.rejects(
    t.db.transaction(tenantId, (tx) =>
      tx.query(`insert into job_effects (effect_key, tenant_id) values ($1, $2)`, ['0190a3b2-0000-7000-8000-000000000002', otherId]),
    ),
    /row-level security/,
  );
  await assert.rejects(
    t.db.transaction(tenantId, (tx) => tx.query('select effect_key from job_effects')),
    /permission denied/,
  );
});

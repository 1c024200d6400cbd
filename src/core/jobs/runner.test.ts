// The job queue on the engine under test: enqueue inside the business transaction, run after commit,
// retries with backoff, a visible failed state, recovery of a dead worker's job, periodic jobs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../db/database.ts';
import { enqueue, jobSignals } from './queue.ts';
import { JobRunner, type Job } from './runner.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
  await t.db.exec(`create table test_effects (job_id bigint not null, kind text not null, note text not null default '')`);
});
after(() => t.cleanup());

interface JobRow {
  id: number;
  state: string;
  attempts: number;
  last_error: string | null;
  wait_s: number;
}

async function jobsOf(db: Database, kind: string): Promise<JobRow[]> {
  return db.ownerTransaction((tx) =>
    tx.query<JobRow>(
      `select id::int as id, state, attempts, last_error, round(extract(epoch from run_at - now()))::int as wait_s
     from jobs where kind = $1 order by id`,
      [kind],
    ),
  );
}

async function effects(db: Database, kind: string): Promise<number[]> {
  const rows = await db.transaction(null, (tx) => tx.query<{ job_id: number }>(`select job_id from test_effects where kind = $1 order by job_id`, [kind]));
  return rows.map((r) => Number(r.job_id));
}

function recorder(kind: string) {
  return async (job: Job, db: Database) => {
    await db.transaction(null, (tx) => tx.query(`insert into test_effects (job_id, kind) values ($1, $2)`, [job.id, kind]));
  };
}

test('a job enqueued in a rolled back transaction does not exist', async () => {
  await assert.rejects(
    t.db.transaction(null, async (tx) => {
      await enqueue(tx, 'test.rollback', { n: 1 });
      throw new Error('the business change failed');
    }),
    /business change failed/,
  );
  assert.deepEqual(await jobsOf(t.db, 'test.rollback'), []);
  const runner = new JobRunner(t.db);
  runner.register('test.rollback', recorder('test.rollback'));
  assert.equal(await runner.drain(), 0);
});

test('a committed job runs once, after the commit, woken without waiting for the poll', async () => {
  const runner = new JobRunner(t.db, { pollMs: 3_600_000 });
  let ran!: () => void;
  const done = new Promise<void>((resolve) => {
    ran = resolve;
  });
  runner.register('test.commit', async (job, db) => {
    await recorder('test.commit')(job, db);
    ran();
  });
  runner.start();
  let signalledInside = false;
  const onSignal = () => {
    signalledInside = true;
  };
  try {
    await t.db.transaction(null, async (tx) => {
      jobSignals.on('enqueued', onSignal);
      await enqueue(tx, 'test.commit', { n: 1 });
      // The nudge is an after-commit hook: nothing may pick the job up before it is committed.
      assert.equal(signalledInside, false);
    });
    assert.equal(signalledInside, true);
    await done;
  } finally {
    jobSignals.off('enqueued', onSignal);
    await runner.stop();
  }
  const [job] = await jobsOf(t.db, 'test.commit');
  assert.equal(job!.state, 'done');
  assert.equal((await effects(t.db, 'test.commit')).length, 1);
});

test(
  'an uncommitted job is invisible to workers of other connections (PostgreSQL server)',
  { skip: testServerUrl() ? false : 'PGlite has a single connection' },
  async () => {
    const runner = new JobRunner(t.db);
    runner.register('test.visibility', recorder('test.visibility'));
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    let enqueued!: () => void;
    const isEnqueued = new Promise<void>((resolve) => {
      enqueued = resolve;
    });
    const business = t.db.transaction(null, async (tx) => {
      await enqueue(tx, 'test.visibility', {});
      enqueued();
      await hold;
    });
    await isEnqueued;
    assert.equal(await runner.drain(), 0);
    release();
    await business;
    assert.equal(await runner.drain(), 1);
  },
);

test('a failing job is retried with exponential backoff, then left failed with its last error', async () => {
  const runner = new JobRunner(t.db, { backoffSeconds: 100 });
  let calls = 0;
  runner.register('test.flaky', async () => {
    calls += 1;
    throw new Error(`remote refused (call ${calls})`);
  });
  await t.db.transaction(null, (tx) => enqueue(tx, 'test.flaky', {}, { maxAttempts: 3 }));

  assert.equal(await runner.drain(), 1);
  let [job] = await jobsOf(t.db, 'test.flaky');
  assert.deepEqual([job!.state, job!.attempts, job!.last_error], ['queued', 1, 'remote refused (call 1)']);
  assert.ok(job!.wait_s > 90 && job!.wait_s <= 100, `first retry in ~100 s, got ${job!.wait_s}`);
  assert.equal(await runner.drain(), 0, 'not before its time');

  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where id = $1`, [job!.id]));
  assert.equal(await runner.drain(), 1);
  [job] = await jobsOf(t.db, 'test.flaky');
  assert.deepEqual([job!.state, job!.attempts], ['queued', 2]);
  assert.ok(job!.wait_s > 190 && job!.wait_s <= 200, `second retry in ~200 s, got ${job!.wait_s}`);

  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where id = $1`, [job!.id]));
  assert.equal(await runner.drain(), 1);
  [job] = await jobsOf(t.db, 'test.flaky');
  assert.deepEqual([job!.state, job!.attempts, job!.last_error], ['failed', 3, 'remote refused (call 3)']);
  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where id = $1`, [job!.id]));
  assert.equal(await runner.drain(), 0, 'a failed job is not taken again');
  assert.equal(calls, 3);
});

test('a job whose worker died is taken again once its lock expired; a late success of the dead worker changes nothing', async () => {
  const runner = new JobRunner(t.db);
  runner.register('test.orphan', recorder('test.orphan'));
  const [{ id }] = (await t.db.ownerTransaction((tx) =>
    tx.query<{ id: number }>(
      `insert into jobs (kind, state, attempts, locked_by, locked_until)
     values ('test.orphan', 'running', 1, 'dead-host:1:abc', now() - interval '1 second') returning id::int as id`,
    ),
  )) as [{ id: number }];
  // Another job still locked by a live worker is left alone.
  await t.db.ownerTransaction((tx) =>
    tx.query(`insert into jobs (kind, state, attempts, locked_by, locked_until) values ('test.orphan', 'running', 1, 'alive', now() + interval '5 minutes')`),
  );
  assert.equal(await runner.drain(), 1);
  const rows = await jobsOf(t.db, 'test.orphan');
  assert.deepEqual(
    rows.map((r) => [r.state, r.attempts]),
    [
      ['done', 2],
      ['running', 1],
    ],
  );
  assert.deepEqual(await effects(t.db, 'test.orphan'), [id]);
  // The dead worker's completion (same statement the runner uses) no longer matches the job.
  const changed = await t.db.ownerTransaction((tx) =>
    tx.execute(`update jobs set state = 'failed' where id = $1 and locked_by = 'dead-host:1:abc' and attempts = 1`, [id]),
  );
  assert.equal(changed, 0);
});

test('a job whose worker died during its last attempt ends failed, with the reason', async () => {
  const runner = new JobRunner(t.db);
  runner.register('test.orphan-last', recorder('test.orphan-last'));
  await t.db.ownerTransaction((tx) =>
    tx.query(
      `insert into jobs (kind, state, attempts, max_attempts, locked_by, locked_until, last_error)
     values ('test.orphan-last', 'running', 3, 3, 'dead-host:2:xyz', now() - interval '1 second', 'timeout')`,
    ),
  );
  assert.equal(await runner.drain(), 0);
  const [job] = await jobsOf(t.db, 'test.orphan-last');
  assert.equal(job!.state, 'failed');
  assert.match(job!.last_error!, /^timeout\nthe worker stopped during the last attempt \(dead-host:2:xyz\)$/);
  assert.deepEqual(await effects(t.db, 'test.orphan-last'), []);
});

test('a unique key keeps one live job; periodic jobs are planned once and again after they ran', async () => {
  await t.db.transaction(null, async (tx) => {
    await enqueue(tx, 'test.digest', { day: 1 }, { uniqueKey: 'digest:day1' });
    await enqueue(tx, 'test.digest', { day: 1 }, { uniqueKey: 'digest:day1' });
  });
  assert.equal((await jobsOf(t.db, 'test.digest')).length, 1);

  const runner = new JobRunner(t.db);
  runner.register('test.sweep', recorder('test.sweep'));
  runner.schedule({ kind: 'test.sweep', everySeconds: 600 });
  await runner.planSchedules();
  await runner.planSchedules();
  let rows = await jobsOf(t.db, 'test.sweep');
  assert.equal(rows.length, 1);
  assert.ok(rows[0]!.wait_s > 590 && rows[0]!.wait_s <= 600);
  assert.equal(await runner.drain(), 0, 'not due yet');

  await t.db.ownerTransaction((tx) => tx.query(`update jobs set run_at = now() where kind = 'test.sweep'`));
  assert.equal(await runner.drain(), 1);
  await runner.planSchedules();
  rows = await jobsOf(t.db, 'test.sweep');
  assert.deepEqual(
    rows.map((r) => r.state),
    ['done', 'queued'],
  );
});

test('a backlog is run in growing batches; a batch that runs long gives its unstarted jobs back, their attempt not counted', async () => {
  const runner = new JobRunner(t.db, { concurrency: 1, batchSize: 8, batchMs: 20 });
  const seen: Array<{ id: number; attempts: number }> = [];
  runner.register('test.batch', async (job, db) => {
    seen.push({ id: job.id, attempts: job.attempts });
    await recorder('test.batch')(job, db);
    // The 4th job opens the third claim (1, then 2, then 4 jobs) and outlasts the batch's 20 ms.
    if ((job.payload as { i: number }).i === 3) await new Promise((r) => setTimeout(r, 60));
  });
  await t.db.transaction(null, async (tx) => {
    for (let i = 0; i < 12; i++) await enqueue(tx, 'test.batch', { i }, { maxAttempts: 1 });
  });
  assert.equal(await runner.drain(), 12);
  const rows = await jobsOf(t.db, 'test.batch');
  assert.deepEqual(
    rows.map((r) => [r.state, r.attempts]),
    rows.map(() => ['done', 1]),
  );
  assert.deepEqual(
    await effects(t.db, 'test.batch'),
    rows.map((r) => r.id),
    'each job ran once',
  );
  assert.deepEqual(
    seen.map((s) => s.attempts),
    seen.map(() => 1),
    'a job given back was not counted as tried',
  );
});

test('a woken runner fills all its slots at once, not one job at a time', async () => {
  const runner = new JobRunner(t.db, { concurrency: 4, pollMs: 3_600_000 });
  let active = 0;
  let most = 0;
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  runner.register('test.parallel', async () => {
    active += 1;
    most = Math.max(most, active);
    // Hold each job until four run together; the deadline only keeps a regression from hanging.
    const deadline = Date.now() + 10_000;
    while (most < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    active -= 1;
    if (++finished === 4) allDone();
  });
  await t.db.transaction(null, async (tx) => {
    for (let i = 0; i < 4; i++) await enqueue(tx, 'test.parallel', { i });
  });
  runner.start();
  try {
    await done;
  } finally {
    await runner.stop();
  }
  assert.equal(most, 4);
});

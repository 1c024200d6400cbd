// Two processes sharing one queue: on PostgreSQL, two runners each with its own connection pool (as
// two server processes would have) drain 200 jobs together; every job's side effect happens once.
// On PGlite (one process by design) the same test runs two runners on the one database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/database.ts';
import { enqueue } from './queue.ts';
import { JobRunner, type Job } from './runner.ts';

const JOBS = 200;
let t: TestDatabase;
const pools: Database[] = [];

before(async () => {
  t = await createTestDatabase();
  await t.db.exec(`create table test_effects (job_id bigint not null, worker text not null)`);
});
after(async () => {
  for (const p of pools) await p.close();
  await t.cleanup();
});

function runnerOn(db: Database): JobRunner {
  const runner: JobRunner = new JobRunner(db, { concurrency: 4, pollMs: 50 });
  runner.register('test.count', async (job: Job, jobDb: Database) => {
    await jobDb.transaction(null, (tx) => tx.query(`insert into test_effects (job_id, worker) values ($1, $2)`, [job.id, runner.workerId]));
    // A little work outside the database widens the window in which two workers could collide.
    await new Promise((r) => setTimeout(r, 2));
  });
  return runner;
}

test(`two runners drain ${JOBS} jobs and each job runs exactly once`, async () => {
  const [a, b] = t.databaseUrl ? [await openPostgres(t.databaseUrl, { max: 5 }), await openPostgres(t.databaseUrl, { max: 5 })] : [t.db, t.db];
  if (t.databaseUrl) pools.push(a, b);
  await t.db.transaction(null, async (tx) => {
    for (let i = 0; i < JOBS; i++) await enqueue(tx, 'test.count', { i });
  });
  const runners = [runnerOn(a), runnerOn(b)];
  for (const r of runners) r.start();
  try {
    // A deadline, not a timing assertion: it only keeps a broken runner from hanging the suite.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const left = await t.db.ownerTransaction((tx) =>
        tx.one<{ n: number }>(`select count(*)::int as n from jobs where kind = 'test.count' and state <> 'done'`),
      );
      if (left!.n === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
  }
  const stats = await t.db.transaction(null, (tx) =>
    tx.one<{ runs: number; distinct_jobs: number; workers: number }>(
      `select count(*)::int as runs, count(distinct job_id)::int as distinct_jobs, count(distinct worker)::int as workers from test_effects`,
    ),
  );
  assert.equal(stats!.distinct_jobs, JOBS, 'every job ran');
  assert.equal(stats!.runs, JOBS, 'no job ran twice');
  assert.equal(stats!.workers, 2, 'both runners took a share');
  const states = await t.db.ownerTransaction((tx) =>
    tx.query<{ state: string; attempts: number; n: number }>(
      `select state, attempts, count(*)::int as n from jobs where kind = 'test.count' group by state, attempts`,
    ),
  );
  assert.deepEqual(states, [{ state: 'done', attempts: 1, n: JOBS }]);
});

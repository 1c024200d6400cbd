// A server process killed with SIGKILL in the middle of a submission load, then restarted on the same
// database: every dossier acknowledged with 201 is there and complete, none is half-written, and
// retrying every request with its Idempotency-Key creates no duplicate. Runs on both engines (the
// embedded PGlite folder recovers from its write-ahead log like PostgreSQL does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testOwnerUrl, testServerUrl } from '../helpers/database.ts';
import { freshDatabase } from '../../bench/lib/database.ts';
import { createBenchTenant, submissionPath } from '../../bench/lib/setup.ts';
import { startServerProcess, type ServerProcess } from '../../bench/lib/server-process.ts';
import { FORM20 } from '../../bench/fixtures/form20.ts';
import { startSubmitting, submitOnce, type Attempt } from './submitter.ts';
import { dossiersOf, incomplete, orphanSubmissionEntries, waitFor } from './checks.ts';

const ANSWERS = FORM20.fields.length;

test('kill -9 during a submission load: acknowledged dossiers survive whole, retries make no duplicate', { timeout: 120_000 }, async (t) => {
  const engine = testServerUrl() ? 'postgresql' : 'pglite';
  const bench = await freshDatabase(engine, testServerUrl() ?? '', { ownerUrl: testOwnerUrl() ?? undefined });
  let server: ServerProcess | null = null;
  try {
    const setup = await bench.open();
    const tenant = await createBenchTenant(setup);
    await setup.release();

    server = await startServerProcess({ env: bench.env });
    const first = server;
    const load = startSubmitting(() => `${first.baseUrl}${submissionPath(tenant)}`, { concurrency: 8, keyPrefix: 'fault' });
    await waitFor(() => load.acknowledged().length >= 30, 60_000, '30 acknowledged submissions');
    await server.kill();
    const attempts = await load.stop();
    const acked = attempts.filter((a) => a.status === 201);
    const unexpected = attempts.filter((a) => a.status !== null && a.status !== 201);
    assert.deepEqual(
      unexpected.map((a) => `${a.status} ${a.error}`),
      [],
      'only 201s or cut connections during the load',
    );
    assert.ok(
      acked.every((a) => a.number !== null),
      'every 201 carries its dossier number',
    );
    t.diagnostic(`${engine}: ${acked.length} acknowledged, ${attempts.length - acked.length} cut by the kill`);

    // After the crash, before anything else touches the database.
    const crashed = await bench.open();
    const afterCrash = await dossiersOf(crashed, tenant.tenantId);
    const orphans = await orphanSubmissionEntries(crashed, tenant.tenantId);
    await crashed.release();
    // The database keeps only an HMAC of each key: acknowledged dossiers are found by their number.
    const present = new Set(afterCrash.map((d) => d.number));
    const lost = acked.filter((a) => !present.has(a.number!));
    assert.deepEqual(
      lost.map((a) => a.key),
      [],
      'no acknowledged dossier is lost',
    );
    assert.deepEqual(incomplete(afterCrash, ANSWERS), [], 'no dossier is half-written');
    assert.equal(orphans, 0, 'no journal entry without its dossier');

    // The client retries everything it sent, acknowledged or not, with the same keys.
    server = await startServerProcess({ env: bench.env, port: server.port });
    const second = server;
    const retries: Attempt[] = [];
    const queue = [...attempts];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let a = queue.shift(); a; a = queue.shift()) retries.push(await submitOnce(`${second.baseUrl}${submissionPath(tenant)}`, a.key, a.n));
      }),
    );
    await server.stop();
    server = null;
    assert.deepEqual(
      retries.filter((r) => r.status !== 201 && r.status !== 200).map((r) => `${r.key} ${r.status} ${r.error}`),
      [],
    );
    const byKey = new Map(retries.map((r) => [r.key, r.number]));
    assert.deepEqual(
      acked.filter((a) => byKey.get(a.key) !== a.number).map((a) => a.key),
      [],
      'a retry returns the dossier acknowledged first',
    );

    const final = await bench.open();
    const rows = await dossiersOf(final, tenant.tenantId);
    await final.release();
    assert.equal(rows.length, attempts.length, 'exactly one dossier per request sent');
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'no duplicate key');
    assert.deepEqual(incomplete(rows, ANSWERS), []);
  } finally {
    await server?.kill();
    await bench.drop();
  }
});

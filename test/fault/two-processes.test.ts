// Two server processes on one PostgreSQL database, serving submissions together and sharing the job
// queue: every job runs exactly once (one notification mail per dossier, each job done at its first
// attempt), and both processes took a share of the jobs. PostgreSQL only: an embedded PGlite folder
// belongs to one process by design (src/core/db/lock.ts).
import { test } from 'node:test';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testOwnerUrl, testServerUrl } from '../helpers/database.ts';
import { freshDatabase } from '../../bench/lib/database.ts';
import { createBenchTenant, submissionPath } from '../../bench/lib/setup.ts';
import { startServerProcess, type ServerProcess } from '../../bench/lib/server-process.ts';
import { guestSubmission } from '../../bench/fixtures/form20.ts';
import { submitOnce } from './submitter.ts';
import { startSmtp, perRecipient } from './smtp.ts';
import { waitFor } from './checks.ts';

const DOSSIERS = 40;

test('two processes on one PostgreSQL database share traffic and jobs; no job runs twice', { timeout: 120_000 }, async (t) => {
  const serverUrl = testServerUrl();
  if (!serverUrl) {
    t.skip('needs PostgreSQL');
    return;
  }
  const smtp = await startSmtp();
  const bench = await freshDatabase('postgresql', serverUrl, { ownerUrl: testOwnerUrl() ?? undefined });
  const servers: ServerProcess[] = [];
  const client = new pg.Client({ connectionString: bench.databaseUrl! });
  try {
    const setup = await bench.open();
    const tenant = await createBenchTenant(setup);
    await setup.release();
    const env = { ...bench.env, SMTP_URL: smtp.url };
    servers.push(...(await Promise.all([startServerProcess({ env }), startServerProcess({ env })])));

    // Alternate the two processes, as a round-robin reverse proxy would.
    let next = 0;
    const numbers: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let n = next++; n < DOSSIERS; n = next++) {
          const server = servers[n % 2]!;
          const a = await submitOnce(`${server.baseUrl}${submissionPath(tenant)}`, `two-${n}-${randomUUID()}`, n);
          assert.equal(a.status, 201, a.error);
          numbers.push(a.number!);
        }
      }),
    );
    assert.equal(new Set(numbers).size, DOSSIERS);

    await client.connect();
    const pending = async () =>
      (await client.query(`select count(*)::int as n from jobs where tenant_id = $1 and state <> 'done'`, [tenant.tenantId])).rows[0].n;
    await waitFor(async () => smtp.received.length >= DOSSIERS && (await pending()) === 0, 60_000, 'every job done');

    const jobs = (
      await client.query<{ kind: string; attempts: number; locked_by: string }>(`select kind, attempts, locked_by from jobs where tenant_id = $1`, [
        tenant.tenantId,
      ])
    ).rows;
    assert.equal(jobs.filter((j) => j.kind === 'procedures.dossier.notify').length, DOSSIERS);
    assert.equal(jobs.filter((j) => j.kind === 'core.mail.send').length, DOSSIERS);
    assert.deepEqual(
      jobs.filter((j) => j.attempts !== 1),
      [],
      'each job ran once, at its first attempt',
    );

    const pids = servers.map((s) => String(s.child.pid));
    const byProcess = pids.map((pid) => jobs.filter((j) => j.locked_by.split(':')[1] === pid).length);
    t.diagnostic(`jobs run per process: ${byProcess.join(' / ')}`);
    assert.ok(
      byProcess.every((n) => n > 0),
      'both processes ran jobs',
    );
    assert.equal(byProcess[0]! + byProcess[1]!, jobs.length);

    const counts = perRecipient(smtp.received);
    const expected = Array.from({ length: DOSSIERS }, (_, n) => guestSubmission(n).email);
    assert.deepEqual(
      expected.filter((to) => counts.get(to) !== 1),
      [],
      'one mail per dossier, no duplicate',
    );
    assert.equal(smtp.received.length, DOSSIERS);
  } finally {
    await client.end().catch(() => {});
    await Promise.all(servers.map((s) => s.stop()));
    await smtp.close();
    await bench.drop();
  }
});

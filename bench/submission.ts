// `npm run bench -- submission [--quick] [--engine pglite|postgresql]`
// Guest submissions of a published 20-field procedure through HTTP (the real server in its own process,
// autocannon with 32 connections in another), against the limit of inserting the same rows directly
// with the same driver and concurrency. Each side gets its own fresh database.
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { createBenchTenant, submissionPath } from './lib/setup.ts';
import { rawInsertRate } from './lib/raw-insert.ts';
import { startServerProcess } from './lib/server-process.ts';
import { runLoadWorker } from './lib/load.ts';
import { progress, throughputResult, type BenchResult } from './lib/report.ts';

const CONNECTIONS = 32;

interface SubmitOutput {
  requests: number;
  durationSec: number;
  created: number;
  codes: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50: number;
  latencyP99: number;
  errorSamples: string[];
}

export async function submissionBench(o: BenchOptions): Promise<BenchResult> {
  const seconds = o.seconds ?? (o.quick ? 8 : 30);
  const warmup = o.quick ? 2 : 5;

  progress(`limit: direct inserts, ${o.engine}, ${CONNECTIONS} concurrent clients, ${seconds} s`);
  const rawDb = await freshDatabase(o.engine, o.serverUrl);
  let raw: { rate: number; count: number };
  try {
    const db = await rawDb.open({ max: CONNECTIONS });
    try {
      const tenant = await createBenchTenant(db);
      await rawInsertRate(db, tenant, { concurrency: CONNECTIONS, seconds: warmup, keyPrefix: 'warmup' });
      raw = await rawInsertRate(db, tenant, { concurrency: CONNECTIONS, seconds, keyPrefix: 'raw' });
    } finally {
      await db.release();
    }
  } finally {
    await rawDb.drop();
  }
  progress(`limit: ${raw.rate.toFixed(1)} dossiers/s (${raw.count} in ${seconds} s)`);

  progress('HTTP: fresh database, tenant and published procedure');
  const httpDb = await freshDatabase(o.engine, o.serverUrl);
  try {
    const setupDb = await httpDb.open();
    const tenant = await createBenchTenant(setupDb);
    await setupDb.release();

    const server = await startServerProcess({ env: httpDb.env });
    progress(`server ready in ${server.startMs.toFixed(0)} ms at ${server.baseUrl}, RSS ${server.rssMiB().toFixed(0)} MiB`);
    let out: SubmitOutput;
    let runStarted = new Date();
    try {
      const url = `${server.baseUrl}${submissionPath(tenant)}`;
      await runLoadWorker<SubmitOutput>({ kind: 'submit', url, connections: CONNECTIONS, seconds: warmup, keyPrefix: 'warmup' });
      runStarted = new Date();
      progress(`HTTP: autocannon, ${CONNECTIONS} connections, ${seconds} s`);
      out = await runLoadWorker<SubmitOutput>({ kind: 'submit', url, connections: CONNECTIONS, seconds, keyPrefix: 'run' });
      progress(`server RSS under load ${server.rssMiB().toFixed(0)} MiB`);
      // Jobs give way to requests during the load (runner.ts, `busy`): how long the notifications
      // (receipt emails) queued by the peak take to go out once it is over, read from /metrics.
      const drainStarted = performance.now();
      for (;;) {
        const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
        const oldest = Number(/^bastide_jobs_oldest_ready_seconds (\S+)$/m.exec(metrics)?.[1] ?? 'NaN');
        const waited = (performance.now() - drainStarted) / 1000;
        if (oldest === 0 || waited > (o.quick ? 30 : 180)) {
          progress(
            oldest === 0
              ? `jobs: backlog of the load cleared ${waited.toFixed(1)} s after it ended`
              : `jobs: backlog not cleared after ${waited.toFixed(0)} s (oldest waiting ${oldest.toFixed(0)} s)`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await server.stop();
    }
    progress(
      `HTTP: ${out.created} created (201) of ${out.requests} requests, codes ${JSON.stringify(out.codes)}, errors ${out.errors}, timeouts ${out.timeouts}, latency p50 ${out.latencyP50} ms p99 ${out.latencyP99} ms`,
    );
    if (out.errorSamples.length) progress(`first failures: ${out.errorSamples.join(' | ')}`);

    const check = await httpDb.open();
    try {
      // Dossiers of the measured run: those written after the warm-up (only a hash of each key is stored).
      const rows = (await check.transaction(tenant.tenantId, (tx) =>
        tx.one<{ n: number }>(`select count(*)::int as n from dossiers where created_at >= $1::timestamptz`, [runStarted.toISOString()]),
      ))!.n;
      progress(`check: ${rows} dossiers of the measured run in the database (201 answers: ${out.created})`);
      if (rows < out.created) throw new Error('fewer dossiers in the database than 201 answers');
      // Jobs the server had not run yet when it stopped.
      const jobs = await check.ownerTransaction((tx) =>
        tx.query<{ kind: string; state: string; n: number }>(
          `select kind, state, count(*)::int as n from jobs where unique_key is null group by kind, state order by kind, state`,
        ),
      );
      progress(`jobs left at the end: ${jobs.map((j) => `${j.kind} ${j.state} ${j.n}`).join(', ')}`);
    } finally {
      await check.release();
    }
    const rate = out.created / out.durationSec;
    return throughputResult('submission', o.engine, rate, raw.rate, 'dossiers/s');
  } finally {
    await httpDb.drop();
  }
}

// `npm run bench -- inbox|inbox-search [--quick] [--engine postgresql|pglite] [--fresh]`
// One page of 50 dossiers of a procedure (filtered by state, newest first; or searched in French) for a
// collectivité holding 1,000,000 dossiers among 2,000,000 (--quick: 100,000 among 200,000), through HTTP
// with an agent's API token, against the same queries run alone with the same driver (the limit).
// The generated PostgreSQL database is kept between runs (named after the volume; migrated when opened);
// --fresh regenerates it.
import type { Database } from '../src/core/db/database.ts';
import { findProcedure } from '../src/modules/procedures/procedures.repository.ts';
import { listInbox, type InboxFilter } from '../src/modules/procedures/inbox.repository.ts';
import type { DossierState } from '../src/modules/procedures/dossier-states.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase, type BenchDatabase } from './lib/database.ts';
import { benchToken, createBenchTenant, type BenchTenant } from './lib/setup.ts';
import { generateDossiers } from './lib/generate-dossiers.ts';
import { startServerProcess } from './lib/server-process.ts';
import { runLoadWorker } from './lib/load.ts';
import { latencyResult, percentile, progress, type BenchResult } from './lib/report.ts';

type Name = 'inbox' | 'inbox-search';

interface Query {
  state: DossierState | null;
  q: string | null;
  page: number;
}

function queries(name: Name): Query[] {
  if (name === 'inbox') {
    const out: Query[] = [];
    for (const state of ['en_construction', 'en_instruction', 'accepte', 'refuse'] as const) for (const page of [1, 2, 3]) out.push({ state, q: null, page });
    return out;
  }
  // Frequent and rare words, accents typed or not, a family name, a phrase and an exclusion.
  return ['bibliothèque', 'jardin partagé', 'Lefèvre', 'ecole numerique', 'piscine -football', '"circuit court"', 'Müller subvention', 'médiathèque'].map(
    (q, i) => ({ state: i % 2 ? ('en_instruction' as const) : null, q, page: 1 }),
  );
}

async function prepare(o: BenchOptions, perTenant: number): Promise<{ bench: BenchDatabase; tenant: BenchTenant }> {
  // Kept between runs; new migrations are applied to it when it is opened.
  const name = `bastide_bench_inbox_${perTenant / 1000}k`;
  const reuse = o.engine === 'postgresql' && !o.fresh;
  let bench = await freshDatabase(o.engine, o.serverUrl, o.engine === 'postgresql' ? { name, keep: reuse } : {});
  let db = await bench.open();
  const info = await db.ownerTransaction(async (tx) =>
    (await tx.one(`select to_regclass('bench_inbox_info') as t`))?.t ? tx.one<{ tenant: BenchTenant }>('select tenant from bench_inbox_info') : null,
  );
  if (info) {
    await db.release();
    progress(`reusing the generated database ${name} (--fresh to regenerate)`);
    return { bench, tenant: info.tenant };
  }
  if (reuse) {
    // A database left by an interrupted generation: start again from an empty one.
    await db.release();
    await bench.drop();
    bench = await freshDatabase(o.engine, o.serverUrl, { name, keep: false });
    db = await bench.open();
  }
  try {
    progress(`generating ${perTenant} dossiers for the measured collectivité and ${perTenant} for another one`);
    const started = performance.now();
    const tenant = await createBenchTenant(db, { slug: 'banc-inbox' });
    const other = await createBenchTenant(db, { slug: 'banc-voisine' });
    await generateDossiers(
      db,
      [
        { tenant, count: perTenant },
        { tenant: other, count: perTenant },
      ],
      progress,
    );
    await db.ownerTransaction(async (tx) => {
      await tx.query('create table bench_inbox_info (tenant jsonb not null)');
      await tx.query('insert into bench_inbox_info values ($1)', [JSON.stringify(tenant)]);
    });
    progress(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { bench, tenant };
  } finally {
    await db.release();
  }
}

const spread = (xs: number[]) => [50, 90, 95, 99].map((p) => `p${p} ${percentile(xs, p).toFixed(2)} ms`).join(', ');

function filterOf(procedureId: string, q: Query): InboxFilter {
  return { procedureId, states: q.state ? [q.state] : [], q: q.q, page: q.page, perPage: 50 };
}

/** The limit: what the API handler runs for one page, as one transaction, without HTTP. */
async function sqlAlone(db: Database, t: BenchTenant, list: Query[], warmup: number, samples: number): Promise<number[]> {
  const out: number[] = [];
  const perQuery = list.map(() => [] as number[]);
  for (let i = 0; i < warmup + samples; i++) {
    const q = list[i % list.length]!;
    const t0 = performance.now();
    await db.transaction(t.tenantId, async (tx) => {
      const procedure = await findProcedure(tx, t.procedureSlug);
      await listInbox(tx, { all: true }, filterOf(procedure!.id, q));
    });
    if (i >= warmup) {
      out.push(performance.now() - t0);
      perQuery[i % list.length]!.push(performance.now() - t0);
    }
  }
  // Which query shapes make the tail: what to look at with EXPLAIN ANALYZE.
  for (const [k, q] of list.entries()) {
    progress(
      `  ${JSON.stringify({ state: q.state, q: q.q, page: q.page })}: p50 ${percentile(perQuery[k]!, 50).toFixed(1)} ms, max ${Math.max(...perQuery[k]!).toFixed(1)} ms`,
    );
  }
  return out;
}

export async function inboxBench(o: BenchOptions, name: Name): Promise<BenchResult> {
  const perTenant = o.quick ? 100_000 : 1_000_000;
  // A server that has been answering for a while, as an agent meets it: the first few hundred requests
  // of a new process run code V8 has not optimised yet, and at 30 warm-up requests they made most of the
  // p95 (docs/performance.md §3). The limit gets the same warm-up. 3,000 samples: the p95 of 600 moved
  // by ±20 % between identical runs.
  const samples = o.quick ? 500 : 3000;
  const warmup = o.quick ? 200 : 500;
  const list = queries(name);
  const { bench, tenant } = await prepare(o, perTenant);
  try {
    const db = await bench.open({ max: 2 });
    let token: string;
    let limit: number[];
    try {
      token = await benchToken(db, tenant.tenantId, 'agent');
      progress(`limit: the same queries alone, ${samples} samples`);
      limit = await sqlAlone(db, tenant, list, warmup, samples);
    } finally {
      await db.release();
    }
    progress(`limit: ${spread(limit)}`);

    const server = await startServerProcess({ env: bench.env });
    progress(`server ready in ${server.startMs.toFixed(0)} ms, RSS ${server.rssMiB().toFixed(0)} MiB`);
    let http: { samples: number[]; failures: number; lastFailure: string };
    try {
      const urls = list.map((q) => {
        const params = new URLSearchParams({ procedure: tenant.procedureSlug, page: String(q.page), per_page: '50' });
        if (q.state) params.set('state', q.state);
        if (q.q) params.set('q', q.q);
        return `${server.baseUrl}/api/v1/${tenant.slug}/dossiers?${params}`;
      });
      progress(`HTTP: ${samples} sequential GETs from a separate process`);
      http = await runLoadWorker({ kind: 'latency', urls, headers: { authorization: `Bearer ${token}` }, warmup, samples });
      // The server's own measure (onRequest to the response sent), to tell its time from the client's
      // and the network's: the mean from the histogram of /metrics.
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      const route = /bastide_http_request_duration_seconds_sum\{[^}]*route="\/api\/v1\/:tenant\/dossiers"[^}]*\} (\S+)/.exec(metrics);
      const count = /bastide_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/:tenant\/dossiers"[^}]*\} (\S+)/.exec(metrics);
      if (route && count) progress(`server side: mean ${((1000 * Number(route[1])) / Number(count[1])).toFixed(2)} ms per request (its /metrics)`);
    } finally {
      await server.stop();
    }
    if (http.failures) throw new Error(`${http.failures} failed requests, last: ${http.lastFailure}`);
    progress(`HTTP: ${spread(http.samples)}`);
    return latencyResult(name, o.engine, percentile(http.samples, 95), percentile(limit, 95));
  } finally {
    await bench.drop();
  }
}

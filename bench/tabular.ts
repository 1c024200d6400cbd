// `npm run bench -- tabular [--quick] [--engine postgresql|pglite] [--fresh]` (BASTIDE_BENCH_ROWS=n for any size)
// Filtered, sorted pages of a loaded 1,000,000-row SCDL subventions resource (100,000 with --quick) through
// HTTP (anonymous GETs of the public rows endpoint from a separate process, one keep-alive connection),
// against what the handler runs (the lookup, the page and its count) alone in one tenant transaction with the same driver (the
// limit, measured in the same run). Targets: p95 ≤ 50 ms and ≤ 2 × the limit.
import type { Database } from '../src/core/db/database.ts';
import { parseTabularQuery } from '../src/modules/catalogue/tabular/query.ts';
import { findLoad, findTabularTarget, readPage, type LoadRow } from '../src/modules/catalogue/tabular/store.ts';
import { runLoad } from '../src/modules/catalogue/actions/load-version.ts';
import { indexLoad } from '../src/modules/catalogue/tabular/indexes.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { startServerProcess } from './lib/server-process.ts';
import { runLoadWorker } from './lib/load.ts';
import { latencyResult, percentile, progress, type BenchResult } from './lib/report.ts';
import { benchRows, subventionsFile, tabularTarget, type TabularTarget } from './lib/tabular-setup.ts';

// Selective filters on the typed (indexed) columns, each sorted; one unfiltered sort; a deeper page.
const QUERIES = [
  'montant__greater=99000&montant__sort=desc',
  'montant__less=150&montant__sort=asc&page=2',
  'dateConvention__greater=2023-12-20&dateConvention__sort=asc',
  'pourcentageSubvention__exact=0.5&montant__sort=desc',
  'montant__sort=desc',
  'dateConvention__less=2015-01-03&montant__sort=asc&columns=nomBeneficiaire,montant,dateConvention',
  'montant__in=1000.00,2000.00,3000.00&dateConvention__sort=desc',
];

const spread = (xs: number[]) => [50, 90, 95, 99].map((p) => `p${p} ${percentile(xs, p).toFixed(2)} ms`).join(', ');

async function sqlAlone(db: Database, target: TabularTarget, load: LoadRow, warmup: number, samples: number): Promise<number[]> {
  const out: number[] = [];
  const perQuery = QUERIES.map(() => [] as number[]);
  for (let i = 0; i < warmup + samples; i++) {
    const query = Object.fromEntries(new URLSearchParams(QUERIES[i % QUERIES.length]!));
    const t0 = performance.now();
    // What the handler runs, in one transaction: the lookup of dataset, resource and load, then the page and its count.
    await db.transaction(target.tenantId, async (tx) => {
      const found = await findTabularTarget(tx, target.datasetSlug, target.resourceId);
      return readPage(tx, found!.load!, parseTabularQuery(query, found!.load!.columns, { paged: true }));
    });
    if (i >= warmup) {
      out.push(performance.now() - t0);
      perQuery[i % QUERIES.length]!.push(performance.now() - t0);
    }
  }
  // Which query shapes make the tail.
  for (const [k, q] of QUERIES.entries()) progress(`  ${q}: p50 ${percentile(perQuery[k]!, 50).toFixed(1)} ms, max ${Math.max(...perQuery[k]!).toFixed(1)} ms`);
  return out;
}

export async function tabularBench(o: BenchOptions): Promise<BenchResult> {
  const rows = benchRows(o);
  const samples = o.quick ? 500 : 2000;
  const warmup = o.quick ? 200 : 400;
  const f = await subventionsFile(o, rows);
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    let target: TabularTarget;
    let limit: number[];
    const db = await bench.open({ max: 2 });
    try {
      target = await tabularTarget(db, bench.dataDir, f);
      progress(`loading ${rows.toLocaleString('en-GB')} rows`);
      const done = await runLoad({ db, config: { dataDir: bench.dataDir } }, target.tenantId, target.loadId);
      if (done?.state !== 'done') throw new Error(`load ${done?.state}: ${done?.error}`);
      // The typed columns' indexes, as the follow-up job builds them: the pages are measured with them.
      await indexLoad(db, target.tenantId, target.loadId);
      const load = (await db.transaction(target.tenantId, (tx) => findLoad(tx, target.loadId)))!;
      for (const q of QUERIES) {
        const page = await db.transaction(target.tenantId, (tx) =>
          readPage(tx, load, parseTabularQuery(Object.fromEntries(new URLSearchParams(q)), load.columns, { paged: true })),
        );
        progress(`  ${q}: ${page.total} rows match`);
      }
      progress(`limit: the same queries alone, ${samples} samples`);
      limit = await sqlAlone(db, target, load, warmup, samples);
    } finally {
      await db.release();
    }
    progress(`limit: ${spread(limit)}`);
    const server = await startServerProcess({ env: bench.env });
    let http: { samples: number[]; failures: number; lastFailure: string };
    try {
      const base = `${server.baseUrl}/api/v1/${target.slug}/datasets/${target.datasetSlug}/resources/${target.resourceId}/rows`;
      progress(`HTTP: ${samples} sequential GETs from a separate process`);
      http = await runLoadWorker({ kind: 'latency', urls: QUERIES.map((q) => `${base}?${q}`), headers: {}, warmup, samples });
    } finally {
      await server.stop();
    }
    if (http.failures) throw new Error(`${http.failures} failed requests, last: ${http.lastFailure}`);
    progress(`HTTP: ${spread(http.samples)}`);
    return latencyResult('tabular', o.engine, percentile(http.samples, 95), percentile(limit, 95));
  } finally {
    await bench.drop();
  }
}

// `npm run bench -- tabular-load [--quick] [--engine pglite|postgresql] [--fresh]` (BASTIDE_BENCH_ROWS=n for any size)
// A generated SCDL subventions file of 1,000,000 rows (100,000 with --quick) loaded into the tabular store
// through the job's own code (catalogue.tabular.load: read back from the blob store, cut into pieces, each
// record given its row number and number keys, one COPY each with its progress, the key, the statistics
// and the pointer: the rows are then queryable), against a bare COPY of the same file into a table of as
// many text columns, on the same engine in the same run (the limit). Target: ≥ 0.5 × the bare COPY's
// rows/s. The figure is the time until the rows are queryable; the follow-up job that vacuums the table
// and builds the typed columns' indexes (catalogue.tabular.index: counts, sorts and comparisons faster)
// is timed after it and reported beside it (`indexes_s`, `ratio_with_indexes`), not hidden.
import { readFileSync } from 'node:fs';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { progress, round, throughputResult, type BenchResult } from './lib/report.ts';
import { benchRows, subventionsFile, tabularTarget } from './lib/tabular-setup.ts';
import { runLoad } from '../src/modules/catalogue/actions/load-version.ts';
import { indexLoad } from '../src/modules/catalogue/tabular/indexes.ts';
import { SUBVENTIONS_HEADER } from './lib/generate-subventions.ts';

export async function tabularLoadBench(
  o: BenchOptions,
): Promise<BenchResult & { file_mib: number; copy_s: number; load_s: number; indexes_s: number; ratio_with_indexes: number }> {
  const rows = benchRows(o);
  const f = await subventionsFile(o, rows);
  progress(`${f.file}: ${(f.bytes / 1024 / 1024).toFixed(0)} MiB`);
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await bench.open({ max: 4 });
    try {
      // The limit: the whole file, one COPY, into a bare table of text columns.
      const columns = SUBVENTIONS_HEADER.split(',').map((_, i) => `c${i + 1} text`);
      await db.ownerTransaction((tx) => tx.script(`create table bench_bare_copy (${columns.join(', ')})`));
      const bytes = readFileSync(f.file);
      let t0 = performance.now();
      await db.ownerTransaction((tx) => tx.copyFrom('bench_bare_copy', `(format csv, header true)`, bytes));
      const copyMs = performance.now() - t0;
      const copied = (await db.ownerTransaction((tx) => tx.one<{ n: number }>('select count(*)::float8 as n from bench_bare_copy')))!.n;
      if (copied !== rows) throw new Error(`bare COPY wrote ${copied} rows, expected ${rows}`);
      progress(`bare COPY: ${(copyMs / 1000).toFixed(2)} s (${Math.round((rows / copyMs) * 1000).toLocaleString('en-GB')} rows/s)`);
      await db.ownerTransaction((tx) => tx.script('drop table bench_bare_copy'));

      // The job's path.
      const target = await tabularTarget(db, bench.dataDir, f);
      t0 = performance.now();
      const load = await runLoad({ db, config: { dataDir: bench.dataDir } }, target.tenantId, target.loadId);
      const loadMs = performance.now() - t0;
      if (load?.state !== 'done' || load.rows_loaded !== rows) throw new Error(`the load ended ${load?.state} with ${load?.rows_loaded} rows: ${load?.error}`);
      progress(`load job (rows queryable): ${(loadMs / 1000).toFixed(2)} s (${Math.round((rows / loadMs) * 1000).toLocaleString('en-GB')} rows/s)`);
      t0 = performance.now();
      if (!(await indexLoad(db, target.tenantId, target.loadId))) throw new Error('the typed indexes were not built');
      const indexMs = performance.now() - t0;
      progress(
        `vacuum and typed indexes (follow-up job): ${(indexMs / 1000).toFixed(2)} s; with them ${Math.round((rows / (loadMs + indexMs)) * 1000).toLocaleString('en-GB')} rows/s`,
      );
      return {
        ...throughputResult('tabular-load', o.engine, (rows / loadMs) * 1000, (rows / copyMs) * 1000, 'rows/s'),
        file_mib: round(f.bytes / 1024 / 1024, 0),
        copy_s: round(copyMs / 1000, 2),
        load_s: round(loadMs / 1000, 2),
        indexes_s: round(indexMs / 1000, 2),
        ratio_with_indexes: round(copyMs / (loadMs + indexMs), 3),
      };
    } finally {
      await db.release();
    }
  } finally {
    await bench.drop();
  }
}

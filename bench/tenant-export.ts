// `npm run bench -- tenant-export [--quick] [--engine pglite|postgresql]`
// The archive of a collectivité holding 100,000 dossiers (--quick: 10,000) of a 20-field procedure, written
// by exportTenant (every tenant table through a cursor, JSON lines hashed, zipped), against the limit: the
// same dossiers read alone through the same kind of cursor (row_to_json, no file). Then the archive is
// imported into a fresh database of the same engine (timed, journal verified): printed, not the figure.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTenant } from '../src/core/transfer/export.ts';
import { importTenant } from '../src/core/transfer/import.ts';
import { localBlobStore } from '../src/core/files/store.ts';
import { verifyJournal } from '../src/core/audit/verify.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { createBenchTenant } from './lib/setup.ts';
import { generateDossiers } from './lib/generate-dossiers.ts';
import { latencyResult, progress, type BenchResult } from './lib/report.ts';

export async function tenantExportBench(o: BenchOptions): Promise<BenchResult> {
  const count = o.quick ? 10_000 : 100_000;
  const work = mkdtempSync(join(tmpdir(), 'bastide-bench-export-'));
  const source = await freshDatabase(o.engine, o.serverUrl);
  const target = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await source.open();
    let exportSeconds: number;
    let limitSeconds: number;
    const file = join(work, 'tenant.zip');
    try {
      progress(`generating ${count} dossiers`);
      const tenant = await createBenchTenant(db, { slug: 'banc-export' });
      await generateDossiers(db, [{ tenant, count }], progress);
      progress('limit: the dossiers read alone through a cursor');
      let started = performance.now();
      await db.ownerTransaction(async (tx) => {
        await tx.query(
          `declare bench_read no scroll cursor for select row_to_json(t)::text as j from dossiers t where t.tenant_id = '${tenant.tenantId}' order by t.tenant_id, t.id`,
        );
        let bytes = 0;
        for (;;) {
          const rows = await tx.query<{ j: string }>('fetch 2000 from bench_read');
          for (const r of rows) bytes += r.j.length;
          if (rows.length < 2000) break;
        }
        progress(`${(bytes / 1024 ** 2).toFixed(0)} MiB of JSON`);
      });
      limitSeconds = (performance.now() - started) / 1000;
      progress(`limit ${limitSeconds.toFixed(1)} s`);
      started = performance.now();
      const summary = await exportTenant(db, localBlobStore(source.dataDir), tenant.slug, file);
      exportSeconds = (performance.now() - started) / 1000;
      progress(`export ${exportSeconds.toFixed(1)} s: ${summary.rows} rows in ${summary.tables} tables, ${(statSync(file).size / 1024 ** 2).toFixed(1)} MiB`);
    } finally {
      await db.release();
    }
    const tdb = await target.open();
    try {
      const started = performance.now();
      const imported = await importTenant(tdb, localBlobStore(target.dataDir), file);
      const importSeconds = (performance.now() - started) / 1000;
      const journal = await verifyJournal(tdb, imported.tenantId);
      progress(`import ${importSeconds.toFixed(1)} s: ${imported.rows} rows; journal ${journal.ok ? 'intact' : 'BROKEN'} (${journal.checked} entries)`);
    } finally {
      await tdb.release();
    }
    return latencyResult('tenant-export', o.engine, exportSeconds, limitSeconds, 's');
  } finally {
    await source.drop();
    await target.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

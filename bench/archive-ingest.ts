// `npm run bench -- archive-ingest [--quick] [--fresh] [--engine pglite|postgresql]`
// Ingest of 1 GiB in 10,000 objects (sizes: bench/lib/archive-files.ts) through the archives' ingestUnits —
// SHA-256 and SHA-512 of every object, size, format identification, copy into the blob store, one
// transaction with the journal — against the physical limit on the same disk, measured in the same run:
// `sha256sum` + `sha512sum` + `cp` of the same files. Two runs of each, alternately (best of each, on a
// shared machine); the ratio is the limit's time ÷ ingest's time (target ≥ 0.6).
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { progress, round, throughputResult, type BenchResult } from './lib/report.ts';
import { archiveFiles, timed } from './lib/archive-files.ts';
import { createTenant } from '../src/core/tenancy/create-tenant.ts';
import { translator } from '../src/core/i18n/i18n.ts';
import { ingestUnits } from '../src/modules/archives/index.ts';

export async function archiveIngestBench(o: BenchOptions): Promise<BenchResult & { objects: number; mib: number; ingest_s: number; limit_s: number }> {
  const f = archiveFiles(o);
  const mib = f.bytes / 1024 / 1024;
  progress(`${f.files.length.toLocaleString('en-GB')} objects, ${mib.toFixed(0)} MiB in ${f.dir}`);
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await bench.open({ max: 4 });
    try {
      const limits: number[] = [];
      const ingests: number[] = [];
      for (let run = 1; run <= 2; run++) {
        // The limit: both digests of every file and one copy, on the disk the blob store uses.
        const copy = join(bench.dataDir, `cp-${run}`);
        mkdirSync(copy, { recursive: true });
        const limit = await timed(
          `find . -name '*.bin' -print0 | xargs -0 sha256sum > /dev/null && find . -name '*.bin' -print0 | xargs -0 sha512sum > /dev/null && cp -r . '${copy}'`,
          f.dir,
        );
        rmSync(copy, { recursive: true, force: true });
        limits.push(limit);
        const created = await createTenant(db, { kind: 'syndicate', name: `Bench archives ${run}`, slug: `bench-archives-${run}` });
        if (!created.ok) throw new Error(created.message);
        const p = { tenantId: created.tenant.id, actor: 'system', personId: null, roles: ['archivist' as const], t: translator('fr') };
        const t0 = performance.now();
        const result = await ingestUnits({ db, config: { dataDir: bench.dataDir } }, p, {
          kind: 'upload',
          units: [{ title: 'Versement de test', objects: f.files.map((file) => ({ filename: file.slice(-10), source: file })) }],
        });
        const ms = performance.now() - t0;
        if (result.objects.length !== f.files.length) throw new Error(`ingested ${result.objects.length} objects of ${f.files.length}`);
        ingests.push(ms);
        progress(
          `run ${run}: sha256sum + sha512sum + cp ${(limit / 1000).toFixed(2)} s; ingestUnits ${(ms / 1000).toFixed(2)} s (${((mib / ms) * 1000).toFixed(0)} MiB/s)`,
        );
      }
      const limit = Math.min(...limits);
      const ingest = Math.min(...ingests);
      return {
        ...throughputResult('archive-ingest', o.engine, (mib / ingest) * 1000, (mib / limit) * 1000, 'MiB/s'),
        objects: f.files.length,
        mib: round(mib, 0),
        ingest_s: round(ingest / 1000, 2),
        limit_s: round(limit / 1000, 2),
      };
    } finally {
      await db.release();
    }
  } finally {
    await bench.drop();
  }
}

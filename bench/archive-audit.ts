// `npm run bench -- archive-audit [--quick] [--fresh] [--engine pglite|postgresql]`
// A full fixity audit (every object read back from the blob store, SHA-512 recomputed and compared, each
// outcome recorded, the run journaled) of 1 GiB in 10,000 objects (bench/lib/archive-files.ts), against
// `sha512sum` over the same stored files, in the same run. Two runs of each, alternately (best of each);
// the ratio is sha512sum's time ÷ the audit's time (target ≥ 0.6).
import { join } from 'node:path';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { progress, round, throughputResult, type BenchResult } from './lib/report.ts';
import { archiveFiles, timed } from './lib/archive-files.ts';
import { createTenant } from '../src/core/tenancy/create-tenant.ts';
import { translator } from '../src/core/i18n/i18n.ts';
import { auditTenant, ingestUnits } from '../src/modules/archives/index.ts';

export async function archiveAuditBench(o: BenchOptions): Promise<BenchResult & { objects: number; mib: number; audit_s: number; limit_s: number }> {
  const f = archiveFiles(o);
  const mib = f.bytes / 1024 / 1024;
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await bench.open({ max: 4 });
    try {
      const created = await createTenant(db, { kind: 'syndicate', name: 'Bench audit', slug: 'bench-audit' });
      if (!created.ok) throw new Error(created.message);
      const tenantId = created.tenant.id;
      const p = { tenantId, actor: 'system', personId: null, roles: ['archivist' as const], t: translator('fr') };
      progress(`ingesting ${f.files.length.toLocaleString('en-GB')} objects (${mib.toFixed(0)} MiB)`);
      await ingestUnits({ db, config: { dataDir: bench.dataDir } }, p, {
        kind: 'upload',
        units: [{ title: 'Versement de test', objects: f.files.map((file) => ({ filename: file.slice(-10), source: file })) }],
      });
      const stored = join(bench.dataDir, 'files', tenantId);
      const limits: number[] = [];
      const audits: number[] = [];
      for (let run = 1; run <= 2; run++) {
        const limit = await timed(`find . -type f -print0 | xargs -0 sha512sum > /dev/null`, stored);
        limits.push(limit);
        const t0 = performance.now();
        const report = await auditTenant({ db, config: { dataDir: bench.dataDir } }, tenantId, { share: 1 });
        const ms = performance.now() - t0;
        if (report.checked !== f.files.length || report.problems.length) throw new Error(`audit checked ${report.checked}, ${report.problems.length} problems`);
        audits.push(ms);
        progress(`run ${run}: sha512sum ${(limit / 1000).toFixed(2)} s; audit ${(ms / 1000).toFixed(2)} s (${((mib / ms) * 1000).toFixed(0)} MiB/s)`);
      }
      const limit = Math.min(...limits);
      const audit = Math.min(...audits);
      return {
        ...throughputResult('archive-audit', o.engine, (mib / audit) * 1000, (mib / limit) * 1000, 'MiB/s'),
        objects: f.files.length,
        mib: round(mib, 0),
        audit_s: round(audit / 1000, 2),
        limit_s: round(limit / 1000, 2),
      };
    } finally {
      await db.release();
    }
  } finally {
    await bench.drop();
  }
}

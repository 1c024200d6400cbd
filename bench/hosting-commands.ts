// `node bench/hosting-commands.ts [--count 100000 | --demo] [--audit-only]`: the hosting commands of issue 14 on an embedded
// installation holding one collectivité with `count` dossiers of a 20-field procedure (set-based generator,
// as the other benchmarks, then one journal entry per dossier as its filing writes, not yet chained), or the demo data (`--demo`), each timed through the function its command calls: `backup` (createBackup),
// `restore` (restoreBackup into a new folder), `audit verify` (verifyJournal), the usage report
// (usageReport, the host's page and API), and `move --to postgres://…` (moveInstallation into a fresh
// PostgreSQL database, then the PostgreSQL `backup` through pg_dump). Printed, one line each: docs/operations.md
// keeps the figures with the machine's load. The command's own start (opening the embedded database,
// loading the modules) is not included: test/cli measures it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from './lib/database.ts';
import { createBenchTenant } from './lib/setup.ts';
import { generateDossiers } from './lib/generate-dossiers.ts';
import { createBackup } from '../src/core/backup/backup.ts';
import { restoreBackup } from '../src/core/backup/restore.ts';
import { verifyJournal } from '../src/core/audit/verify.ts';
import { sealJournal } from '../src/core/audit/seal.ts';
import { moveInstallation } from '../src/core/transfer/move.ts';
import { currentMonth, usageReport } from '../src/core/usage/report.ts';
import { migrationFolders, modules } from '../src/modules.ts';
import { seedDemo } from '../src/seed.ts';
import { loadConfig } from '../src/config.ts';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 100_000;
const demo = process.argv.includes('--demo');
// Only the generation and `audit verify` (sealing the new entries, then checking every chain).
const auditOnly = process.argv.includes('--audit-only');
const serverUrl = process.env.BASTIDE_BENCH_DATABASE_URL || process.env.BASTIDE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => console.log(line);

async function timed<T>(name: string, fn: () => Promise<T>, detail: (value: T) => string = () => ''): Promise<T> {
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  log(`${name}\t${seconds.toFixed(1)} s\t${detail(value)}\tload ${loadavg()[0]!.toFixed(1)}`);
  return value;
}

const work = mkdtempSync(join(tmpdir(), 'bastide-bench-hosting-'));
const source = await freshDatabase('pglite', serverUrl);
const target = await freshDatabase('postgresql', serverUrl);
try {
  log(
    `${demo ? 'demo data' : `${count} dossiers`}, embedded engine; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const db = await source.open();
  const file = join(work, 'backup.tar.gz');
  try {
    let hostId: string;
    if (demo) {
      // Module by module: a module whose demo data fails (one being built) is named and left out.
      const config = loadConfig({ NODE_ENV: 'test', BASTIDE_DATA_DIR: source.dataDir });
      for (const m of modules) {
        await seedDemo(db, config, () => {}, [m]).catch((error: unknown) => log(`seed demo of ${m.name} failed, left out: ${String(error)}`));
      }
      hostId = (await db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!.id;
    } else {
      const tenant = await createBenchTenant(db, { slug: 'banc-hebergement' });
      await timed('generate', () => generateDossiers(db, [{ tenant, count }], () => {}));
      // The journal entry each filing writes (procedures.dossier.submitted), left for the sealer as a filing leaves it.
      await timed(
        'journal entries',
        () =>
          db.ownerTransaction((tx) =>
            tx.execute(
              `insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
               select d.tenant_id, uuid_v7(), coalesce(d.submitted_at, d.created_at), 'bench', 'procedures.dossier.submitted', 'dossier', d.id::text, jsonb_build_object('number', d.number)
                 from dossiers d where d.tenant_id = $1`,
              [tenant.tenantId],
            ),
          ),
        (n) => `${n} entries`,
      );
      hostId = tenant.tenantId;
    }
    const config = { dataDir: source.dataDir, databaseUrl: null, s3: null } as const;
    if (auditOnly) {
      await timed(
        'audit verify',
        async () => {
          await sealJournal(db);
          return verifyJournal(db);
        },
        (r) => `${r.ok ? 'intact' : 'BROKEN'}, ${r.checked} entries`,
      );
    } else {
      await timed(
        'backup (embedded)',
        () => createBackup(db, config as never, file),
        () => `${(statSync(file).size / 1024 ** 2).toFixed(1)} MiB`,
      );
      await timed(
        'audit verify',
        async () => {
          await sealJournal(db); // as the command does: the entries not yet chained first
          return verifyJournal(db);
        },
        (r) => `${r.ok ? 'intact' : 'BROKEN'}, ${r.checked} entries`,
      );
      const contributors = modules.flatMap((m) => (m.usage ? [m.usage] : []));
      await timed(
        'usage report',
        () => usageReport(db, hostId, currentMonth(), contributors),
        (r) => `${r.rows.length} collectivité(s), ${r.columns.length} figures`,
      );
      const pg = await target.open();
      try {
        await timed(
          'move --to postgres',
          () => moveInstallation(db, pg, migrationFolders),
          (s) => JSON.stringify(s).slice(0, 120),
        );
        const pgFile = join(work, 'backup-pg.tar.gz');
        await timed(
          'backup (PostgreSQL, pg_dump)',
          () => createBackup(pg, { dataDir: target.dataDir, databaseUrl: target.databaseUrl, s3: null } as never, pgFile),
          () => `${(statSync(pgFile).size / 1024 ** 2).toFixed(1)} MiB`,
        );
      } finally {
        await pg.release();
      }
    }
  } finally {
    await db.release();
  }
  if (!auditOnly) {
    const restoreDir = mkdtempSync(join(work, 'restored-'));
    await timed('restore (embedded, new folder)', () => restoreBackup({ dataDir: restoreDir, databaseUrl: null, s3: null } as never, file));
  }
} finally {
  await source.drop();
  await target.drop();
  rmSync(work, { recursive: true, force: true });
}

// `bastide archives audit [--tenant <slug>]`: re-hashes every kept archive object (SHA-512, against what
// ingest recorded), records each outcome, journals the run and mails the archivists when something is
// wrong (the nightly job does the same on a rolling share). Exit 0 when intact; 2 and one line naming the
// first altered or missing object otherwise.
// It opens the database itself: with the embedded engine, stop the server first (or let the nightly job run).
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { withDatabase } from './dispatch.ts';
import { CliError } from './errors.ts';
import { registerArchivesImportCommand } from './archives-import-command.ts';

export function registerArchivesCommands(program: Command, config: () => Config): void {
  const archives = program.command('archives').description('digital archives (issue 13)');
  archives
    .command('audit')
    .description('fixity audit of every archive object (exit 0 when intact, 2 when an object is altered or missing)')
    .option('--tenant <slug>', 'only this collectivité')
    .action(async (o: { tenant?: string }) => {
      const cfg = config();
      const { auditTenant, tenantsWithArchives } = await import('../modules/archives/index.ts');
      const reports = await withDatabase(cfg, async (db) => {
        const tenants = await tenantsWithArchives(db, o.tenant);
        if (o.tenant && tenants.length === 0) {
          const exists = await db.ownerTransaction((tx) => tx.one('select 1 from tenants where slug = $1', [o.tenant]));
          if (!exists) throw new CliError(`no collectivité with the slug ${o.tenant}`);
        }
        const out = [];
        for (const tenant of tenants) out.push({ slug: tenant.slug, report: await auditTenant({ db, config: cfg }, tenant.id, { share: 1, actor: 'cli' }) });
        return out;
      });
      const checked = reports.reduce((n, r) => n + r.report.checked, 0);
      const first = reports.find((r) => r.report.problems.length);
      if (first) {
        const p = first.report.problems[0]!;
        const total = reports.reduce((n, r) => n + r.report.problems.length, 0);
        console.error(
          `archives ${p.outcome}: ${first.slug}, object ${p.object_id} (${p.filename}) of unit ${p.unit_id}${total > 1 ? ` — and ${total - 1} more` : ''}`,
        );
        process.exitCode = 2;
        return;
      }
      console.log(`archives intact: ${checked} objects checked in ${reports.length} collectivité(s)`);
    });
  registerArchivesImportCommand(archives, config);
}

// `bastide archives import <sip.zip> --tenant <slug>`: a SEDA 2.3 ArchiveTransfer package into a
// collectivité's archives, through the same action as POST /api/v1/<slug>/archives/sips (the package checked
// whole against the official XSDs, every object's size and digest; one transaction with its journal entry,
// actor `cli`). Exit 0 and one line on success; 2 and one line per reason when the package is refused.
// It opens the database itself: with the embedded engine, stop the server first.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { HttpError } from '../core/base/errors.ts';
import { translator } from '../core/i18n/i18n.ts';
import { withDatabase } from './dispatch.ts';
import { CliError } from './errors.ts';

export function registerArchivesImportCommand(archives: Command, config: () => Config): void {
  archives
    .command('import')
    .description('import a SEDA 2.3 ArchiveTransfer package (zip) into a collectivité (exit 2 when refused)')
    .argument('<sip.zip>', 'the package: manifest.xml and its objects')
    .requiredOption('--tenant <slug>', 'the collectivité')
    .action(async (file: string, o: { tenant: string }) => {
      const cfg = config();
      const { importSip } = await import('../modules/archives/actions/import-sip.ts');
      const { SedaError, sedaMessage } = await import('../modules/archives/seda/index.ts');
      const outcome = await withDatabase(cfg, async (db) => {
        const tenant = await db.ownerTransaction((tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [o.tenant]));
        if (!tenant) throw new CliError(`no collectivité with the slug ${o.tenant}`);
        const p = { tenantId: tenant.id, actor: 'cli', personId: null, roles: ['archivist' as const], t: translator('en') };
        try {
          return { ok: true as const, result: await importSip({ db, config: cfg }, p, resolve(file)) };
        } catch (error) {
          if (error instanceof SedaError) return { ok: false as const, reasons: error.issues.map((i) => sedaMessage('en', i)) };
          // ingestUnits' refusals (rules unknown to the library, metadata the archives refuse), by field.
          if (error instanceof HttpError && error.statusCode === 422) {
            const errors = (error.details as { errors?: Record<string, string[]> } | undefined)?.errors ?? {};
            return { ok: false as const, reasons: Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`)) };
          }
          throw error;
        }
      });
      if (!outcome.ok) {
        console.error(`archives import refused: ${outcome.reasons.length} reason(s)`);
        for (const reason of outcome.reasons) console.error(`  - ${reason}`);
        process.exitCode = 2;
        return;
      }
      const r = outcome.result;
      console.log(`archives import: ${r.units.length} unit(s), ${r.objects.length} object(s) into ${o.tenant} (ingest ${r.id})`);
    });
}

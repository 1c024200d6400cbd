// tenant add, tenant list, tenant export, tenant import.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { CliError } from './errors.ts';
import { resolve } from 'node:path';
import { runAdmin } from './dispatch.ts';
import { registerMoveCommand } from './move-command.ts';
import { progressLine } from './output.ts';
import { formatBytes } from '../core/backup/format.ts';

const KINDS = ['commune', 'epci', 'departement', 'region', 'syndicate'] as const;

function line(t: { slug: string; name: string; kind: string; official_code: string | null }): string {
  return `${t.slug}\t${t.name}\t${t.kind}\t${t.official_code ?? ''}`;
}

export function registerTenantCommands(program: Command, config: () => Config): void {
  const tenant = program.command('tenant').description('collectivités of this installation');
  // Beside the tenant archive: the other way to take data elsewhere, the whole installation at once.
  registerMoveCommand(program, config);
  tenant
    .command('add')
    .description('add a collectivité from its official code (COG); prints slug, name, kind, code')
    .option('--commune <insee>', 'INSEE code of a commune')
    .option('--epci <siren>', 'SIREN of an EPCI')
    .option('--departement <code>', 'code of a département')
    .option('--region <code>', 'code of a région')
    .option('--syndicate <name>', 'name of a syndicat (no official code)')
    .option('--slug <slug>', 'address of the collectivité (default: from its name)')
    .option('--host <slug>', 'host tenant that administers this one')
    .action(async (o: Record<string, string | undefined>) => {
      const kinds = KINDS.filter((k) => o[k]);
      if (kinds.length !== 1) throw new CliError('give exactly one of --commune, --epci, --departement, --region, --syndicate');
      const kind = kinds[0]!;
      const created = await runAdmin(config(), 'tenant.add', {
        kind,
        ...(kind === 'syndicate' ? { name: o.syndicate } : { code: o[kind] }),
        slug: o.slug,
        host: o.host,
      });
      console.log(line(created));
    });
  tenant
    .command('list')
    .description('list collectivités: slug, name, kind, code')
    .action(async () => {
      for (const t of await runAdmin(config(), 'tenant.list', {})) console.log(line(t));
    });
  tenant
    .command('export')
    .argument('<slug>', 'the collectivité')
    .argument('<file>', 'the archive to write (a zip, docs/tenant-export.md)')
    .description('write everything a collectivité owns into one archive: rows of every module, files, journal, settings, members')
    .option('--with-credentials', 'include password hashes, TOTP seeds, token digests and client secrets (the file is then sensitive)')
    .action(async (slug: string, file: string, o: { withCredentials?: boolean }) => {
      const progress = progressLine();
      const summary = await runAdmin(config(), 'tenant.export', { slug, file: resolve(file), withCredentials: o.withCredentials ?? false }, progress.update);
      progress.done();
      console.log(`${summary.file}\t${formatBytes(summary.bytes)}\t${summary.tables} tables\t${summary.rows} rows\t${summary.files} files`);
      if (summary.withCredentials) console.error('bastide: this archive holds credentials (password hashes, TOTP seeds, secrets): keep it like a password');
    });
  tenant
    .command('import')
    .argument('<file>', 'an archive written by `bastide tenant export`')
    .description('recreate a collectivité from its archive (ids kept; refused if it exists here)')
    .option('--slug <slug>', 'another address for it')
    .option('--link-members', 'also restore links that make it the host or EPCI of collectivités already here')
    .action(async (file: string, o: { slug?: string; linkMembers?: boolean }) => {
      const progress = progressLine();
      const s = await runAdmin(config(), 'tenant.import', { file: resolve(file), slug: o.slug, linkMembers: o.linkMembers ?? false }, progress.update);
      progress.done();
      console.log(`${s.slug}\t${s.tenantId}\t${s.tables} tables\t${s.rows} rows\t${s.files} files`);
      console.log(`people: ${s.people.created} created, ${s.people.existing} already here, ${s.people.mapped} matched by address`);
      for (const l of s.links.restored) console.log(`link restored: ${l}`);
      for (const l of s.links.missing) console.log(`link not restored (not in this installation): ${l}`);
      for (const l of s.links.notRestored) console.log(`link not restored (use --link-members): ${l}`);
    });
}

// tenant add, tenant list.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { CliError } from './errors.ts';
import { runAdmin } from './dispatch.ts';

const KINDS = ['commune', 'epci', 'departement', 'region', 'syndicate'] as const;

function line(t: { slug: string; name: string; kind: string; official_code: string | null }): string {
  return `${t.slug}\t${t.name}\t${t.kind}\t${t.official_code ?? ''}`;
}

export function registerTenantCommands(program: Command, config: () => Config): void {
  const tenant = program.command('tenant').description('collectivités of this installation');
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
}

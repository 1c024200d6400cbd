// `bastide <command>`: every command reads the same configuration as the server. Errors are one clear
// line on stderr and a non-zero exit.
import { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { openDatabase } from './core/db/open.ts';
import { acquireFolderLock, FolderLockedError } from './core/db/lock.ts';
import { migrate } from './core/db/migrate.ts';
import type { Database } from './core/db/database.ts';
import { startServer } from './server.ts';
import { seedDemo } from './seed.ts';
import { createTenant, type CreateTenantInput } from './core/tenancy/create-tenant.ts';
import { listTenants } from './core/tenancy/tenants.ts';
import { sealJournal } from './core/audit/seal.ts';
import { verifyJournal } from './core/audit/verify.ts';

class CliError extends Error {}

/** Opens the database for a one-shot command (guarding the embedded folder), migrated. */
async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const release = config.databaseUrl ? () => {} : acquireFolderLock(config.dataDir);
  const db = await openDatabase(config);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
    release();
  }
}

async function tenantIdBySlug(db: Database, slug: string): Promise<string> {
  const row = await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]));
  if (!row) throw new CliError(`no collectivité with slug "${slug}"`);
  return row.id;
}

export function buildCli(config: () => Config): Command {
  const program = new Command('bastide').description('Bastide, the shared digital platform of local authorities').showHelpAfterError();

  program.command('serve').description('start the HTTP server and the job runner').action(async () => {
    const server = await startServer(config());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.stop().then(() => process.exit(0)));
  });

  program.command('migrate').description('apply pending database migrations').action(async () => {
    await withDatabase(config(), async () => {});
  });

  program.command('seed').argument('<what>', 'demo').description('load demo data').action(async (what: string) => {
    if (what !== 'demo') throw new CliError(`unknown seed "${what}" (expected: demo)`);
    const c = config();
    if (c.env === 'production') throw new CliError('demo data is refused when NODE_ENV=production');
    await withDatabase(c, (db) => seedDemo(db, c, (line) => process.stderr.isTTY && console.error(line)));
  });

  const tenant = program.command('tenant').description('collectivités of this installation');
  tenant.command('add').description('add a collectivité from its official code (COG)')
    .option('--commune <insee>', 'INSEE code of a commune')
    .option('--epci <siren>', 'SIREN of an EPCI')
    .option('--departement <code>', 'code of a département')
    .option('--region <code>', 'code of a région')
    .option('--syndicate <name>', 'name of a syndicat (no official code)')
    .option('--slug <slug>', 'address of the collectivité (default: from its name)')
    .option('--host <slug>', 'host tenant that administers this one')
    .action(async (o: Record<string, string | undefined>) => {
      const kinds = (['commune', 'epci', 'departement', 'region', 'syndicate'] as const).filter((k) => o[k]);
      if (kinds.length !== 1) throw new CliError('give exactly one of --commune, --epci, --departement, --region, --syndicate');
      const kind = kinds[0]!;
      const input: CreateTenantInput = kind === 'syndicate' ? { kind, name: o.syndicate } : { kind, code: o[kind] };
      const result = await withDatabase(config(), (db) => createTenant(db, { ...input, slug: o.slug, hostSlug: o.host, actor: 'cli' }));
      if (!result.ok) throw new CliError(result.message);
      console.log(`${result.tenant.slug}\t${result.tenant.name}\t${result.tenant.kind}\t${result.tenant.official_code ?? ''}`);
    });
  tenant.command('list').description('list collectivités').action(async () => {
    const rows = await withDatabase(config(), (db) => db.transaction(null, (tx) => listTenants(tx)));
    for (const t of rows) console.log(`${t.slug}\t${t.name}\t${t.kind}\t${t.official_code ?? ''}`);
  });

  const audit = program.command('audit').description('the audit journal');
  audit.command('verify').description('check the hash chain (exit 0 when intact)').option('--tenant <slug>')
    .action(async (o: { tenant?: string }) => {
      const result = await withDatabase(config(), async (db) => {
        const tenantId = o.tenant ? await tenantIdBySlug(db, o.tenant) : undefined;
        await sealJournal(db, tenantId);
        return verifyJournal(db, tenantId);
      });
      if (!result.ok) {
        const p = result.problem!;
        console.error(`journal broken: tenant ${p.tenantId}, position ${p.position}${p.entryId ? `, entry ${p.entryId}` : ''}: ${p.reason}`);
        process.exitCode = 2;
        return;
      }
      console.log(`journal intact: ${result.checked} entries checked`);
    });
  return program;
}

async function main(): Promise<void> {
  let cached: Config | null = null;
  const config = () => (cached ??= loadConfig());
  try {
    await buildCli(config).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CliError || error instanceof FolderLockedError) {
      console.error(`bastide: ${error.message}`);
      process.exit(1);
    }
    console.error(`bastide: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

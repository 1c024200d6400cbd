// `bastide <command>` (bin/bastide.js, `npm run bastide --`): see src/cli/ for the commands and
// docs/operations.md for their use.
import { loadConfig, type Config } from './config.ts';
import { buildCli } from './cli/program.ts';

export async function main(argv: string[] = process.argv): Promise<void> {
  // Whatever Bastide writes (database, files, backups, mail) is private to the account that runs it.
  process.umask(0o077);
  let cached: Config | null = null;
  const config = () => (cached ??= loadConfig());
  try {
    await buildCli(config).parseAsync(argv);
  } catch (error) {
    // One line: the message of a refusal (bad option, configuration, locked folder…) or of a failure.
    const message = (error as Error).message?.split('\n')[0] || String(error);
    const code = (error as { code?: string }).code ?? '';
    // Network and authentication failures of the PostgreSQL connection say which setting to look at.
    const database = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000'].includes(code);
    console.error(`bastide: ${database ? `cannot use the database of DATABASE_URL: ${message}` : message}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

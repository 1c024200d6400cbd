// `bastide <command>` (bin/bastide.js, `npm run bastide --`): see src/cli/ for the commands and
// docs/operations.md for their use.
import { loadConfig, type Config } from './config.ts';
import { buildCli } from './cli/program.ts';

export async function main(argv: string[] = process.argv): Promise<void> {
  let cached: Config | null = null;
  const config = () => (cached ??= loadConfig());
  try {
    await buildCli(config).parseAsync(argv);
  } catch (error) {
    // One line: the message of a refusal (bad option, configuration, locked folder…) or of a failure.
    const message = (error as Error).message?.split('\n')[0] || String(error);
    console.error(`bastide: ${message}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

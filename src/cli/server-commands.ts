// serve, migrate, seed.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { lockHolder } from '../core/db/lock.ts';
import { migrate, listMigrations } from '../core/db/migrate.ts';
import { CliError } from './errors.ts';
import { runAdmin, withDatabase } from './dispatch.ts';
import { progressLine } from './output.ts';

export function registerServerCommands(program: Command, config: () => Config): void {
  program
    .command('serve')
    .description('start the HTTP server and the job runner')
    .option('--dev', 'development mode, as NODE_ENV=development: demo data and accounts, /_dev/mail on the loopback interface (npm start)')
    .action(async (o: { dev?: boolean }) => {
      const declared = process.env.NODE_ENV || null;
      if (o.dev && declared && declared !== 'development')
        throw new CliError(`--dev asks for development mode but NODE_ENV=${declared}: leave one of them out`);
      // Development is asked for, never assumed: without --dev or NODE_ENV the defaults are production's.
      const c = o.dev ? loadConfig({ ...process.env, NODE_ENV: 'development' }) : config();
      if (!declared && !o.dev) {
        console.log(
          'NODE_ENV n’est pas défini : réglages de production (ni données ni comptes de démonstration, ni /_dev/mail). ' +
            'Pour développer : npm start (bastide serve --dev) ; sur une installation réelle : NODE_ENV=production et BASTIDE_BASE_URL.',
        );
      }
      const { startServer } = await import('../server.ts');
      const server = await startServer(c);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.stop().then(() => process.exit(0)));
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const c = config();
      const holder = c.databaseUrl ? null : lockHolder(c.dataDir);
      if (holder)
        throw new CliError(
          `the data folder is in use by the running server (process ${holder}), which applied the migrations when it started: restart it to apply new ones`,
        );
      const { migrationFolders } = await import('../modules.ts');
      const applied = await withDatabase(c, (db) => migrate(db, migrationFolders), { migrate: false });
      for (const name of applied) console.log(`applied ${name}`);
      console.log(`database up to date (${listMigrations(migrationFolders).length} migrations)`);
    });

  program
    .command('seed')
    .argument('<what>', 'demo')
    .description('load the demo data (idempotent; refused in production)')
    .action(async (what: string) => {
      if (what !== 'demo') throw new CliError(`unknown seed "${what}" (expected: demo)`);
      const progress = progressLine();
      await runAdmin(config(), 'seed.demo', {}, progress.update);
      progress.done();
      console.log('demo data loaded');
    });
}

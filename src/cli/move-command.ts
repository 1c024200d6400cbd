// bastide move --to postgres://…: the embedded installation to a PostgreSQL server (core/transfer/move.ts).
// Refused while a server holds the data folder (its lock, db/lock.ts), when DATABASE_URL already names a
// server, or when the target is not empty.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { acquireFolderLock, FolderLockedError } from '../core/db/lock.ts';
import { prepareDataFolder } from '../core/db/data-folder.ts';
import { openDatabase } from '../core/db/open.ts';
import { openPostgres } from '../core/db/postgres.ts';
import { moveInstallation } from '../core/transfer/move.ts';
import { TransferError } from '../core/transfer/format.ts';
import { CliError } from './errors.ts';
import { progressLine } from './output.ts';

export function registerMoveCommand(program: Command, config: () => Config): void {
  program
    .command('move')
    .description('move this embedded installation (every collectivité, person, setting, journal, queued job) to an empty PostgreSQL database')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://owner:password@host/db (empty, or migrated and unused)')
    .action(async (o: { to: string }) => {
      const c = config();
      if (c.databaseUrl) throw new CliError('this installation already runs on PostgreSQL (DATABASE_URL is set): nothing to move');
      if (!/^postgres(ql)?:\/\//.test(o.to)) throw new CliError('--to takes a postgres:// address');
      prepareDataFolder(c.dataDir);
      let release: () => void;
      try {
        release = acquireFolderLock(c.dataDir);
      } catch (error) {
        if (error instanceof FolderLockedError)
          throw new CliError(`refusing to move: the data folder is in use by process ${error.pid} (a running server); stop it first`);
        throw error;
      }
      const started = Date.now();
      const progress = progressLine();
      try {
        const source = await openDatabase(c);
        const target = await openPostgres(o.to, { max: 2 });
        try {
          const { migrationFolders } = await import('../modules.ts');
          const summary = await moveInstallation(source, target, migrationFolders, progress.update);
          progress.done();
          for (const [table, n] of Object.entries(summary.counts)) if (n) console.log(`${table}\t${n}`);
          if (summary.created.length) console.log(`tables created from this installation's catalogue: ${summary.created.join(', ')}`);
          console.log(`moved ${summary.rows} rows in ${summary.tables} tables in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          if (!summary.journal.ok) {
            console.error(`bastide: the journal does not verify on the target: ${JSON.stringify(summary.journal.problem)}`);
            process.exitCode = 2;
            return;
          }
          console.log(`journal intact: ${summary.journal.checked} entries checked`);
          console.log(`next: start with DATABASE_URL set to the target and the same BASTIDE_DATA_DIR (the files stay in ${c.dataDir}/files)`);
        } finally {
          await source.close();
          await target.close();
        }
      } catch (error) {
        progress.done();
        if (error instanceof TransferError) throw new CliError(error.message);
        throw error;
      } finally {
        release();
      }
    });
}

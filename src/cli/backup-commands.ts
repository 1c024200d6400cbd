// backup <file>, restore <file>.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { acquireFolderLock, FolderLockedError, lockHolder } from '../core/db/lock.ts';
import { openDatabase } from '../core/db/open.ts';
import { prepareDataFolder } from '../core/db/data-folder.ts';
import { restoreBackup, BackupFormatError } from '../core/backup/restore.ts';
import { formatBytes } from '../core/backup/format.ts';
import { CliError } from './errors.ts';
import { runAdmin } from './dispatch.ts';
import { progressLine } from './output.ts';

/** PostgreSQL: other sessions on the database are servers (or people) that a restore would pull the rug from. */
async function otherConnections(config: Config): Promise<number> {
  const db = await openDatabase(config);
  try {
    const row = await db.ownerTransaction((tx) => tx.one<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`));
    return row!.n;
  } finally {
    await db.close();
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|o|oui)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerBackupCommands(program: Command, config: () => Config): void {
  program.command('backup').argument('<file>', 'the archive to write (.tar.gz)')
    .description('back up the database (a consistent copy) and the stored files into one file')
    .action(async (file: string) => {
      const progress = progressLine();
      const summary = await runAdmin(config(), 'backup', { file: resolve(file) }, progress.update);
      progress.done();
      console.log(`${summary.file}\t${formatBytes(summary.bytes)}\t${summary.files} files`);
    });

  program.command('restore').argument('<file>', 'an archive written by `bastide backup`')
    .description('replace the database and the stored files with those of a backup (servers must be stopped)')
    .option('--yes', 'do not ask for confirmation on a terminal')
    .option('--force', 'PostgreSQL: restore even though other sessions are connected to the database')
    .action(async (file: string, o: { yes?: boolean; force?: boolean }) => {
      const c = config();
      const path = resolve(file);
      const holder = c.databaseUrl ? null : lockHolder(c.dataDir);
      if (holder) throw new CliError(`refusing to restore: the data folder is in use by process ${holder} (a running server); stop it first`);
      if (c.databaseUrl && !o.force) {
        const others = await otherConnections(c);
        if (others) throw new CliError(`refusing to restore: ${others} other session(s) are connected to the database; stop the Bastide servers first (or --force)`);
      }
      if (process.stdin.isTTY && !o.yes && !(await confirm(`Replace the current data of ${c.databaseUrl ? 'the PostgreSQL database' : c.dataDir} with ${path}? [y/N] `))) {
        throw new CliError('restore cancelled');
      }
      prepareDataFolder(c.dataDir);
      let release = () => {};
      if (!c.databaseUrl) {
        try {
          release = acquireFolderLock(c.dataDir);
        } catch (error) {
          if (error instanceof FolderLockedError) throw new CliError(`refusing to restore: the data folder is in use by process ${error.pid}; stop it first`);
          throw error;
        }
      }
      const progress = progressLine();
      try {
        const result = await restoreBackup(c, path, progress.update);
        progress.done();
        console.log(`restored the backup of ${result.createdAt} (${result.files} files)`);
      } catch (error) {
        progress.done();
        if (error instanceof BackupFormatError) throw new CliError(error.message);
        throw error;
      } finally {
        release();
      }
    });
}

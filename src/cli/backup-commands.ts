// backup <file> [--recipient age1…], restore <file> [--identity key.txt], backup-keygen <key.txt>.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { acquireFolderLock, FolderLockedError, lockHolder } from '../core/db/lock.ts';
import { openDatabase } from '../core/db/open.ts';
import { prepareDataFolder } from '../core/db/data-folder.ts';
import { restoreBackup, BackupFormatError } from '../core/backup/restore.ts';
import { formatBytes } from '../core/backup/format.ts';
import { BackupKeyError, generateIdentityFile, parseRecipients, readIdentityFile } from '../core/backup/encryption.ts';
import { CliError } from './errors.ts';
import { runAdmin } from './dispatch.ts';
import { progressLine } from './output.ts';

/** PostgreSQL: other sessions on the database are servers (or people) that a restore would pull the rug from. */
async function otherConnections(config: Config): Promise<number> {
  const db = await openDatabase(config);
  try {
    const row = await db.ownerTransaction((tx) =>
      tx.one<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`),
    );
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

/** A key given on the command line: its error is the whole message. */
function keyArgument<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BackupKeyError) throw new CliError(error.message);
    throw error;
  }
}

async function keyArgumentAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BackupKeyError) throw new CliError(error.message);
    throw error;
  }
}

export function registerBackupCommands(program: Command, config: () => Config): void {
  program
    .command('backup')
    .argument('<file>', 'the archive to write (.tar.gz, or .tar.gz.age when encrypted)')
    .description('back up the database (a consistent copy) and the stored files into one file')
    .option(
      '--recipient <age1…>',
      'encrypt the file to this age public key (repeat for several keys)',
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .action(async (file: string, o: { recipient: string[] }) => {
      const recipients = keyArgument(() => parseRecipients(o.recipient));
      const progress = progressLine();
      const summary = await runAdmin(config(), 'backup', { file: resolve(file), recipients }, progress.update);
      progress.done();
      console.log(`${summary.file}\t${formatBytes(summary.bytes)}\t${summary.files} files${summary.encrypted ? '\tencrypted' : ''}`);
    });

  program
    .command('backup-keygen')
    .argument('<identity-file>', 'where to write the private key (created 0600; never overwritten)')
    .description('create a key pair for encrypted backups: writes the private key, prints the public key (age1…)')
    .action(async (file: string) => {
      const recipient = await keyArgumentAsync(() => generateIdentityFile(resolve(file)));
      console.log(recipient);
    });

  program
    .command('restore')
    .argument('<file>', 'an archive written by `bastide backup`')
    .description('replace the database and the stored files with those of a backup (servers must be stopped)')
    .option('--yes', 'do not ask for confirmation on a terminal')
    .option('--force', 'PostgreSQL: restore even though other sessions are connected to the database')
    .option('--identity <file>', 'the private key (age identity file) of an encrypted backup')
    .action(async (file: string, o: { yes?: boolean; force?: boolean; identity?: string }) => {
      const c = config();
      const path = resolve(file);
      const identities = o.identity ? keyArgument(() => readIdentityFile(resolve(o.identity!))) : undefined;
      const holder = c.databaseUrl ? null : lockHolder(c.dataDir);
      if (holder) throw new CliError(`refusing to restore: the data folder is in use by process ${holder} (a running server); stop it first`);
      if (c.databaseUrl && !o.force) {
        const others = await otherConnections(c);
        if (others)
          throw new CliError(`refusing to restore: ${others} other session(s) are connected to the database; stop the Bastide servers first (or --force)`);
      }
      if (
        process.stdin.isTTY &&
        !o.yes &&
        !(await confirm(`Replace the current data of ${c.databaseUrl ? 'the PostgreSQL database' : c.dataDir} with ${path}? [y/N] `))
      ) {
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
        const result = await restoreBackup(c, path, progress.update, { identities });
        progress.done();
        console.log(`restored the backup of ${result.createdAt} (${result.files} files)`);
      } catch (error) {
        progress.done();
        if (error instanceof BackupFormatError || error instanceof BackupKeyError) throw new CliError(error.message);
        throw error;
      } finally {
        release();
      }
    });
}

// Where a command runs. The embedded data folder may be opened by one process only: when a server holds
// it, the command is sent to that server's administration socket; otherwise the CLI opens the database
// itself (migrated first). A PostgreSQL installation is always opened directly.
import { statSync } from 'node:fs';
import type { Config } from '../config.ts';
import type { Database } from '../core/db/database.ts';
import { openDatabase } from '../core/db/open.ts';
import { acquireFolderLock, FolderLockedError, lockHolder } from '../core/db/lock.ts';
import { migrate } from '../core/db/migrate.ts';
import { installModuleRootPaths } from '../core/module.ts';
import { prepareDataFolder } from '../core/db/data-folder.ts';
import { adminSocketPath, checkSocketFolder, SocketFolderError } from '../core/admin-socket/path.ts';
import { callAdminSocket, SocketUnavailableError } from '../core/admin-socket/client.ts';
import { runOperation, type DemoSeeder, type OperationArgs, type OperationName, type OperationResult } from '../core/admin-socket/operations.ts';
import type { Progress } from '../core/backup/format.ts';
import { CliError } from './errors.ts';

/** Opens the database for a one-shot command, guarding the embedded folder, migrated. */
export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  prepareDataFolder(config.dataDir);
  const release = config.databaseUrl ? () => {} : acquireFolderLock(config.dataDir);
  try {
    const db = await openDatabase(config);
    try {
      // The folders come from the manifests (modules.ts), loaded only here: commands that do not open
      // the database stay light.
      const product = await import('../modules.ts');
      if (options.migrate !== false) await migrate(db, product.migrationFolders);
      // `tenant add` without a server refuses the modules' reserved root paths too, as the server does.
      installModuleRootPaths(product.modules);
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

const SERVER_START_WAIT_MS = 30_000;

/** Commands may carry passwords: never talk to a socket that another account could have put there. */
function checkSocketOwner(path: string): void {
  try {
    checkSocketFolder(path);
  } catch (error) {
    if (error instanceof SocketFolderError) throw new CliError(error.message);
    throw error;
  }
  let uid: number;
  try {
    uid = statSync(path).uid;
  } catch {
    return; // not there yet (server starting): the call waits for it, then checks again
  }
  if (process.getuid && uid !== process.getuid()) {
    throw new CliError(`${path} belongs to another account: run the command as the account that runs the server`);
  }
}

async function viaServer(config: Config, pid: number, name: OperationName, args: unknown, progress: Progress): Promise<unknown> {
  const path = adminSocketPath(config.dataDir);
  checkSocketOwner(path);
  const deadline = Date.now() + SERVER_START_WAIT_MS;
  for (;;) {
    try {
      return await callAdminSocket(path, name, args, progress);
    } catch (error) {
      if (!(error instanceof SocketUnavailableError)) throw error;
      // A server that is still migrating holds the lock before it listens: wait for it, not forever.
      if (Date.now() > deadline || lockHolder(config.dataDir) !== pid) {
        throw new CliError(`the data folder is in use by process ${pid}, which does not answer on ${path}`);
      }
      await new Promise((r) => setTimeout(r, 250));
      checkSocketOwner(path);
    }
  }
}

// The demo data pulls in every module, which other commands do not need: loaded on demand. Core's
// operations get it as a function (they import no module).
const loadDemoData: DemoSeeder = async (db, config, log) => (await import('../seed.ts')).seedDemo(db, config, log);

export async function runAdmin<N extends OperationName>(
  config: Config,
  name: N,
  args: OperationArgs<N>,
  progress: Progress = () => {},
): Promise<OperationResult<N>> {
  if (!config.databaseUrl) {
    const holder = lockHolder(config.dataDir);
    if (holder) return (await viaServer(config, holder, name, args, progress)) as OperationResult<N>;
  }
  try {
    return (await withDatabase(config, (db) => runOperation({ db, config, progress, seedDemo: loadDemoData }, name, args))) as OperationResult<N>;
  } catch (error) {
    // A server took the folder between our look and our lock: ask it instead.
    if (error instanceof FolderLockedError && error.pid) return (await viaServer(config, error.pid, name, args, progress)) as OperationResult<N>;
    throw error;
  }
}

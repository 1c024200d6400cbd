// The data folder holds the embedded database (password hashes, the installation secret, every dossier),
// the stored files and the administration socket: it is private to the account that runs Bastide.
// Every process that opens it (server or CLI) creates what it writes with umask 077, creates the folder
// 0700, and refuses a folder that other accounts can enter, with the command that fixes it. Modes are
// read from the bits, never with access(): the tests (and some containers) run as root, who may access
// everything anyway.
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when the data folder (or one of its sensitive subfolders) is open to other accounts. */
export class DataFolderOpenError extends Error {}

const OTHERS = 0o077;

/** The folders checked at each start: a loose one lets any local account read or change the data. */
function sensitivePaths(dataDir: string): string[] {
  return [dataDir, join(dataDir, 'db'), join(dataDir, 'files')];
}

/**
 * Makes everything this process creates private to its account, creates the data folder 0700 when it
 * does not exist, and refuses one that group or others may read, write or enter.
 */
export function prepareDataFolder(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (const path of sensitivePaths(dataDir)) {
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch {
      continue; // not created yet: it will be, under umask 077
    }
    if (mode & OTHERS) {
      const shown = (mode & 0o777).toString(8).padStart(4, '0');
      throw new DataFolderOpenError(
        `the data folder is open to other accounts (${path} has mode ${shown}): run \`chmod -R go-rwx ${quote(dataDir)}\` as the account that runs Bastide, then start again`,
      );
    }
  }
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Takes group and others' rights off every entry under `root` (symbolic links are left alone: their
 * own mode means nothing). PGlite writes its initial cluster with mode 0666, whatever the umask, so the
 * embedded engine calls this once it has opened its folder.
 */
export function removeOthersAccess(root: string): number {
  let changed = 0;
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if (st.mode & OTHERS) {
      chmodSync(path, st.mode & 0o7700);
      changed += 1;
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}

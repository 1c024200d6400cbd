// Where the administration socket of a data folder lives. Unix socket paths are limited to about 107
// bytes; a deeper data folder gets its socket under the temporary folder, in a folder of this account
// (`bastide-<uid>`, 0700) under a name derived from the data folder, so the server and the CLI always
// agree without asking each other. Either way the socket sits in a folder only its account may enter
// (the data folder is 0700, data-folder.ts): no other account can reach it, even in the instant between
// its creation and its chmod, nor put a socket of its own at that path.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const MAX_SOCKET_PATH = 100;

export class SocketFolderError extends Error {}

function uid(): number {
  return process.getuid ? process.getuid() : 0;
}

export function adminSocketPath(dataDir: string): string {
  const preferred = join(resolve(dataDir), 'bastide.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH) return preferred;
  return join(tmpdir(), `bastide-${uid()}`, `${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}.sock`);
}

/**
 * Refuses a socket folder that another account owns or may enter (or a symbolic link in its place: the
 * temporary folder is shared). `create`: the server makes it 0700 when it does not exist yet.
 * Returns false when it does not exist (and was not to be created).
 */
export function checkSocketFolder(socketPath: string, options: { create?: boolean } = {}): boolean {
  const folder = dirname(socketPath);
  if (options.create) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  let st;
  try {
    st = lstatSync(folder);
  } catch {
    return false;
  }
  if (!st.isDirectory() || st.uid !== uid() || st.mode & 0o077) {
    const what = !st.isDirectory()
      ? 'is not a folder'
      : st.uid !== uid()
        ? `belongs to another account (uid ${st.uid})`
        : `is open to other accounts (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
    throw new SocketFolderError(`the folder of the administration socket ${folder} ${what}: remove it (another account may have made it) and start again`);
  }
  return true;
}

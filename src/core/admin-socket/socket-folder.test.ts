// The administration socket takes commands that carry passwords (issue 10, row 19). The attack: its
// fallback path in the shared temporary folder was predictable (/tmp/bastide-<hash>.sock) and the socket
// existed with default rights until its chmod; another account could connect in that instant or put its
// own socket there first. Now it lives in a 0700 folder of the server's account, checked by both sides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import { adminSocketPath, checkSocketFolder, SocketFolderError } from './path.ts';
import { startAdminSocket } from './server.ts';

let scratch: string;
let savedTmp: string | undefined;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bastide-sock-'));
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = scratch; // os.tmpdir() reads it on each call
});
after(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(scratch, { recursive: true, force: true });
});

const fakeDb = { engine: 'pglite' } as Database;
/** A data folder too deep for a socket path: the socket goes to the temporary folder. */
const deepDataDir = () => join('/srv', 'x'.repeat(120), 'data');

test('a deep data folder gets its socket in a 0700 folder of this account, the socket 0600', async () => {
  const path = adminSocketPath(deepDataDir());
  assert.equal(dirname(path), join(scratch, `bastide-${process.getuid!()}`));
  // Even with a permissive umask in the caller, nothing is reachable by others at any time.
  const umask = process.umask(0);
  let socket;
  try {
    socket = await startAdminSocket({ db: fakeDb, config: { dataDir: deepDataDir() } as Config });
  } finally {
    process.umask(umask);
  }
  try {
    assert.equal(socket.path, path);
    const folder = statSync(dirname(path));
    assert.equal(folder.mode & 0o777, 0o700);
    assert.equal(folder.uid, process.getuid!());
    assert.equal(statSync(path).mode & 0o777, 0o600);
  } finally {
    await socket.close();
  }
});

test('a socket folder open to others, or a symbolic link in its place, is refused by the server and the CLI', async () => {
  const path = adminSocketPath(deepDataDir());
  const folder = dirname(path);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  chmodSync(folder, 0o777);
  await assert.rejects(
    startAdminSocket({ db: fakeDb, config: { dataDir: deepDataDir() } as Config }),
    (e: Error) => e instanceof SocketFolderError && /is open to other accounts \(mode 0777\): remove it/.test(e.message),
  );
  assert.throws(() => checkSocketFolder(path), SocketFolderError);

  rmSync(folder, { recursive: true, force: true });
  const elsewhere = mkdtempSync(join(scratch, 'someone-'));
  symlinkSync(elsewhere, folder);
  await assert.rejects(
    startAdminSocket({ db: fakeDb, config: { dataDir: deepDataDir() } as Config }),
    (e: Error) => e instanceof SocketFolderError && /is not a folder/.test(e.message),
  );
  rmSync(folder);
  // Not there yet (a server starting): the CLI waits for it.
  assert.equal(checkSocketFolder(path), false);
});

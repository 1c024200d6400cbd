// The data folder is private to the account that runs Bastide (issue 10, row 14). The attack: any local
// account reads the embedded database (password hashes, the installation secret) or the stored files, or
// changes them. A fresh start must leave no entry that group or others may read, write or enter, and a
// server must refuse a folder others can enter. Tests run as root, who may access everything: the
// checks read the mode bits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { freshInstallation, lines, type Installation } from './cli.ts';

let inst: Installation;
before(async () => {
  inst = await freshInstallation();
});
after(async () => {
  await inst.cleanup();
});

/** Every entry under root that group or others may use, with its mode. */
function openEntries(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) found.push(`${path} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

test('a fresh start creates the data folder 0700 and leaves nothing readable by others', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'bastide-fresh-'));
  const dataDir = join(parent, 'data');
  // A data folder that does not exist yet: the embedded database is created from scratch.
  const server = inst.start(['serve'], { BASTIDE_DATA_DIR: dataDir });
  try {
    let out = '';
    let err = '';
    server.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const base = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /\((http:\/\/127\.0\.0\.1:\d+), base/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`the server stopped (exit ${code}): ${err}`)));
    });
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    // Checked while it runs (socket, lock) and after it stopped.
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.deepEqual(openEntries(dataDir), []);
    server.kill('SIGTERM');
    await once(server, 'exit');
    assert.deepEqual(openEntries(dataDir), []);
    if (inst.engine === 'pglite') assert.ok(readdirSync(join(dataDir, 'db')).includes('PG_VERSION'), 'the embedded database was created');
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    rmSync(parent, { recursive: true, force: true });
  }
});

test('a data folder open to others is refused, with the command that fixes it', async () => {
  for (const path of [inst.dataDir, join(inst.dataDir, 'db'), join(inst.dataDir, 'files')]) {
    if (path.endsWith('db') && inst.engine !== 'pglite') continue;
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const before = statSync(path).mode & 0o777;
    chmodSync(path, path === inst.dataDir ? 0o777 : 0o755);
    try {
      for (const args of [['serve'], ['tenant', 'list']]) {
        const res = await inst.run(args);
        assert.equal(res.code, 1, `${args.join(' ')} on ${path}: ${res.stdout}`);
        assert.equal(lines(res.stderr).length, 1, res.stderr);
        assert.match(
          res.stderr,
          new RegExp(
            `^bastide: the data folder is open to other accounts \\(${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has mode 07[57]{2}\\): run \`chmod -R go-rwx ${inst.dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\` as the account that runs Bastide, then start again\\n$`,
          ),
        );
      }
    } finally {
      chmodSync(path, before);
    }
  }
  // Fixed as the message says, it starts again.
  const ok = await inst.run(['tenant', 'list']);
  assert.equal(ok.code, 0, ok.stderr);
});

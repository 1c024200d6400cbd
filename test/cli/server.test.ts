// Commands while a server runs. The embedded folder is opened by one process only: the CLI detects the
// server's lock and sends its command through the server's administration socket (never the TCP port).
// On PostgreSQL both processes open the database. Either way the server sees the change at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { adminSocketPath } from '../../src/core/admin-socket/path.ts';
import { freshInstallation, lines, type Installation } from './cli.ts';

let inst: Installation;
let server: ChildProcess;
let base: string;

before(async () => {
  inst = await freshInstallation();
  // Token memory: a minute on PGlite, so that only the socket's notice can explain a revocation seen at
  // once; one second on PostgreSQL, where the CLI writes to the database directly and the server learns
  // of it when its memory expires.
  server = inst.start(['serve'], { BASTIDE_API_TOKEN_CACHE_SECONDS: inst.engine === 'pglite' ? '60' : '1' });
  let out = '';
  let err = '';
  server.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  base = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\((http:\/\/127\.0\.0\.1:\d+), base/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`the server stopped (exit ${code}): ${err}`)));
  });
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  await inst.cleanup();
});

test('tenant add and token create from another process while the server runs', async () => {
  if (inst.engine === 'pglite') {
    // Only the account running the server may talk to it.
    assert.equal(statSync(adminSocketPath(inst.dataDir)).mode & 0o777, 0o600);
    // Asked before it exists: the server must forget that answer when the tenant is added through it.
    // (On PostgreSQL each process keeps such answers a few seconds: tenants are added rarely.)
    assert.equal((await fetch(`${base}/toulouse/`)).status, 404);
  }
  const added = await inst.run(['tenant', 'add', '--commune', '31555']);
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual(lines(added.stdout), ['toulouse\tToulouse\tcommune\t31555']);
  const token = await inst.run(['token', 'create', '--tenant', 'toulouse', '--role', 'agent']);
  assert.equal(token.code, 0, token.stderr);
  assert.match(token.stdout, /^bst_[\w-]+\n$/);

  const page = await fetch(`${base}/toulouse/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<h1>Toulouse<\/h1>/);
  assert.equal(server.exitCode, null, 'the server still runs');
});

test('a token revoked from the CLI is refused by the running server', async () => {
  const created = await inst.run(['token', 'create', '--tenant', 'toulouse', '--role', 'agent', '--label', 'revoked-live']);
  assert.equal(created.code, 0, created.stderr);
  const call = async () => (await fetch(`${base}/api/v1/toulouse/procedures`, { headers: { authorization: `Bearer ${created.stdout.trim()}` } })).status;
  assert.equal(await call(), 200);
  const id = lines((await inst.run(['token', 'list', '--tenant', 'toulouse'])).stdout)
    .map((l) => l.split('\t'))
    .find((r) => r[3] === 'revoked-live')![0]!;
  const revoked = await inst.run(['token', 'revoke', '--tenant', 'toulouse', id]);
  assert.equal(revoked.code, 0, revoked.stderr);
  if (inst.engine === 'pglite') {
    // Through the socket: the server forgot its cached answer with the revocation.
    assert.equal(await call(), 401);
    return;
  }
  // Another process on PostgreSQL: refused once the server's one second of memory is over.
  let status = await call();
  for (let i = 0; i < 40 && status !== 401; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = await call();
  }
  assert.equal(status, 401);
});

test('backup goes through the server; restore and migrate refuse while it holds the folder', async (t) => {
  if (inst.engine !== 'pglite') return t.skip('the folder lock concerns the embedded database');
  const folder = mkdtempSync(join(tmpdir(), 'bastide-live-backup-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'live.tar.gz');
  const backup = await inst.run(['backup', file]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.ok(existsSync(file));
  const restore = await inst.run(['restore', file]);
  assert.equal(restore.code, 1);
  assert.match(
    lines(restore.stderr).join('\n'),
    /^bastide: refusing to restore: the data folder is in use by process \d+ \(a running server\); stop it first$/,
  );
  const migrate = await inst.run(['migrate']);
  assert.equal(migrate.code, 1);
  assert.equal(lines(migrate.stderr).length, 1);
  assert.equal((await fetch(`${base}/toulouse/`)).status, 200, 'the server was not disturbed');
});

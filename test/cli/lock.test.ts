// The embedded folder lock: one holder at a time, a dead holder's lock is taken over, and processes
// racing for a stale lock end with exactly one holder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { acquireFolderLock, FolderLockedError, lockHolder, lockPath } from '../../src/core/db/lock.ts';
import { NODE } from './cli.ts';

const LOCK_MODULE = new URL('../../src/core/db/lock.ts', import.meta.url).pathname;

function deadPid(): number {
  const child = spawnSync(NODE, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test("a lock held by a live process is refused; a dead process's lock is taken over", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bastide-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const holder = spawn(NODE, ['-e', 'setTimeout(() => {}, 60000)']);
  t.after(() => holder.kill());
  writeFileSync(lockPath(dir), String(holder.pid));
  assert.throws(
    () => acquireFolderLock(dir),
    (e: unknown) => e instanceof FolderLockedError && e.pid === holder.pid,
  );
  assert.equal(lockHolder(dir), holder.pid);

  writeFileSync(lockPath(dir), String(deadPid()));
  assert.equal(lockHolder(dir), null);
  const release = acquireFolderLock(dir);
  assert.equal(readFileSync(lockPath(dir), 'utf8'), String(process.pid));
  release();
  assert.deepEqual(readdirSync(dir), [], 'the lock and its helper files are gone');
});

test('processes racing for a stale lock: exactly one gets it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bastide-lock-race-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(lockPath(dir), String(deadPid()));
  // Each racer tries to take the lock, reports, and keeps it until told to stop.
  const script = `import { acquireFolderLock } from ${JSON.stringify(LOCK_MODULE)};
    let got = false; try { acquireFolderLock(${JSON.stringify(dir)}); got = true; } catch {}
    process.stdout.write(got ? 'got\\n' : 'refused\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const racers = Array.from({ length: 4 }, () => spawn(NODE, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const answers = await Promise.all(
    racers.map(
      (r) =>
        new Promise<string>((resolve) => {
          let out = '';
          r.stdout!.on('data', (c: Buffer) => {
            out += c.toString();
            if (out.includes('\n')) resolve(out.trim());
          });
        }),
    ),
  );
  assert.deepEqual(answers.filter((a) => a === 'got').length, 1, answers.join(','));
  const winner = racers[answers.indexOf('got')]!;
  assert.equal(lockHolder(dir), winner.pid);
  for (const r of racers) r.stdin!.end();
  await Promise.all(racers.map((r) => new Promise((resolve) => r.on('exit', resolve))));
});

// A wrong setting stops the start with one line that says which setting and why (and never echoes a
// connection URL, which may hold a password).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { NODE, MAIN, lines } from './cli.ts';

function serveWith(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastide-config-'));
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', BASTIDE_DATA_DIR: dataDir, BASTIDE_SEED_DEMO: '0' };
  delete base.DATABASE_URL;
  delete base.PORT;
  const res = spawnSync(NODE, [MAIN, 'serve'], { env: { ...base, ...env }, encoding: 'utf8', timeout: 120_000 });
  const touched = existsSync(join(dataDir, 'db'));
  rmSync(dataDir, { recursive: true, force: true });
  return { code: res.status, stdout: res.stdout, stderr: lines(res.stderr), touched };
}

test('an invalid PORT stops the start with a one-line explanation', () => {
  for (const port of ['abc', '70000', '3.5', '-1']) {
    const res = serveWith({ PORT: port });
    assert.equal(res.code, 1, `PORT=${port}`);
    assert.deepEqual(res.stderr, [`bastide: PORT must be an integer between 0 and 65535, got "${port}"`]);
    assert.equal(res.touched, false, 'nothing was created');
  }
});

test('an invalid DATABASE_URL stops the start with a one-line explanation that hides the value', () => {
  const notUrl = serveWith({ DATABASE_URL: 'host=db password=s3cret' });
  assert.equal(notUrl.code, 1);
  assert.deepEqual(notUrl.stderr, ['bastide: DATABASE_URL is not a valid URL (expected postgres://…)']);
  const mysql = serveWith({ DATABASE_URL: 'mysql://bastide:s3cret@db/bastide' });
  assert.equal(mysql.code, 1);
  assert.deepEqual(mysql.stderr, ['bastide: DATABASE_URL must use postgres: or postgresql:, got "mysql:"']);
  for (const res of [notUrl, mysql]) assert.doesNotMatch(res.stderr.join('\n'), /s3cret/);
});

test('an unreachable database stops the start with one line', () => {
  const res = serveWith({ DATABASE_URL: 'postgres://bastide:s3cret@127.0.0.1:1/bastide', PORT: '0' });
  assert.equal(res.code, 1);
  assert.equal(res.stderr.length, 1);
  assert.match(res.stderr[0]!, /^bastide: .*ECONNREFUSED/);
  assert.doesNotMatch(res.stderr[0]!, /s3cret/);
});

test('production without its public address is refused', () => {
  const res = serveWith({ NODE_ENV: 'production', PORT: '0' });
  assert.equal(res.code, 1);
  assert.match(res.stderr.join('\n'), /^bastide: BASTIDE_BASE_URL is required when NODE_ENV=production/);
});

// backup then restore puts back the database and the files as they were, and drops what came after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshInstallation, lines, type Installation } from './cli.ts';

let inst: Installation;
let folder: string;
before(async () => {
  inst = await freshInstallation();
  folder = mkdtempSync(join(tmpdir(), 'bastide-backups-'));
});
after(async () => {
  await inst.cleanup();
  rmSync(folder, { recursive: true, force: true });
});

const slugs = async () =>
  (await inst.withDb((db) => db.ownerTransaction((tx) => tx.query<{ slug: string }>('select slug from tenants order by slug')))).map((r) => r.slug);

test('restore brings back the data of the backup and removes later changes, database and files', async () => {
  const files = join(inst.dataDir, 'files');
  const blob = join(files, 'some-tenant', 'a'.repeat(64));
  // Private as the server makes it (a folder open to others is refused, data-folder.ts).
  mkdirSync(join(files, 'some-tenant'), { recursive: true, mode: 0o700 });
  writeFileSync(blob, 'kept bytes');
  const first = await inst.run(['tenant', 'add', '--commune', '44109']);
  assert.equal(first.code, 0, first.stderr);

  const file = join(folder, 'before.tar.gz');
  const backup = await inst.run(['backup', file]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /before\.tar\.gz\t.+\t1 files\n$/);
  assert.equal(backup.stderr, '', 'no progress output outside a terminal');

  // Changes after the backup: a tenant, a changed file, a new file.
  const later = await inst.run(['tenant', 'add', '--commune', '31555']);
  assert.equal(later.code, 0, later.stderr);
  writeFileSync(blob, 'changed bytes');
  writeFileSync(join(files, 'some-tenant', 'b'.repeat(64)), 'new');
  assert.deepEqual(await slugs(), ['nantes', 'toulouse']);

  const restore = await inst.run(['restore', file]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await slugs(), ['nantes']);
  assert.equal(readFileSync(blob, 'utf8'), 'kept bytes');
  assert.deepEqual(readdirSync(join(files, 'some-tenant')), ['a'.repeat(64)]);
  assert.deepEqual(
    readdirSync(inst.dataDir).filter((n) => n.startsWith('.restore')),
    [],
    'no leftovers',
  );

  // The restored installation works: the application role still has its rights, the journal holds.
  const token = await inst.run(['token', 'create', '--tenant', 'nantes', '--role', 'agent']);
  assert.equal(token.code, 0, token.stderr);
  const verify = await inst.run(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stderr);
});

test('restore refuses a file that is not a backup, and changes nothing', async () => {
  const bogus = join(folder, 'bogus.tar.gz');
  writeFileSync(bogus, 'not a backup at all');
  const res = await inst.run(['restore', bogus]);
  assert.equal(res.code, 1);
  assert.equal(lines(res.stderr).length, 1);
  assert.match(res.stderr, /^bastide: .*bogus\.tar\.gz is not a readable Bastide backup/);
  const missing = await inst.run(['restore', join(folder, 'nope.tar.gz')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^bastide: no such file: /);
  assert.deepEqual(await slugs(), ['nantes']);
  assert.ok(existsSync(join(inst.dataDir, 'files', 'some-tenant', 'a'.repeat(64))));
});

test('PostgreSQL: restore refuses while other sessions use the database', async (t) => {
  if (inst.engine !== 'postgresql') return t.skip('the embedded case is the folder lock (server.test.ts)');
  const file = join(folder, 'before.tar.gz');
  await inst.withDb(async (db) => {
    await db.ownerTransaction((tx) => tx.query('select 1'));
    const res = await inst.run(['restore', file]);
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      /^bastide: refusing to restore: \d+ other session\(s\) are connected to the database; stop the Bastide servers first \(or --force\)\n$/,
    );
  });
  assert.deepEqual(await slugs(), ['nantes']);
});

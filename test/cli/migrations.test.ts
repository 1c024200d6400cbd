// Migrations as the manifests declare them: each module's folder and number range, checked before
// anything runs; applied files checksummed, and a file changed after it was applied stops the runner,
// the server start and `bastide migrate` with a message naming it. On the engine under test (PGlite, or
// PostgreSQL with BASTIDE_TEST_DATABASE_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangedMigrationError,
  COMPATIBLE_CHECKSUMS,
  collectMigrations,
  migrate,
  migrationChecksum,
  MigrationLayoutError,
  pendingMigrations,
  type MigrationFolder,
} from '../../src/core/db/migrate.ts';
import { migrationFolders } from '../../src/modules.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { freshInstallation } from './cli.ts';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bastide-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

test("the manifests' folders: every file within its module's range, numbers unique, applied in number order", () => {
  const all = collectMigrations(migrationFolders);
  assert.ok(all.length >= 20);
  assert.deepEqual(
    all.map((m) => m.number),
    [...all.map((m) => m.number)].sort((a, b) => a - b),
  );
  assert.equal(new Set(all.map((m) => m.number)).size, all.length);
  for (const m of all) {
    const f = migrationFolders.find((x) => x.module === m.module)!;
    assert.ok(m.number >= f.first && m.number <= f.last, m.path);
  }
  // Modules follow each other by their number ranges (read from the manifests: a new module adds no line here).
  const byRange = [...migrationFolders].sort((x, y) => x.first - y.first).map((f) => f.module);
  assert.deepEqual(
    [...new Set(all.map((m) => m.module))],
    byRange.filter((name) => all.some((m) => m.module === name)),
  );
  for (const name of ['core', 'auth', 'procedures']) assert.ok(byRange.includes(name), name);
});

test("a file outside its module's range, a number used twice, overlapping ranges and a badly named file are refused", (t) => {
  const a = folder({ '0500_demo_a.sql': 'select 1;' });
  const b = folder({ '0500_other_b.sql': 'select 1;', '0700_other_c.sql': 'select 1;' });
  const odd = folder({ '0510-Demo.sql': 'select 1;' });
  t.after(() => {
    for (const d of [a, b, odd]) rmSync(d, { recursive: true, force: true });
  });
  const demo: MigrationFolder = { module: 'demo', dir: a, first: 500, last: 599 };
  assert.throws(
    () => collectMigrations([demo, { module: 'other', dir: b, first: 600, last: 699 }]),
    (e: Error) => e instanceof MigrationLayoutError && e.message.includes('0500_other_b.sql') && e.message.includes("outside module other's range 0600–0699"),
  );
  assert.throws(
    () => collectMigrations([demo, { module: 'other', dir: b, first: 400, last: 599 }]),
    (e: Error) => e instanceof MigrationLayoutError && /overlapping/.test(e.message),
  );
  assert.throws(
    () => collectMigrations([demo, { module: 'other', dir: b, first: 500, last: 500 }]),
    (e: Error) => e instanceof MigrationLayoutError && /overlapping/.test(e.message),
  );
  const twice = folder({ '0550_demo_x.sql': 'select 1;', '0550_demo_y.sql': 'select 1;' });
  t.after(() => rmSync(twice, { recursive: true, force: true }));
  assert.throws(
    () => collectMigrations([{ module: 'demo', dir: twice, first: 500, last: 599 }]),
    (e: Error) => e instanceof MigrationLayoutError && e.message.includes('0550_demo_y.sql') && e.message.includes('already used by'),
  );
  assert.throws(
    () => collectMigrations([{ module: 'demo', dir: odd, first: 500, last: 599 }]),
    (e: Error) => e instanceof MigrationLayoutError && e.message.includes('0510-Demo.sql'),
  );
});

test('applied migrations are checksummed; one edited afterwards stops the runner, naming the file', async (t) => {
  const td = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'bastide-migrations-'));
  t.after(async () => {
    await td.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const folders = [...migrationFolders, { module: 'scratch', dir, first: 9000, last: 9099 }];
  const file = join(dir, '9000_scratch_notes.sql');
  writeFileSync(file, 'create table scratch_notes (id int primary key);\n');
  assert.deepEqual(await migrate(td.db, folders), ['9000_scratch_notes.sql']);
  const row = await td.db.ownerTransaction((tx) =>
    tx.one<{ checksum: string }>(`select checksum from schema_migrations where name = '9000_scratch_notes.sql'`),
  );
  assert.equal(row!.checksum, migrationChecksum(readFileSync(file, 'utf8')));
  // Every row has its checksum (rows applied before checksums existed got the file's on this run).
  const missing = await td.db.ownerTransaction((tx) => tx.query('select name from schema_migrations where checksum is null'));
  assert.deepEqual(missing, []);
  // Same file, CRLF line endings: the same migration.
  writeFileSync(file, 'create table scratch_notes (id int primary key);\r\n');
  assert.deepEqual(await migrate(td.db, folders), []);

  writeFileSync(file, 'create table scratch_notes (id int primary key, body text);\n');
  const changed = (e: Error) =>
    e instanceof ChangedMigrationError &&
    e.message.includes('9000_scratch_notes.sql') &&
    e.message.includes(dir) &&
    /changed after it was applied/.test(e.message);
  await assert.rejects(migrate(td.db, folders), changed);
  await assert.rejects(pendingMigrations(td.db, folders), changed);
  // Nothing after the check ran: a later migration waits until the file is restored.
  writeFileSync(join(dir, '9001_scratch_more.sql'), 'create table scratch_more (id int);\n');
  await assert.rejects(migrate(td.db, folders), changed);
  assert.equal(await td.db.ownerTransaction((tx) => tx.one(`select to_regclass('public.scratch_more') as t`)).then((r) => r!.t), null);
  writeFileSync(file, 'create table scratch_notes (id int primary key);\n');
  assert.deepEqual(await migrate(td.db, folders), ['9001_scratch_more.sql']);
});

test("a row without checksum (applied by an earlier version) gets the file's; a known-compatible earlier version is accepted", async (t) => {
  const td = await createTestDatabase();
  t.after(() => td.cleanup());
  const current = migrationChecksum(readFileSync(collectMigrations(migrationFolders).find((m) => m.name === '0300_procedures.sql')!.path, 'utf8'));
  await td.db.ownerTransaction((tx) => tx.query(`update schema_migrations set checksum = null where name = '0300_procedures.sql'`));
  assert.deepEqual(await migrate(td.db, migrationFolders), []);
  const row = await td.db.ownerTransaction((tx) => tx.one<{ checksum: string }>(`select checksum from schema_migrations where name = '0300_procedures.sql'`));
  assert.equal(row!.checksum, current);
  // 0001_core.sql as first released: accepted, and left recorded as it ran.
  const old = COMPATIBLE_CHECKSUMS['0001_core.sql']![0]!;
  await td.db.ownerTransaction((tx) => tx.query(`update schema_migrations set checksum = $1 where name = '0001_core.sql'`, [old]));
  assert.deepEqual(await migrate(td.db, migrationFolders), []);
  // Any other content is not.
  await td.db.ownerTransaction((tx) => tx.query(`update schema_migrations set checksum = $1 where name = '0001_core.sql'`, ['0'.repeat(64)]));
  await assert.rejects(migrate(td.db, migrationFolders), (e: Error) => e instanceof ChangedMigrationError && e.message.includes('0001_core.sql'));
});

test('`bastide migrate` and the server start stop on a changed applied migration, naming it', { timeout: 120_000 }, async (t) => {
  const inst = await freshInstallation();
  t.after(() => inst.cleanup());
  await inst.withDb((db) =>
    db.ownerTransaction((tx) => tx.query(`update schema_migrations set checksum = $1 where name = '0302_procedures_dossiers.sql'`, ['f'.repeat(64)])),
  );
  const migrateRun = await inst.run(['migrate']);
  assert.equal(migrateRun.code, 1, migrateRun.stdout + migrateRun.stderr);
  assert.match(
    migrateRun.stderr,
    /migration 0302_procedures_dossiers\.sql \(.*src\/modules\/procedures\/migrations\/0302_procedures_dossiers\.sql\) was changed after it was applied/,
  );
  const serve = await inst.run(['serve'], { PORT: '0' });
  assert.notEqual(serve.code, 0);
  assert.match(serve.stderr, /migration 0302_procedures_dossiers\.sql .* was changed after it was applied/);
});

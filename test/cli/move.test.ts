// `bastide move --to postgres://…` (issue 14): the demo installation, embedded, moved to an empty
// PostgreSQL database by the real CLI; every table's count compared and the journal verified on the
// target. Refused while a server holds the data folder and when the target is not empty. Needs a
// PostgreSQL server (BASTIDE_TEST_DATABASE_URL); skipped without one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freshInstallation, type Installation } from './cli.ts';
import { adminQuery, createServerDatabase, testServerUrl } from '../helpers/database.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Database } from '../../src/core/db/database.ts';
import { verifyJournal } from '../../src/core/audit/verify.ts';
import { acquireFolderLock } from '../../src/core/db/lock.ts';

const server = testServerUrl();
let inst: Installation;
let targetName: string;
let targetUrl: string;

async function counts(db: Database): Promise<Record<string, number>> {
  return db.ownerTransaction(async (tx) => {
    const out: Record<string, number> = {};
    for (const { name } of await tx.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations' order by 1`,
    ))
      out[name] = (await tx.one<{ n: number }>(`select count(*)::int as n from "${name}"`))!.n;
    return out;
  });
}

before(async () => {
  if (!server) return;
  const saved = { a: process.env.BASTIDE_TEST_DATABASE_URL, b: process.env.DATABASE_URL };
  delete process.env.BASTIDE_TEST_DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    inst = await freshInstallation();
  } finally {
    if (saved.a !== undefined) process.env.BASTIDE_TEST_DATABASE_URL = saved.a;
    if (saved.b !== undefined) process.env.DATABASE_URL = saved.b;
  }
  const seeded = await inst.run(['seed', 'demo'], { NODE_ENV: 'development' });
  assert.equal(seeded.code, 0, seeded.stderr);
  targetName = `bastide_move_${randomBytes(5).toString('hex')}`;
  targetUrl = await createServerDatabase(targetName);
});

after(async () => {
  if (!server) return;
  await inst?.cleanup();
  await adminQuery(`drop database if exists ${targetName} with (force)`);
});

test('move: refused while a server holds the data folder', { skip: !server }, async () => {
  const release = acquireFolderLock(inst.dataDir);
  try {
    const res = await inst.run(['move', '--to', targetUrl]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`in use by process ${process.pid}`));
  } finally {
    release();
  }
});

test('move: the demo installation arrives whole (every table, sequences, journal) and a second move is refused', { skip: !server }, async () => {
  const started = Date.now();
  const res = await inst.run(['move', '--to', targetUrl]);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /journal intact/);
  console.log(`# move of the demo installation: ${seconds.toFixed(1)} s (${res.stdout.match(/moved \d+ rows/)?.[0]})`);
  const source = await openPglite(join(inst.dataDir, 'db'));
  const target = await openPostgres(targetUrl, { max: 2 });
  try {
    const expected = await counts(source);
    assert.ok(expected.dossiers! > 0 && expected.journal_entries! > 0, 'the demo data has dossiers and a journal');
    assert.deepEqual(await counts(target), expected);
    const verified = await verifyJournal(target);
    assert.ok(verified.ok, JSON.stringify(verified.problem));
    // A dossier filed on the target takes the next number, not one already used.
    const next = await target.ownerTransaction((tx) =>
      tx.one<{ free: boolean }>(`select not exists (select 1 from dossiers where number = (select last_value + 1 from dossier_number_seq)) as free`),
    );
    assert.ok(next!.free);
  } finally {
    await source.close();
    await target.close();
  }
  const again = await inst.run(['move', '--to', targetUrl]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /not empty/);
});

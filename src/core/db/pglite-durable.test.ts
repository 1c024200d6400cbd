// Durable commits on the embedded engine (pglite-durable.ts). A test cannot pull the power cord: what it
// proves is that, in the durable mode, PostgreSQL runs with fsync on and each commit makes a real fsync(2)
// of the WAL before it returns (counted in the process, and as system calls with strace when present);
// that a disk honours fsync is the operating system's and the hardware's part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open.ts';
import { watchEngineFsync } from './pglite-durable.ts';
import { loadConfig, ConfigError } from '../../config.ts';
import { ensurePgliteTemplate, testServerUrl } from '../../../test/helpers/database.ts';
import { removeOthersAccess } from './data-folder.ts';

/** A data folder holding a copy of the migrated template (creating a cluster takes seconds). */
async function copiedDataDir(parent: string, name: string): Promise<string> {
  const dataDir = join(parent, name);
  cpSync(await ensurePgliteTemplate(), join(dataDir, 'db'), { recursive: true });
  removeOthersAccess(dataDir);
  return dataDir;
}

const embeddedOnly = { skip: testServerUrl() ? 'embedded engine only' : false };
const COMMITS = 12;

async function commitsAndFsyncs(durable: boolean, relaxed = false) {
  const parent = mkdtempSync(join(tmpdir(), 'bastide-durable-'));
  const dataDir = await copiedDataDir(parent, 'data');
  const db = await openDatabase({ dataDir, databaseUrl: null, embeddedDurable: durable });
  const walSyncs: string[] = [];
  try {
    const settings = await db.ownerTransaction((tx) =>
      tx.one<{ fsync: string; method: string }>(`select current_setting('fsync') as fsync, current_setting('wal_sync_method') as method`),
    );
    await db.exec('create table durable_probe (n int)');
    watchEngineFsync((path) => {
      if (path.includes('/pg_wal/')) walSyncs.push(path);
    });
    for (let i = 0; i < COMMITS; i++) {
      await db.ownerTransaction((tx) => tx.execute('insert into durable_probe values ($1)', [i]), { synchronousCommit: !relaxed });
    }
    return { settings: settings!, walSyncs: walSyncs.length };
  } finally {
    watchEngineFsync(null);
    await db.close();
    rmSync(parent, { recursive: true, force: true });
  }
}

test('durable mode: fsync on, and every commit syncs the WAL before it returns', embeddedOnly, async () => {
  const durable = await commitsAndFsyncs(true);
  assert.deepEqual(durable.settings, { fsync: 'on', method: 'fsync' });
  assert.ok(durable.walSyncs >= COMMITS, `${durable.walSyncs} WAL fsyncs for ${COMMITS} commits`);

  // PGlite's own setting, for comparison: nothing is synced.
  const fast = await commitsAndFsyncs(false);
  assert.deepEqual(fast.settings, { fsync: 'off', method: 'fdatasync' });
  assert.equal(fast.walSyncs, 0);

  // Relaxed transactions (job bookkeeping) do not wait for the disk, as on PostgreSQL.
  const relaxed = await commitsAndFsyncs(true, true);
  assert.ok(relaxed.walSyncs < COMMITS, `${relaxed.walSyncs} WAL fsyncs for ${COMMITS} relaxed commits`);
});

const strace = spawnSync('strace', ['-V']).status === 0;

test(
  'durable mode: the WAL fsyncs are real system calls (strace)',
  { skip: testServerUrl() ? 'embedded engine only' : !strace && 'strace is not installed' },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bastide-strace-'));
    try {
      const script = join(folder, 'commit.ts');
      writeFileSync(
        script,
        [
          `import { openDatabase } from ${JSON.stringify(join(import.meta.dirname, 'open.ts'))};`,
          `const db = await openDatabase({ dataDir: process.argv[2], databaseUrl: null, embeddedDurable: process.argv[3] === '1' });`,
          `await db.exec('create table probe (n int)');`,
          `for (let i = 0; i < ${COMMITS}; i++) await db.ownerTransaction((tx) => tx.execute('insert into probe values ($1)', [i]));`,
          `await db.close();`,
        ].join('\n'),
      );
      for (const d of ['0', '1']) await copiedDataDir(folder, `data-${d}`);
      const walSyncs = (durable: '0' | '1') => {
        const log = join(folder, `strace-${durable}.txt`);
        const run = spawnSync(
          'strace',
          ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync', '-o', log, process.execPath, script, join(folder, `data-${durable}`), durable],
          { encoding: 'utf8' },
        );
        assert.equal(run.status, 0, run.stderr);
        return readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => /sync\(\d+<[^>]*\/pg_wal\/[0-9A-F]{24}>\) = 0/.test(l)).length;
      };
      assert.ok(walSyncs('1') >= COMMITS);
      assert.equal(walSyncs('0'), 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
);

test('BASTIDE_EMBEDDED_DURABLE: on unless 0, anything else refused', () => {
  assert.equal(loadConfig({}).embeddedDurable, true);
  assert.equal(loadConfig({ BASTIDE_EMBEDDED_DURABLE: '1' }).embeddedDurable, true);
  assert.equal(loadConfig({ BASTIDE_EMBEDDED_DURABLE: '0' }).embeddedDurable, false);
  assert.throws(
    () => loadConfig({ BASTIDE_EMBEDDED_DURABLE: 'yes' }),
    (e: Error) => e instanceof ConfigError && /BASTIDE_EMBEDDED_DURABLE must be 1/.test(e.message),
  );
});

// SQL migrations, applied by the schema owner, each in its own transaction, on PGlite and PostgreSQL
// alike. Each module owns a folder of them and a range of numbers (its manifest says which, see
// docs/modules.md); the runner takes the folders from the manifests (core never lists modules itself),
// refuses a file outside its module's range or a number used twice, and applies them in the order of
// their numbers across all folders. An advisory lock keeps two starting servers from racing.
//
// Each applied file's SHA-256 is recorded in schema_migrations.checksum: a migration edited after it was
// applied stops the start (and `bastide migrate`) instead of being silently skipped. Rows applied before
// checksums existed get the current file's checksum on the first run (nothing older to compare with).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Database, Tx } from './database.ts';

/** A module's migrations: its folder and its reserved numbers (inclusive). */
export interface MigrationFolder {
  module: string;
  dir: string;
  first: number;
  last: number;
}

export interface Migration {
  /** File name, as recorded in schema_migrations (`NNNN_<module>_<what>.sql`). */
  name: string;
  number: number;
  module: string;
  path: string;
}

/** A folder, a file or a number that breaks the rules above: a programming error, caught at start. */
export class MigrationLayoutError extends Error {}

/** An applied migration whose file has changed since. */
export class ChangedMigrationError extends Error {
  readonly migration: Migration;
  constructor(migration: Migration, recorded: string, current: string) {
    super(
      `migration ${migration.name} (${migration.path}) was changed after it was applied to this database ` +
        `(recorded sha256 ${recorded.slice(0, 12)}…, file now ${current.slice(0, 12)}…): an applied migration must never change. ` +
        'Restore the file as it was and put the change in a new migration (docs/modules.md, "Migrations").',
    );
    this.name = 'ChangedMigrationError';
    this.migration = migration;
  }
}

/**
 * Earlier contents of applied migrations known to leave a database in a state the current file would
 * also leave it in: such databases are accepted, and their recorded checksum is kept (it tells which
 * version ran). Add an entry only with the reason, after checking that claim.
 */
export const COMPATIBLE_CHECKSUMS: Record<string, string[]> = {
  // Issue 10 row 17 (c725746) rewrote how the file creates and grants bastide_app: looked up first, a
  // failure stops with what to run. A database that applied the first version (71e8c4f) has the role
  // and the grant (or its first request would have failed), the same objects as the new version gives.
  '0001_core.sql': ['b8c834b39650a222fb0f322eb3e200d7766310214a5e70459d191da65f3ae872'],
};

/** SHA-256 of a migration's text, line endings normalised (a checkout with CRLF is the same file). */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Every migration of these folders in the order they apply; throws MigrationLayoutError on a broken rule. */
export function collectMigrations(folders: MigrationFolder[]): Migration[] {
  const sorted = [...folders].sort((a, b) => a.first - b.first);
  for (const [i, f] of sorted.entries()) {
    if (!(Number.isInteger(f.first) && Number.isInteger(f.last) && f.first >= 1 && f.first <= f.last && f.last <= 9999)) {
      throw new MigrationLayoutError(`module ${f.module}: migration range ${f.first}–${f.last} is not a range of numbers within 0001–9999`);
    }
    const next = sorted[i + 1];
    if (next && next.first <= f.last) {
      throw new MigrationLayoutError(
        `modules ${f.module} (${f.first}–${f.last}) and ${next.module} (${next.first}–${next.last}) reserve overlapping migration numbers`,
      );
    }
  }
  const all: Migration[] = [];
  const byNumber = new Map<number, Migration>();
  for (const f of sorted) {
    for (const name of readdirSync(f.dir)
      .filter((n) => n.endsWith('.sql'))
      .sort()) {
      const path = join(f.dir, name);
      const match = NAME.exec(name);
      if (!match) throw new MigrationLayoutError(`${path}: a migration is named NNNN_<module>_<what>.sql (four digits, lower case)`);
      const number = Number(match[1]);
      if (number < f.first || number > f.last) {
        throw new MigrationLayoutError(
          `${path}: number ${match[1]} is outside module ${f.module}'s range ${String(f.first).padStart(4, '0')}–${String(f.last).padStart(4, '0')}`,
        );
      }
      const taken = byNumber.get(number);
      if (taken) throw new MigrationLayoutError(`${path}: number ${match[1]} is already used by ${taken.path}`);
      const m = { name: basename(name), number, module: f.module, path };
      byNumber.set(number, m);
      all.push(m);
    }
  }
  return all.sort((a, b) => a.number - b.number);
}

/** The migrations' names, in order (what `bastide migrate` counts, what a backup records). */
export function listMigrations(folders: MigrationFolder[]): string[] {
  return collectMigrations(folders).map((m) => m.name);
}

async function ensureTable(db: Database): Promise<void> {
  // The runner's own table, created and extended here rather than by a numbered migration: it must
  // exist before the first migration runs, and the checksum column before any is compared.
  await db.exec(`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now(), checksum text);
    alter table schema_migrations add column if not exists checksum text;`);
}

/**
 * Compares every applied migration with its file: records the checksum of rows applied before checksums
 * existed, throws ChangedMigrationError for the first file changed since. Returns the applied names.
 */
async function checkApplied(tx: Tx, migrations: Migration[]): Promise<Set<string>> {
  const rows = await tx.query<{ name: string; checksum: string | null }>('select name, checksum from schema_migrations');
  const recorded = new Map(rows.map((r) => [r.name, r.checksum]));
  for (const m of migrations) {
    if (!recorded.has(m.name)) continue;
    const current = migrationChecksum(readFileSync(m.path, 'utf8'));
    const sum = recorded.get(m.name);
    if (sum == null) await tx.query('update schema_migrations set checksum = $2 where name = $1', [m.name, current]);
    else if (sum !== current && !COMPATIBLE_CHECKSUMS[m.name]?.includes(sum)) throw new ChangedMigrationError(m, sum, current);
  }
  return new Set(recorded.keys());
}

/** Migrations not applied yet (after checking the applied ones have not changed). */
export async function pendingMigrations(db: Database, folders: MigrationFolder[]): Promise<string[]> {
  const migrations = collectMigrations(folders);
  await ensureTable(db);
  const applied = await db.ownerTransaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(4242001)`);
    return checkApplied(tx, migrations);
  });
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

export async function migrate(db: Database, folders: MigrationFolder[], onApplied?: (name: string) => void): Promise<string[]> {
  const migrations = collectMigrations(folders);
  await ensureTable(db);
  const already = await db.ownerTransaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(4242001)`);
    return checkApplied(tx, migrations);
  });
  const done: string[] = [];
  // A migration recorded as applied stays so: only the others need a transaction (and a look under the
  // lock, as another process may apply them meanwhile). An up-to-date database then costs one transaction
  // instead of one per migration, at every start, command and test file.
  for (const m of migrations.filter((x) => !already.has(x.name))) {
    const applied = await db.ownerTransaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(4242001)`);
      if (await tx.one('select 1 from schema_migrations where name = $1', [m.name])) return false;
      const sql = readFileSync(m.path, 'utf8');
      try {
        await tx.script(sql);
      } catch (error) {
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('insert into schema_migrations (name, checksum) values ($1, $2)', [m.name, migrationChecksum(sql)]);
      return true;
    });
    if (applied) {
      done.push(m.name);
      onApplied?.(m.name);
    }
  }
  return done;
}

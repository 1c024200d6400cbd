// A fresh, migrated database for one test file, on the engine under test:
// - PGlite (default): a copy of a migrated template folder (creating a PGlite database takes seconds,
//   copying one takes milliseconds);
// - PostgreSQL when BASTIDE_TEST_DATABASE_URL (or DATABASE_URL) is set: a new database on that server.
//   That URL's role creates and drops the databases. With BASTIDE_TEST_OWNER_URL, each database belongs to
//   that URL's role and the tests connect as it, as a production server does (docs/deployment.md §3: a
//   non-superuser owner, `bastide_app` created beforehand); .ci/run sets it up that way.
import { cpSync, existsSync, mkdtempSync, rmSync, mkdirSync, writeFileSync, openSync, closeSync, unlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/core/db/database.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { removeOthersAccess } from '../../src/core/db/data-folder.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { migrate, collectMigrations } from '../../src/core/db/migrate.ts';
import { migrationFolders } from '../../src/modules.ts';

export const TEMPLATE_DIR = join(import.meta.dirname, '..', '..', '.test-template');

export function testServerUrl(): string | null {
  return process.env.BASTIDE_TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

/** Whom the tests' databases belong to and the application connects as (the server URL's role by default). */
export function testOwnerUrl(): string | null {
  return process.env.BASTIDE_TEST_OWNER_URL || testServerUrl();
}

/** The URL of database `name` on a server URL (its role, password, host and parameters kept). */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on the test server as its database-creating role. */
export async function adminQuery(sql: string, params: unknown[] = [], serverUrl = testServerUrl()): Promise<pg.QueryResult> {
  if (!serverUrl) throw new Error('no PostgreSQL test server (BASTIDE_TEST_DATABASE_URL)');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` on the test server, owned by the owner role (a superuser creates it for a
 * non-superuser owner, as in docs/deployment.md §3), and returns the owner's URL for it.
 */
export async function createServerDatabase(name: string, ownerUrl = testOwnerUrl()!, template?: string): Promise<string> {
  const owner = decodeURIComponent(new URL(ownerUrl).username);
  await adminQuery(
    `create database ${name}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}${owner ? ` owner ${pg.escapeIdentifier(owner)}` : ''}`,
  );
  return databaseUrlOn(ownerUrl, name);
}

/**
 * The migrated template database on the test server, built once per set of migrations (its name carries
 * their stamp) and cloned by `create database … template` for each test file: a copy takes a fraction of
 * a second where running every migration took seconds per file. Built under a temporary name and renamed
 * when complete, under an advisory lock, so that test files starting together build it once and never
 * clone a half-migrated one. One per owner role too: the objects of a clone belong to the template's
 * owner (the superuser-owner run of .ci/run must not get the non-superuser's). Templates of earlier
 * migration sets are dropped when a new one is built (unless a clone is under way from them).
 */
export async function ensureServerTemplate(): Promise<string> {
  const owner = createHash('sha256').update(new URL(testOwnerUrl()!).username).digest('hex').slice(0, 6);
  const name = `bastide_tpl_${templateStamp()}_${owner}`;
  const exists = async () => ((await adminQuery('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
  if (await exists()) return name;
  const serverUrl = testServerUrl()!;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('bastide test template'))`);
    if (await exists()) return name;
    const building = `${name}_b${randomBytes(3).toString('hex')}`;
    const url = await createServerDatabase(building);
    const db = await openPostgres(url, { max: 2 });
    try {
      await migrate(db, migrationFolders);
    } finally {
      await db.close();
    }
    await client.query(`alter database ${pg.escapeIdentifier(building)} rename to ${pg.escapeIdentifier(name)}`);
    const old = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'bastide\\_tpl\\_%' and datname <> $1`, [name]);
    for (const { datname } of old.rows) await client.query(`drop database if exists ${pg.escapeIdentifier(datname)}`).catch(() => {});
    return name;
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  db: Database;
  /** A data folder for files and mail of this test. */
  dataDir: string;
  /** Set when the engine is PostgreSQL: the URL of this test's own database. */
  databaseUrl: string | null;
  engine: 'pglite' | 'postgresql';
  cleanup(): Promise<void>;
}

/** Names and contents of the migrations: an edited migration gives another template. */
function templateStamp(): string {
  const hash = createHash('sha256');
  for (const m of collectMigrations(migrationFolders)) hash.update(m.name).update('\0').update(readFileSync(m.path)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the migrated PGlite template once per set of migrations (scripts/test.ts calls it before the
 * suite). Each set has its own folder, so a rebuild never removes a template another test run is copying.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const stamp = templateStamp();
  const folder = join(TEMPLATE_DIR, stamp);
  const dbDir = join(folder, 'db');
  const stampFile = join(folder, 'stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return dbDir;
  mkdirSync(folder, { recursive: true });
  const lock = join(folder, 'building.lock');
  let fd: number | null = null;
  for (let i = 0; i < 600 && fd === null; i++) {
    try {
      fd = openSync(lock, 'wx');
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return dbDir;
    }
  }
  try {
    rmSync(dbDir, { recursive: true, force: true });
    const db = await openPglite(dbDir);
    await migrate(db, migrationFolders);
    await db.close();
    writeFileSync(stampFile, stamp);
  } finally {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(lock);
    } catch {
      /* gone */
    }
  }
  return dbDir;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastide-test-'));
  const serverUrl = testServerUrl();
  if (serverUrl) {
    const name = `bastide_t_${randomBytes(6).toString('hex')}`;
    const databaseUrl = await createServerDatabase(name, testOwnerUrl()!, await ensureServerTemplate());
    const db = await openPostgres(databaseUrl, { max: 10 });
    // Nothing to apply on a copy of the template: the ledger is checked, as at every start.
    await migrate(db, migrationFolders);
    return {
      db,
      dataDir,
      databaseUrl,
      engine: 'postgresql',
      async cleanup() {
        await db.close();
        await adminQuery(`drop database if exists ${name} with (force)`);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const template = await ensurePgliteTemplate();
  const dbDir = join(dataDir, 'db');
  cpSync(template, dbDir, { recursive: true });
  // The copy keeps the template's modes; a server refuses a folder open to others (data-folder.ts).
  removeOthersAccess(dbDir);
  const db = await openPglite(dbDir);
  await migrate(db, migrationFolders);
  return {
    db,
    dataDir,
    databaseUrl: null,
    engine: 'pglite',
    async cleanup() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

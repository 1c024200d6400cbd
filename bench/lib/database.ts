// A fresh, migrated database for one benchmark run, on the engine under test: a PGlite data folder
// (copied from the migrated test template, which takes milliseconds instead of an initdb) or a new
// database on the PostgreSQL server. `env` is what a server process needs to open the same database.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database, Engine } from '../../src/core/db/database.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { removeOthersAccess } from '../../src/core/db/data-folder.ts';
import { parseEmbeddedDurable } from '../../src/config.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { migrationFolders } from '../../src/modules.ts';
import { acquireFolderLock } from '../../src/core/db/lock.ts';
import { ensurePgliteTemplate } from '../../test/helpers/database.ts';

export interface BenchDatabase {
  engine: Engine;
  dataDir: string;
  databaseUrl: string | null;
  /** Environment for a server process on this database. */
  env: Record<string, string>;
  /** Opens the database in this process (PGlite: only while no server holds the folder). */
  open(options?: { max?: number }): Promise<Database & { release(): Promise<void> }>;
  drop(): Promise<void>;
}

export async function adminQuery(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new database. With `name` (PostgreSQL): that database, reused when `keep` and recreated otherwise, and
 * never dropped at the end (a cache of generated data between runs). With `ownerUrl` (PostgreSQL), the
 * database belongs to that URL's role and is used through it (a non-superuser owner, as in production).
 */
export async function freshDatabase(
  engine: Engine,
  serverUrl: string,
  options: { name?: string; keep?: boolean; ownerUrl?: string } = {},
): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastide-bench-'));
  if (engine === 'postgresql') {
    const name = options.name ?? `bastide_bench_${randomBytes(5).toString('hex')}`;
    const exists = (await adminQuery(serverUrl, `select 1 from pg_database where datname = '${name}'`)).rowCount! > 0;
    if (exists && !options.keep) await adminQuery(serverUrl, `drop database ${name} with (force)`);
    const owner = options.ownerUrl ? decodeURIComponent(new URL(options.ownerUrl).username) : '';
    if (!exists || !options.keep) await adminQuery(serverUrl, `create database ${name}${owner ? ` owner ${pg.escapeIdentifier(owner)}` : ''}`);
    const databaseUrl = databaseUrlFor(options.ownerUrl ?? serverUrl, name);
    const bench: BenchDatabase = {
      engine,
      dataDir,
      databaseUrl,
      env: { BASTIDE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
      async open(o = {}) {
        const db = await openPostgres(databaseUrl, { max: o.max ?? 10 });
        await migrate(db, migrationFolders);
        return Object.assign(db, { release: () => db.close() });
      },
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
        if (!options.name) await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      },
    };
    return bench;
  }
  cpSync(await ensurePgliteTemplate(), join(dataDir, 'db'), { recursive: true });
  removeOthersAccess(join(dataDir, 'db'));
  return {
    engine,
    dataDir,
    databaseUrl: null,
    env: { BASTIDE_DATA_DIR: dataDir },
    async open() {
      const unlock = acquireFolderLock(dataDir);
      // Durable or not as the server will be (BASTIDE_EMBEDDED_DURABLE), so that the limit is comparable.
      const db = await openPglite(join(dataDir, 'db'), { durable: parseEmbeddedDurable(process.env) });
      await migrate(db, migrationFolders);
      return Object.assign(db, {
        async release() {
          await db.close();
          unlock();
        },
      });
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

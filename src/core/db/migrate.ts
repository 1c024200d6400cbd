// Ordered SQL migrations from `migrations/`, applied by the schema owner, each in its own transaction,
// on PGlite and PostgreSQL alike. An advisory lock keeps two starting servers from racing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export function listMigrations(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
}

export async function pendingMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await db.ownerTransaction(async (tx) => {
    const exists = await tx.one(`select to_regclass('public.schema_migrations') as t`);
    if (!exists?.t) return new Set<string>();
    return new Set((await tx.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
  });
  return listMigrations(dir).filter((name) => !applied.has(name));
}

export async function migrate(db: Database, dir = MIGRATIONS_DIR, onApplied?: (name: string) => void): Promise<string[]> {
  await db.exec(`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`);
  const done: string[] = [];
  for (const name of listMigrations(dir)) {
    const applied = await db.ownerTransaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(4242001)`);
      if (await tx.one('select 1 from schema_migrations where name = $1', [name])) return false;
      const sql = readFileSync(join(dir, name), 'utf8');
      try {
        await tx.script(sql);
      } catch (error) {
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      await tx.query('insert into schema_migrations (name) values ($1)', [name]);
      return true;
    });
    if (applied) {
      done.push(name);
      onApplied?.(name);
    }
  }
  return done;
}

// Runs the real `bastide` CLI in child processes against a fresh installation of the engine under test
// (a data folder holding a migrated PGlite copy, or a new PostgreSQL database), and opens that database
// in the test process between commands to set up or check state.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../src/core/db/database.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { createTestDatabase } from '../helpers/database.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const MAIN = join(ROOT, 'src', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Installation {
  engine: 'pglite' | 'postgresql';
  dataDir: string;
  databaseUrl: string | null;
  env: NodeJS.ProcessEnv;
  /** Runs `bastide <args>` to completion. */
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  /** Starts a long-running `bastide <args>` (serve). */
  start(args: string[], extraEnv?: Record<string, string>): ChildProcess;
  /** Opens the database in this process for the duration of fn (never while a CLI process holds PGlite). */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export async function freshInstallation(): Promise<Installation> {
  const t = await createTestDatabase();
  // The test process lets go of the database: the CLI processes open it themselves.
  const close = t.db.close.bind(t.db);
  let closed = false;
  t.db.close = async () => {
    if (!closed) {
      closed = true;
      await close();
    }
  };
  await t.db.close();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    BASTIDE_DATA_DIR: t.dataDir,
    BASTIDE_SEED_DEMO: '0',
    LOG_LEVEL: 'silent',
    PORT: '0',
  };
  delete env.DATABASE_URL;
  if (t.databaseUrl) env.DATABASE_URL = t.databaseUrl;
  const start = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawn(NODE, [MAIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    engine: t.engine,
    dataDir: t.dataDir,
    databaseUrl: t.databaseUrl,
    env,
    start,
    run(args, extraEnv) {
      const child = start(args, extraEnv);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    async withDb(fn) {
      const db = t.databaseUrl ? await openPostgres(t.databaseUrl, { max: 2 }) : await openPglite(join(t.dataDir, 'db'));
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async cleanup() {
      await t.cleanup();
      rmSync(t.dataDir, { recursive: true, force: true });
    },
  };
}

/** The lines a command wrote, without the empty last one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

// pg_dump / pg_restore / psql, the PostgreSQL client tools, for backups of a PostgreSQL installation.
// The password travels in the environment (PGPASSWORD), never on a command line visible in `ps`.
import { spawn, type ChildProcess } from 'node:child_process';

export class ToolMissingError extends Error {}

export function connectionFor(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** Starts a client tool; a missing binary becomes one clear error. */
export function startTool(tool: string, args: string[], env: NodeJS.ProcessEnv, stdio: Array<'pipe' | 'ignore' | 'inherit'>): ChildProcess {
  return spawn(tool, args, { env, stdio });
}

/** Waits for a tool to exit; rejects with its last stderr line on failure. */
export function finished(child: ChildProcess, tool: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new ToolMissingError(`${tool} was not found on PATH: install the PostgreSQL client tools (same major version as the server, or newer)`)
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim().split('\n').filter(Boolean).pop() ?? 'no message'}`));
    });
  });
}

export async function pgDump(databaseUrl: string, file: string): Promise<void> {
  const { dbname, env } = connectionFor(databaseUrl);
  const child = startTool('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${dbname}`], env, ['ignore', 'ignore', 'pipe']);
  await finished(child, 'pg_dump');
}

/**
 * Replaces the whole `public` schema with the dump's content in ONE transaction: pg_restore first renders
 * the dump as an SQL file (so a damaged dump fails before anything is touched), then psql drops the
 * schema and runs that file with --single-transaction, so that a failure leaves the database as it was.
 */
export async function pgRestore(databaseUrl: string, dumpFile: string, sqlFile: string): Promise<void> {
  const { dbname, env } = connectionFor(databaseUrl);
  await finished(startTool('pg_restore', ['--no-owner', `--file=${sqlFile}`, dumpFile], env, ['ignore', 'ignore', 'pipe']), 'pg_restore');
  await finished(
    startTool(
      'psql',
      [
        '--quiet',
        '--no-psqlrc',
        '--single-transaction',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        'drop schema public cascade',
        '-c',
        'create schema public',
        '-f',
        sqlFile,
        `--dbname=${dbname}`,
      ],
      env,
      ['ignore', 'ignore', 'pipe'],
    ),
    'psql',
  );
}

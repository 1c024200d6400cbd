// Command-line options shared by every benchmark: `npm run bench -- <name> [--quick] [--engine pglite|postgresql]`.
import type { Engine } from '../../src/core/db/database.ts';

export interface BenchOptions {
  name: string;
  quick: boolean;
  engine: Engine;
  /** Regenerate cached data sets (inbox) instead of reusing them. */
  fresh: boolean;
  /** Base URL of the PostgreSQL server used with --engine postgresql (a database is created per run). */
  serverUrl: string;
  /** Seconds of load for throughput benchmarks (overrides the default of the mode). */
  seconds: number | null;
}

export class UsageError extends Error {}

export function parseOptions(argv: string[], defaults: { engine?: Engine } = {}): BenchOptions {
  const rest = [...argv];
  let name = '';
  let quick = false;
  let fresh = false;
  let engine: Engine | null = null;
  let seconds: number | null = null;
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === '--quick') quick = true;
    else if (arg === '--fresh') fresh = true;
    else if (arg === '--engine' || arg.startsWith('--engine=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : rest.shift();
      if (value !== 'pglite' && value !== 'postgresql') throw new UsageError(`--engine must be pglite or postgresql, got "${value}"`);
      engine = value;
    } else if (arg === '--seconds' || arg.startsWith('--seconds=')) {
      const value = Number(arg.includes('=') ? arg.split('=')[1] : rest.shift());
      if (!Number.isFinite(value) || value <= 0) throw new UsageError('--seconds must be a positive number');
      seconds = value;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (!name) name = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  const serverUrl = process.env.BASTIDE_BENCH_DATABASE_URL || process.env.BASTIDE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  return { name, quick, fresh, engine: engine ?? defaults.engine ?? 'pglite', serverUrl, seconds };
}

// `npm run bench -- start|memory [--engine pglite|postgresql]`
// On an existing installation holding the demo data (seeded by `bastide seed demo`):
//   start:  wall time from spawning `node src/main.ts serve` to its first successful /healthz, against
//           the wall time of a bare process that only opens the same database and runs one query;
//   memory: resident memory of the idle server (after its start, jobs settled), against the resident
//           memory of that bare process holding the open database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase, type BenchDatabase } from './lib/database.ts';
import { startServerProcess } from './lib/server-process.ts';
import { latencyResult, progress, type BenchResult } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const IDLE_MS = 5000;

async function run(args: string[], env: Record<string, string>): Promise<{ ms: number; out: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} failed (${code}): ${out}`);
  return { ms: performance.now() - t0, out };
}

async function seeded(o: BenchOptions): Promise<BenchDatabase> {
  const bench = await freshDatabase(o.engine, o.serverUrl);
  progress('seeding the demo data (bastide seed demo)');
  await run(['src/main.ts', 'seed', 'demo'], { ...bench.env, NODE_ENV: 'development' });
  return bench;
}

/** Median of three, to smooth a shared machine. */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export async function startupBench(o: BenchOptions, name: 'start' | 'memory'): Promise<BenchResult> {
  const bench = await seeded(o);
  try {
    const serverFigures: Array<{ startMs: number; rss: number }> = [];
    const bareFigures: Array<{ ms: number; rss: number }> = [];
    for (let i = 0; i < 3; i++) {
      const bare = await run(['bench/lib/open-only.ts'], {
        ...bench.env,
        NODE_ENV: 'production',
        BASTIDE_BASE_URL: 'http://127.0.0.1',
        IDLE_MS: name === 'memory' ? String(IDLE_MS) : '0',
      });
      bareFigures.push({ ms: bare.ms - (name === 'memory' ? IDLE_MS : 0), rss: (JSON.parse(bare.out.trim().split('\n').pop()!) as { rssMiB: number }).rssMiB });
      const server = await startServerProcess({ env: bench.env });
      if (name === 'memory') await new Promise((r) => setTimeout(r, IDLE_MS));
      serverFigures.push({ startMs: server.startMs, rss: server.rssMiB() });
      await server.stop();
      progress(
        `run ${i + 1}: server ${server.startMs.toFixed(0)} ms to /healthz, RSS ${serverFigures[i]!.rss.toFixed(0)} MiB; ` +
          `database alone ${bareFigures[i]!.ms.toFixed(0)} ms, RSS ${bareFigures[i]!.rss.toFixed(0)} MiB`,
      );
    }
    if (name === 'start') return latencyResult('start', o.engine, median(serverFigures.map((f) => f.startMs)), median(bareFigures.map((f) => f.ms)), 'ms');
    const rss = median(serverFigures.map((f) => f.rss));
    const limit = median(bareFigures.map((f) => f.rss));
    return { ...latencyResult('memory', o.engine, rss, limit, 'MiB RSS') };
  } finally {
    await bench.drop();
  }
}

// Runs bench/load-worker.ts in a separate process and returns its JSON result (its last line).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../load-worker.ts', import.meta.url));

export async function runLoadWorker<T>(job: Record<string, unknown>): Promise<T> {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`load worker failed (exit ${code}): ${out.slice(-2000)}`);
  return JSON.parse(last) as T;
}

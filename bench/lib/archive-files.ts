// The files of the archive benchmarks: `count` objects of random bytes (as incompressible as the PDFs and
// scans archives hold) totalling about `mib` MiB, generated once into the temporary folder (--fresh to
// regenerate). BASTIDE_BENCH_ARCHIVE_MIB and BASTIDE_BENCH_ARCHIVE_OBJECTS set the size (default 1024 MiB
// in 10,000 objects; --quick: 100 MiB in 1,000).
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './options.ts';
import { progress } from './report.ts';

export interface ArchiveFiles {
  dir: string;
  files: string[];
  bytes: number;
}

export function archiveSize(o: BenchOptions): { mib: number; count: number } {
  const mib = Number(process.env.BASTIDE_BENCH_ARCHIVE_MIB) || (o.quick ? 100 : 1024);
  const count = Number(process.env.BASTIDE_BENCH_ARCHIVE_OBJECTS) || (o.quick ? 1000 : 10_000);
  return { mib, count };
}

export function archiveFiles(o: BenchOptions): ArchiveFiles {
  const { mib, count } = archiveSize(o);
  const dir = join(tmpdir(), `bastide-bench-archive-${mib}-${count}`);
  const size = Math.floor((mib * 1024 * 1024) / count);
  if (o.fresh || !existsSync(join(dir, 'done'))) {
    progress(`generating ${count.toLocaleString('en-GB')} objects of ${size.toLocaleString('en-GB')} bytes into ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const buf = Buffer.alloc(size);
    for (let i = 0; i < count; i++) {
      randomFillSync(buf);
      writeFileSync(join(dir, `${String(i).padStart(6, '0')}.bin`), buf);
    }
    writeFileSync(join(dir, 'done'), '');
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => join(dir, f));
  return { dir, files, bytes: files.length * size };
}

/** Runs a shell pipeline, returns its wall time in ms (refuses a failure). */
export async function timed(script: string, cwd: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn('sh', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} failed (${code}): ${err}`);
  return performance.now() - t0;
}

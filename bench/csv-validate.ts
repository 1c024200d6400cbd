// `npm run bench -- csv-validate [--quick] [--fresh]`
// A valid SCDL subventions file of 1,000,000 rows (100,000 with --quick; generated once into the temporary
// folder, --fresh to regenerate) validated by the catalogue's validator, against parsing the same file with
// csv-parse alone. Each side runs in its own process, three times alternately (the best time of each, to
// smooth a shared machine); the ratio is validation rows/s ÷ parsing rows/s (target ≥ 0.5), and the peak
// RSS of the validating process is reported beside it, and that of one more run with the heap capped at
// 32 MiB (which must succeed: the validator's memory does not grow with the file).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './lib/options.ts';
import { progress, round, throughputResult, type BenchResult } from './lib/report.ts';
import { writeSubventions } from './lib/generate-subventions.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Run {
  ms: number;
  rows: number;
  errors: number;
  peakRssMiB: number;
}

async function worker(mode: 'parse' | 'validate', file: string, nodeArgs: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, [...nodeArgs, 'bench/lib/csv-worker.ts', mode, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`csv-worker ${mode} failed (${code}): ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

export async function csvValidateBench(o: BenchOptions): Promise<BenchResult & { peak_rss_mib: number; capped_heap_peak_rss_mib: number; file_mib: number }> {
  const rows = o.quick ? 100_000 : 1_000_000;
  const dir = join(tmpdir(), 'bastide-bench-csv');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `subventions-${rows}.csv`);
  if (o.fresh || !existsSync(file)) {
    progress(`generating ${rows.toLocaleString('en-GB')} rows of SCDL subventions into ${file}`);
    await writeSubventions(`${file}.part`, rows);
    renameSync(`${file}.part`, file);
  }
  const mib = statSync(file).size / 1024 / 1024;
  progress(`${file}: ${mib.toFixed(0)} MiB`);
  const parse: Run[] = [];
  const validate: Run[] = [];
  for (let i = 0; i < 3; i++) {
    parse.push(await worker('parse', file));
    validate.push(await worker('validate', file));
    const p = parse[i]!;
    const v = validate[i]!;
    if (v.rows !== rows || v.errors !== 0) throw new Error(`the validator read ${v.rows} rows with ${v.errors} errors; expected ${rows} valid rows`);
    if (p.rows !== rows) throw new Error(`csv-parse read ${p.rows} rows; expected ${rows}`);
    progress(
      `run ${i + 1}: csv-parse ${(p.ms / 1000).toFixed(2)} s (${Math.round((rows / p.ms) * 1000).toLocaleString('en-GB')} rows/s, peak RSS ${p.peakRssMiB.toFixed(0)} MiB); ` +
        `validation ${(v.ms / 1000).toFixed(2)} s (${Math.round((rows / v.ms) * 1000).toLocaleString('en-GB')} rows/s, peak RSS ${v.peakRssMiB.toFixed(0)} MiB)`,
    );
  }
  // Memory is bounded, not merely unused: the same validation with the JavaScript heap capped at 32 MiB
  // (V8 otherwise lets the heap grow with the garbage of a fast loop, which the peak RSS above shows).
  const capped = await worker('validate', file, ['--max-old-space-size=32']);
  progress(`validation with the heap capped at 32 MiB: ${(capped.ms / 1000).toFixed(2)} s, peak RSS ${capped.peakRssMiB.toFixed(0)} MiB`);
  const best = (runs: Run[]) => Math.min(...runs.map((r) => r.ms));
  const result = throughputResult('csv-validate', o.engine, (rows / best(validate)) * 1000, (rows / best(parse)) * 1000, 'rows/s');
  return {
    ...result,
    peak_rss_mib: round(Math.max(...validate.map((v) => v.peakRssMiB)), 0),
    capped_heap_peak_rss_mib: round(capped.peakRssMiB, 0),
    file_mib: round(mib, 0),
  };
}

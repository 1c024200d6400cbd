// `npm run bench -- seda-export [--quick] [--fresh]`
// The SEDA 2.3 export of 1,000 archive units (100 with --quick), each with one 256 KiB object (random bytes,
// as incompressible as the PDFs archives hold; generated once into the temporary folder, --fresh to
// regenerate): the ArchiveTransfer zip (manifest streamed first, then each object, its size and SHA-512
// checked on the way) against zipping the same files with yazl alone, stored the same way. Each side runs in
// its own process, three times alternately (best time of each, to smooth a shared machine); the ratio is
// export MiB/s ÷ plain-zip MiB/s. Peak RSS of both is reported, and one more export with the JavaScript heap
// capped at 32 MiB must succeed: memory does not grow with the objects. The package written is checked:
// its manifest validates against the official XSDs.
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import { validateSedaXml } from '../src/modules/archives/seda/index.ts';
import type { BenchOptions } from './lib/options.ts';
import { progress, round, throughputResult, type BenchResult } from './lib/report.ts';
import type { BenchObject } from './lib/seda-worker.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OBJECT_BYTES = 256 * 1024;

interface Run {
  ms: number;
  bytes: number;
  peakRssMiB: number;
}

async function worker(mode: 'seda' | 'zip', dir: string, out: string, nodeArgs: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, [...nodeArgs, 'bench/lib/seda-worker.ts', mode, dir, out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seda-worker ${mode} failed (${code}): ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as Run;
}

function generate(dir: string, units: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const objects: BenchObject[] = [];
  const bytes = Buffer.alloc(OBJECT_BYTES);
  for (let i = 0; i < units; i++) {
    randomFillSync(bytes);
    const file = `${i}.bin`;
    writeFileSync(join(dir, file), bytes);
    objects.push({ file, size: bytes.length, sha512: createHash('sha512').update(bytes).digest('hex') });
  }
  writeFileSync(join(dir, 'objects.json'), JSON.stringify(objects));
}

async function manifestOf(zipPath: string): Promise<Buffer> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== 'manifest.xml') continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    zip.close();
    return Buffer.concat(chunks);
  }
  throw new Error('no manifest.xml in the export');
}

export async function sedaExportBench(
  o: BenchOptions,
): Promise<
  BenchResult & { units: number; mib: number; peak_rss_mib: number; zip_peak_rss_mib: number; capped_heap_peak_rss_mib: number; manifest_kib: number }
> {
  const units = o.quick ? 100 : 1000;
  const base = join(tmpdir(), 'bastide-bench-seda');
  const dir = join(base, `objects-${units}`);
  if (o.fresh || !existsSync(join(dir, 'objects.json'))) {
    progress(`generating ${units} objects of ${OBJECT_BYTES / 1024} KiB into ${dir}`);
    generate(dir, units);
  }
  const mib = (units * OBJECT_BYTES) / 1024 / 1024;
  const sedaOut = join(base, 'export.zip');
  const zipOut = join(base, 'plain.zip');
  const seda: Run[] = [];
  const zip: Run[] = [];
  for (let i = 0; i < 3; i++) {
    zip.push(await worker('zip', dir, zipOut));
    seda.push(await worker('seda', dir, sedaOut));
    const z = zip[i]!;
    const s = seda[i]!;
    progress(
      `run ${i + 1}: plain zip ${(z.ms / 1000).toFixed(2)} s (${((mib / z.ms) * 1000).toFixed(0)} MiB/s, peak RSS ${z.peakRssMiB.toFixed(0)} MiB); ` +
        `SEDA export ${(s.ms / 1000).toFixed(2)} s (${((mib / s.ms) * 1000).toFixed(0)} MiB/s, peak RSS ${s.peakRssMiB.toFixed(0)} MiB)`,
    );
  }
  const manifest = await manifestOf(sedaOut);
  const issues = validateSedaXml(manifest);
  if (issues.length) throw new Error(`the exported manifest does not validate: ${JSON.stringify(issues.slice(0, 3))}`);
  progress(`exported manifest: ${(manifest.length / 1024).toFixed(0)} KiB, valid against the SEDA 2.3 XSDs`);
  const capped = await worker('seda', dir, sedaOut, ['--max-old-space-size=32']);
  progress(`SEDA export with the heap capped at 32 MiB: ${(capped.ms / 1000).toFixed(2)} s, peak RSS ${capped.peakRssMiB.toFixed(0)} MiB`);
  const best = (runs: Run[]) => Math.min(...runs.map((r) => r.ms));
  const result = throughputResult('seda-export', o.engine, (mib / best(seda)) * 1000, (mib / best(zip)) * 1000, 'MiB/s');
  return {
    ...result,
    units,
    mib: round(mib, 0),
    peak_rss_mib: round(Math.max(...seda.map((r) => r.peakRssMiB)), 0),
    zip_peak_rss_mib: round(Math.max(...zip.map((r) => r.peakRssMiB)), 0),
    capped_heap_peak_rss_mib: round(capped.peakRssMiB, 0),
    manifest_kib: round(manifest.length / 1024, 0),
  };
}

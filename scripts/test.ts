// `npm test`: type-check, prepare the migrated PGlite template once, then every *.test.ts beside the code and
// in test/ (browser tests excluded: `npm run test:e2e`; the nginx cluster test too: `npm run test:cluster`).
// With BASTIDE_TEST_DATABASE_URL (or DATABASE_URL) set, the same tests run against that PostgreSQL server
// (as the owner of BASTIDE_TEST_OWNER_URL when set: test/helpers/database.ts).
//
// Each file runs in its own process (`node --test`), BASTIDE_TEST_JOBS at a time (2). The slowest files
// of the last run start first (their durations are kept in .test-template/durations-<engine>.json): started
// last, a one-minute file would leave one core idle at the end of the run. A file's output is printed in
// one piece when it ends, with its wall time; the slowest files are listed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { globSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensurePgliteTemplate, TEMPLATE_DIR, testServerUrl } from '../test/helpers/database.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

if (!args.includes('--no-typecheck')) {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
if (!testServerUrl()) await ensurePgliteTemplate();

// Files or folders may be named (`npm test -- src/modules/debates test/api.test.ts`): a folder stands for the
// test files under it. Without any, every test file except the browser and cluster tests.
const explicit = args.filter((a) => !a.startsWith('--'));
const isFolder = (path: string) => {
  try {
    return statSync(resolve(root, path)).isDirectory();
  } catch {
    return false;
  }
};
// The browser tour and the cluster test have their own commands; a folder above them leaves them out.
const ownCommand = (f: string) => f.startsWith('test/e2e/') || f.startsWith('test/cluster/');
const underFolder = (folder: string) => {
  const rel = relative(root, resolve(root, folder)) || '.';
  return globSync(`${rel}/**/*.test.ts`, { cwd: root })
    .filter((f) => !ownCommand(f) || rel.startsWith('test/e2e') || rel.startsWith('test/cluster'))
    .sort();
};
const files = explicit.length
  ? explicit.flatMap((a) => (isFolder(a) ? underFolder(a) : [a]))
  : globSync(['src/**/*.test.ts', 'test/**/*.test.ts'], { cwd: root })
      .filter((f) => !ownCommand(f))
      .sort();
if (files.length === 0) {
  console.error(`No test file under ${explicit.join(', ')}`);
  process.exit(2);
}
const engine = testServerUrl() ? 'PostgreSQL' : 'PGlite';
const jobs = Math.max(1, Number(process.env.BASTIDE_TEST_JOBS) || 2);

const durationsFile = join(TEMPLATE_DIR, `durations-${engine.toLowerCase()}.json`);
let known: Record<string, number> = {};
try {
  known = JSON.parse(readFileSync(durationsFile, 'utf8')) as Record<string, number>;
} catch {
  /* first run */
}
// Slowest first; a file never timed counts as slow (it may be).
const queue = [...files].sort((a, b) => (known[b] ?? 60) - (known[a] ?? 60) || a.localeCompare(b));

// Every test process, and every `bastide` process a CLI test starts (they inherit it), loads the same few
// hundred TypeScript files: Node's compile cache keeps their stripped and compiled code between processes
// (keyed by content, so an edited file is compiled again). Measured on the loaded machine (load 21–23):
// importing src/modules.ts took 4.5–6.7 s with it, 8.3–10.6 s without.
const env = { ...process.env, NODE_ENV: 'test', NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE || join(TEMPLATE_DIR, 'compile-cache') };

console.log(`Running ${files.length} test files on ${engine}, ${jobs} at a time`);
const started = performance.now();
const seconds: Record<string, number> = {};
const failed: string[] = [];

function runFile(file: string): Promise<void> {
  return new Promise((resolve) => {
    const begin = performance.now();
    const child = spawn(process.execPath, ['--test', '--test-isolation=none', '--test-reporter=spec', file], { cwd: root, env });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const took = (performance.now() - begin) / 1000;
      seconds[file] = took;
      if (code !== 0) failed.push(file);
      process.stdout.write(`\n${code === 0 ? '▶' : '✖'} ${file} (${took.toFixed(1)} s)\n${Buffer.concat(output).toString()}`);
      resolve();
    });
  });
}

await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  }),
);

const total = (performance.now() - started) / 1000;
mkdirSync(TEMPLATE_DIR, { recursive: true });
writeFileSync(durationsFile, JSON.stringify({ ...known, ...seconds }, null, 1));
const slowest = Object.entries(seconds)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15);
console.log(`\nSlowest files:\n${slowest.map(([f, s]) => `  ${s.toFixed(1).padStart(6)} s  ${f}`).join('\n')}`);
console.log(
  `\n${files.length} files on ${engine} in ${total.toFixed(1)} s; ${failed.length ? `${failed.length} failed:\n  ${failed.join('\n  ')}` : 'all passed'}`,
);
process.exit(failed.length ? 1 : 0);

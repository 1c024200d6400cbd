// `npm test`: type-check, prepare the migrated PGlite template once, then Node's test runner over every
// *.test.ts beside the code and in test/ (browser tests excluded: `npm run test:e2e`; the nginx cluster test
// too: `npm run test:cluster`).
// With BASTIDE_TEST_DATABASE_URL (or DATABASE_URL) set, the same tests run against that PostgreSQL server
// (as the owner of BASTIDE_TEST_OWNER_URL when set: test/helpers/database.ts).
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { ensurePgliteTemplate, testServerUrl } from '../test/helpers/database.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

if (!args.includes('--no-typecheck')) {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
if (!testServerUrl()) await ensurePgliteTemplate();

const explicit = args.filter((a) => !a.startsWith('--'));
const files = explicit.length
  ? explicit
  : globSync(['src/**/*.test.ts', 'test/**/*.test.ts'], { cwd: root })
      .filter((f) => !f.startsWith('test/e2e/') && !f.startsWith('test/cluster/'))
      .sort();
const engine = testServerUrl() ? 'PostgreSQL' : 'PGlite';
console.log(`Running ${files.length} test files on ${engine}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(run.status ?? 1);

// `npm run bench -- <name> [--quick] [--engine pglite|postgresql] [--seconds N] [--fresh]`
// Runs one benchmark; progress lines first, then as the last line one JSON object
// {"bench","value","unit","limit","limit_unit","ratio","engine"} (ratio: higher is better).
import { parseOptions, UsageError, type BenchOptions } from './lib/options.ts';
import { printResult, type BenchResult } from './lib/report.ts';
import { submissionBench } from './submission.ts';
import { inboxBench } from './inbox.ts';
import { startupBench } from './startup.ts';
import { csvValidateBench } from './csv-validate.ts';
import { sedaExportBench } from './seda-export.ts';
import { dcatBench } from './dcat.ts';
import { tenantExportBench } from './tenant-export.ts';
import { tabularLoadBench } from './tabular-load.ts';
import { tabularBench } from './tabular.ts';
import { archiveIngestBench } from './archive-ingest.ts';
import { archiveAuditBench } from './archive-audit.ts';
import { fundingMatchBench } from './funding-match.ts';
import { networkViewBench } from './network-view.ts';
import { debatesPageBench, debatesPostBench } from './debates.ts';

const BENCHES: Record<string, { run: (o: BenchOptions) => Promise<BenchResult>; engine: 'pglite' | 'postgresql'; about: string }> = {
  submission: { run: submissionBench, engine: 'pglite', about: 'HTTP guest submissions (32 clients) vs. direct inserts' },
  inbox: { run: (o) => inboxBench(o, 'inbox'), engine: 'postgresql', about: 'p95 of one inbox page (1M dossiers of 2M) vs. the same SQL' },
  'inbox-search': { run: (o) => inboxBench(o, 'inbox-search'), engine: 'postgresql', about: 'p95 of a French full-text inbox search vs. the same SQL' },
  start: { run: (o) => startupBench(o, 'start'), engine: 'pglite', about: 'spawn to first /healthz on a demo installation vs. opening the database alone' },
  memory: { run: (o) => startupBench(o, 'memory'), engine: 'pglite', about: 'idle server RSS with the demo data vs. a process holding the open database' },
  'csv-validate': { run: csvValidateBench, engine: 'pglite', about: 'validation of a 1M-row SCDL subventions CSV vs. csv-parse alone (no database)' },
  tabular: { run: tabularBench, engine: 'postgresql', about: 'p95 of filtered, sorted pages of a 1M-row loaded resource through HTTP vs. the same SQL' },
  'tabular-load': { run: tabularLoadBench, engine: 'pglite', about: 'loading a 1M-row SCDL CSV through the tabular load job vs. a bare COPY of it' },
  dcat: {
    run: dcatBench,
    engine: 'pglite',
    about: 'DCAT-AP feeds of 10,000 datasets through HTTP: whole installation feed and p95 of a page vs. the same rows read alone',
  },
  'archive-ingest': {
    run: archiveIngestBench,
    engine: 'pglite',
    about: 'archives ingest of 1 GiB in 10,000 objects (two digests, format, store, one transaction) vs. sha256sum + sha512sum + cp of the same files',
  },
  'archive-audit': {
    run: archiveAuditBench,
    engine: 'pglite',
    about: 'full fixity audit (SHA-512) of 1 GiB in 10,000 archive objects vs. sha512sum over the same files',
  },
  'tenant-export': {
    run: tenantExportBench,
    engine: 'pglite',
    about: 'archive of a collectivité with 100,000 dossiers (bastide tenant export) vs. the same dossiers read alone; then its import, timed',
  },
  'funding-match': {
    run: fundingMatchBench,
    engine: 'pglite',
    about: "p95 of a project's ranked funding programmes (3,000 programmes, 1,000 projects) vs. the bare candidate SQL",
  },
  'network-view': {
    run: networkViewBench,
    engine: 'pglite',
    about: 'p95 of the network view of 500 members (12 published roadmap projects each) vs. the bare SQL reading the same projects',
  },
  'debates-post': {
    run: debatesPostBench,
    engine: 'postgresql',
    about: 'contributions posted through the debates action (16 at a time) vs. a direct INSERT of the same rows',
  },
  'debates-page': {
    run: debatesPageBench,
    engine: 'postgresql',
    about: 'p95 of a debate page with 50,000 contributions (filters, most supported, deeper pages) through HTTP vs. the same SQL',
  },
  'seda-export': {
    run: sedaExportBench,
    engine: 'pglite',
    about: 'SEDA 2.3 export of 1,000 units with objects (streamed) vs. a plain zip of the same files (no database)',
  },
};

function usage(): string {
  return [
    'usage: npm run bench -- <name> [--quick] [--engine pglite|postgresql] [--seconds N] [--fresh]',
    '',
    ...Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(14)} ${b.about} (default engine: ${b.engine})`),
  ].join('\n');
}

try {
  const first = parseOptions(process.argv.slice(2));
  const bench = BENCHES[first.name];
  if (!bench) throw new UsageError(first.name ? `unknown benchmark "${first.name}"` : 'which benchmark?');
  const options = parseOptions(process.argv.slice(2), { engine: bench.engine });
  const result = await bench.run(options);
  printResult(result);
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}\n\n${usage()}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}

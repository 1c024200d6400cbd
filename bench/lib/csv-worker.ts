// One side of the csv-validate benchmark, in its own process so that its peak memory is its own:
// `node bench/lib/csv-worker.ts parse|validate <file>` prints {ms, rows, errors, peakRssMiB}.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { CsvValidator, loadBundledSchema } from '../../src/modules/catalogue/validation/index.ts';

const [mode, file] = process.argv.slice(2);
const CHUNK = 1024 * 1024;
const t0 = performance.now();
let rows = 0;
let errors = 0;
if (mode === 'parse') {
  // csv-parse alone, the way it is meant to stream: no casting, records counted.
  const parser = createReadStream(file!, { highWaterMark: CHUNK }).pipe(parse({ bom: true }));
  parser.on('data', () => {
    rows++;
  });
  await new Promise((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  rows--; // the header
} else if (mode === 'validate') {
  const validator = new CsvValidator(loadBundledSchema('scdl-subventions'));
  for await (const chunk of createReadStream(file!, { highWaterMark: CHUNK })) validator.push(chunk as Buffer);
  const report = validator.end();
  rows = report.stats.rows;
  errors = report.stats.errorCount;
  if (!report.valid) console.error(JSON.stringify(report.errors.slice(0, 5)));
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rows, errors, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));

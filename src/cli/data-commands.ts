// `bastide data validate <file.csv> --schema <name|schema.json> [--format json] [--lang fr|en]` and
// `bastide data schemas`: the catalogue's validator offline. They read no configuration and open no
// database, so they run anywhere (a steward's laptop, a CI job) and beside a running server.
// Exit status: 0 valid, 1 invalid, 2 usage or schema error (unknown schema, schema that is not a Table
// Schema, unreadable file).
import { createReadStream, statSync } from 'node:fs';
import type { Command, CommanderError } from 'commander';
import { CsvValidator, listBundledSchemas, resolveSchema, SchemaError, type Locale, type ValidationReport } from '../modules/catalogue/validation/index.ts';
import { validateSpreadsheet } from '../modules/catalogue/spreadsheet/index.ts';
import { progressLine } from './output.ts';

const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
/** Files above this size show their progress on a terminal. */
const PROGRESS_BYTES = 8 * 1024 * 1024;

function usageError(message: string): void {
  process.stderr.write(`bastide: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}

const TEXT = {
  fr: {
    verdict: (r: ValidationReport) => (r.valid ? 'valide' : 'invalide'),
    summary: (r: ValidationReport) =>
      `${r.stats.errorCount} erreur(s), ${r.warnings.length} avertissement(s) ; ${r.stats.rows} ligne(s) de données, ${r.stats.encoding ?? '?'}, séparateur ${JSON.stringify(r.stats.delimiter)}`,
    warnings: 'Avertissements :',
    errors: 'Erreurs :',
    truncated: (kept: number, all: number) => `… ${all - kept} autre(s) erreur(s) non affichée(s) (--max-errors).`,
    where: (row: number | null, field: string | null) =>
      [row !== null ? `ligne ${row}` : 'table', field !== null ? `colonne ${field}` : ''].filter(Boolean).join(', '),
    value: 'valeur',
    progress: (rows: number, pct: number) => `validation : ${rows.toLocaleString('fr-FR')} lignes, ${pct} %`,
  },
  en: {
    verdict: (r: ValidationReport) => (r.valid ? 'valid' : 'invalid'),
    summary: (r: ValidationReport) =>
      `${r.stats.errorCount} error(s), ${r.warnings.length} warning(s); ${r.stats.rows} data row(s), ${r.stats.encoding ?? '?'}, delimiter ${JSON.stringify(r.stats.delimiter)}`,
    warnings: 'Warnings:',
    errors: 'Errors:',
    truncated: (kept: number, all: number) => `… ${all - kept} more error(s) not shown (--max-errors).`,
    where: (row: number | null, field: string | null) =>
      [row !== null ? `row ${row}` : 'table', field !== null ? `column ${field}` : ''].filter(Boolean).join(', '),
    value: 'value',
    progress: (rows: number, pct: number) => `validating: ${rows.toLocaleString('en-GB')} rows, ${pct}%`,
  },
};

function printText(file: string, schemaLabel: string, r: ValidationReport, locale: Locale): void {
  const t = TEXT[locale];
  const out: string[] = [`${file} (${schemaLabel}): ${t.verdict(r)}`, t.summary(r)];
  if (r.warnings.length) {
    out.push('', t.warnings);
    for (const w of r.warnings) out.push(`  - ${w.message}`);
  }
  if (r.errors.length) {
    out.push('', t.errors);
    for (const e of r.errors) {
      const value = e.value !== null && e.value !== '' ? ` [${t.value} ${JSON.stringify(e.value)}]` : '';
      out.push(`  - ${t.where(e.row, e.field)}${value}: ${e.code} — ${e.title}. ${e.message.replace(/\n+/g, ' ')}`);
    }
    if (r.stats.truncated) out.push(`  ${t.truncated(r.errors.length, r.stats.errorCount)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerDataCommands(program: Command): void {
  const data = program
    .command('data')
    .description('open data: validate CSV files against Table Schemas (opens no database)')
    // Usage mistakes exit with 2, as the validation's contract says (1 means "invalid file").
    .exitOverride((error: CommanderError) => {
      process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
    });

  data
    .command('validate')
    .argument('<file>', 'the CSV file to validate (or an .xlsx / .ods file: its first sheet)')
    .description(
      'validate a CSV file (or the first sheet of an XLSX or ODS file) against a bundled schema or a Table Schema file; exit 0 valid, 1 invalid, 2 usage or schema error',
    )
    .requiredOption('--schema <name|path>', 'a bundled schema name (see `bastide data schemas`) or a schema.json file')
    .option('--format <text|json>', 'output format', 'text')
    .option('--lang <fr|en>', 'language of the messages', 'fr')
    .option('--max-errors <n>', 'errors kept in the report (all are counted)', '1000')
    .action(async (file: string, o: { schema: string; format: string; lang: string; maxErrors: string }) => {
      if (o.format !== 'text' && o.format !== 'json') return usageError(`--format must be text or json, got "${o.format}"`);
      if (o.lang !== 'fr' && o.lang !== 'en') return usageError(`--lang must be fr or en, got "${o.lang}"`);
      const maxErrors = Number(o.maxErrors);
      if (!Number.isInteger(maxErrors) || maxErrors < 0) return usageError('--max-errors must be a whole number');
      let schema;
      try {
        schema = resolveSchema(o.schema);
      } catch (error) {
        if (error instanceof SchemaError) return usageError(error.message);
        throw error;
      }
      let size: number;
      try {
        const st = statSync(file);
        if (!st.isFile()) return usageError(`${file} is not a file`);
        size = st.size;
      } catch {
        return usageError(`cannot read ${file}`);
      }
      const locale: Locale = o.lang;
      const sheet = /\.(xlsx|ods)$/i.exec(file)?.[1]?.toLowerCase() as 'xlsx' | 'ods' | undefined;
      if (sheet) {
        // A spreadsheet is read whole (bounded: spreadsheet/limits.ts); its first sheet is validated as a CSV would be.
        const report = await validateSpreadsheet(createReadStream(file) as AsyncIterable<Uint8Array>, sheet, schema, { locale, maxErrors });
        if (o.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printText(file, schema.title ? `${o.schema}: ${schema.title}${schema.version ? ` ${schema.version}` : ''}` : o.schema, report, locale);
        if (!report.valid) process.exitCode = EXIT_INVALID;
        return;
      }
      const progress = size >= PROGRESS_BYTES ? progressLine() : { update: () => {}, done: () => {} };
      const validator = new CsvValidator(schema, {
        locale,
        maxErrors,
        onProgress: ({ bytes, rows }) => progress.update(TEXT[locale].progress(rows, Math.min(100, Math.floor((bytes / Math.max(size, 1)) * 100)))),
      });
      try {
        for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) validator.push(chunk as Buffer);
      } catch (error) {
        progress.done();
        return usageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const report = validator.end();
      progress.done();
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printText(file, schema.title ? `${o.schema}: ${schema.title}${schema.version ? ` ${schema.version}` : ''}` : o.schema, report, locale);
      if (!report.valid) process.exitCode = EXIT_INVALID;
    });

  data
    .command('schemas')
    .description('list the bundled Table Schemas (name, title, version, fields, custom checks)')
    .option('--format <text|json>', 'output format', 'text')
    .action((o: { format: string }) => {
      if (o.format !== 'text' && o.format !== 'json') return usageError(`--format must be text or json, got "${o.format}"`);
      const schemas = listBundledSchemas();
      if (o.format === 'json') {
        process.stdout.write(`${JSON.stringify(schemas, null, 2)}\n`);
        return;
      }
      for (const s of schemas) {
        process.stdout.write(`${[s.name, s.title ?? '', s.version ?? '', `${s.fields} fields`, s.customChecks.join(',')].join('\t')}\n`);
      }
    });
}

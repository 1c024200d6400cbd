// XLSX and ODS resources: the first sheet read as rows, validated like a CSV (the same validator, so the same
// report and error codes; the sheet's row numbers are the report's) and previewed on the dataset page.
// Bastide's own bounded reader on two well-kept libraries — yauzl (zip) and saxes (XML, no DTD) — rather
// than a general spreadsheet library: every byte comes from someone who may be hostile, and the bounds
// (limits.ts) are what matter. See docs/catalogue.md §3.1.
import { CsvValidator, SourceError, type CompiledSchema, type ValidateOptions, type ValidationReport } from '../validation/index.ts';
import { DEFAULT_LIMITS, type SheetLimits } from './limits.ts';
import { odsRows } from './ods.ts';
import { xlsxRows } from './xlsx.ts';
import { openZip } from './zip.ts';

export { DEFAULT_LIMITS, type SheetLimits } from './limits.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ODS_TYPE = 'application/vnd.oasis.opendocument.spreadsheet';

export type SpreadsheetFormat = 'xlsx' | 'ods';

export function spreadsheetFormat(contentType: string): SpreadsheetFormat | null {
  return contentType === XLSX_TYPE ? 'xlsx' : contentType === ODS_TYPE ? 'ods' : null;
}

/** Reads a whole (bounded) stream into memory: a zip is read from its central directory, at its end. */
export async function readBounded(source: AsyncIterable<Uint8Array> | Uint8Array, limits: SheetLimits = DEFAULT_LIMITS): Promise<Buffer> {
  if (source instanceof Uint8Array) {
    if (source.length > limits.fileBytes) throw tooLarge(limits);
    return Buffer.from(source.buffer, source.byteOffset, source.length);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limits.fileBytes) throw tooLarge(limits);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limits: SheetLimits): SourceError {
  return new SourceError('source-error.spreadsheet-file-too-large', { limit: `${Math.round(limits.fileBytes / 1024 / 1024)} Mo` });
}

/** The first sheet's rows, in batches; a blank row is an empty array. Throws SourceError. */
export async function* sheetRows(bytes: Buffer, format: SpreadsheetFormat, limits: SheetLimits = DEFAULT_LIMITS): AsyncGenerator<string[][]> {
  const parts = await openZip(bytes, format.toUpperCase(), limits);
  try {
    yield* format === 'xlsx' ? xlsxRows(parts, limits) : odsRows(parts, limits);
  } finally {
    parts.close();
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The rows as CSV text, one record per sheet row: a blank row is `""` (one empty cell: a blank row for the
 * validator), data rows are padded to the header's width (an empty cell in a sheet is a missing value, not
 * a missing cell, as frictionless reads spreadsheets).
 */
export async function* sheetCsv(rows: AsyncIterable<string[][]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let width = -1;
  for await (const batch of rows) {
    let text = '';
    for (const row of batch) {
      if (width < 0) width = row.length;
      if (row.length === 0) {
        text += '""\n';
        continue;
      }
      let line = csvField(row[0]!);
      for (let i = 1; i < Math.max(width, row.length); i++) line += `,${csvField(row[i] ?? '')}`;
      text += `${line}\n`;
    }
    yield encoder.encode(text);
  }
}

/** Validates a spreadsheet's first sheet against a schema: the CSV validator's report, `stats.format` set. */
export async function validateSpreadsheet(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  format: SpreadsheetFormat,
  schema: CompiledSchema,
  options: ValidateOptions = {},
  limits: SheetLimits = DEFAULT_LIMITS,
): Promise<ValidationReport> {
  const validator = new CsvValidator(schema, { ...options, delimiter: ',' });
  try {
    const bytes = await readBounded(source, limits);
    for await (const chunk of sheetCsv(sheetRows(bytes, format, limits))) validator.push(chunk);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    validator.abort(error);
  }
  const report = validator.end();
  report.stats.format = format;
  return report;
}

/** The header and first rows of the first sheet (preview.ts), or null when the sheet cannot be read. */
export async function spreadsheetPreview(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  format: SpreadsheetFormat,
  maxRows: number,
  maxColumns: number,
  limits: SheetLimits = DEFAULT_LIMITS,
): Promise<{ header: string[]; rows: string[][] } | null> {
  const records: string[][] = [];
  try {
    const bytes = await readBounded(source, limits);
    const rows = sheetRows(bytes, format, limits);
    for await (const batch of rows) {
      for (const row of batch) if (row.some((v) => v !== '')) records.push(row.slice(0, maxColumns));
      if (records.length > maxRows) {
        await rows.return(undefined);
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
  }
  const [header, ...rest] = records;
  if (!header) return null;
  return { header, rows: rest.slice(0, maxRows).map((r) => header.map((_, i) => r[i] ?? '')) };
}

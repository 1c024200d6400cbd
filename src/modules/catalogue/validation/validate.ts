// Validation of a CSV file against a Table Schema, as Validata does it, streaming: bytes go in by chunks
// (push), the report comes out at the end. Memory does not grow with the file: one record at a time (at
// most DEFAULT_MAX_RECORD_CHARS), uniqueness in bounded hash tables (hashset.ts), and only the first
// `maxErrors` errors kept in the report (all are counted, by code).
//
// What Validata does and this does too: columns matched by header name (case-sensitive), optional columns
// may be absent (a warning), extra columns are a warning and are not checked, a missing required column is
// an error; types, constraints and custom checks per cell; French messages. What it does better: the whole
// file is validated (Validata stops at 100,000 rows), a Windows-1252 file is read (with a warning), every
// message is in French.
import { CsvReader, CsvSyntaxError, DEFAULT_MAX_RECORD_CHARS, sniffDelimiter } from './csv.ts';
import { DecodeError, StreamDecoder } from './decode.ts';
import { BoundedHashSet, DEFAULT_UNIQUE_CAPACITY } from './hashset.ts';
import { message, pyRepr, title, type Locale, type Params } from './messages.ts';
import { setupChecks, type ActiveCheck, type CheckFinding, type RowView } from './checks.ts';
import { valueKey, type CompiledField, type CompiledSchema } from './schema.ts';
import { INVALID } from './types.ts';

/**
 * A source that cannot be read further, named by a message key of messages.ts (`source-error.*`): the
 * spreadsheet reader throws it for a zip bomb, an XML entity, a sheet over its caps (spreadsheet/).
 */
export class SourceError extends Error {
  readonly key: string;
  readonly params: Params;
  constructor(key: string, params: Params = {}) {
    super(key);
    this.key = key;
    this.params = params;
  }
}

export interface ReportError {
  code: string;
  /** Position of the record in the file, the header being 1 (as Validata counts); null for the whole table. */
  row: number | null;
  field: string | null;
  /** Column position in the file, from 1, when known. */
  column: number | null;
  value: string | null;
  title: string;
  message: string;
  /** For constraint-error: which constraint (required, pattern, enum…). */
  constraint?: string;
}

export interface ReportWarning {
  code: string;
  field: string | null;
  title: string;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  schema: { name: string | null; title: string | null; version: string | null };
  stats: {
    /** Data rows read (the header not counted). */
    rows: number;
    bytes: number;
    encoding: string | null;
    bom: boolean;
    delimiter: string | null;
    columns: number;
    /** All errors found; `errors` holds the first `maxErrors` of them. */
    errorCount: number;
    errorsByCode: Record<string, number>;
    truncated: boolean;
    warningCount: number;
    /** Set when the rows came from a spreadsheet's first sheet (spreadsheet/): rows are the sheet's rows. */
    format?: 'xlsx' | 'ods';
  };
  warnings: ReportWarning[];
  errors: ReportError[];
}

export interface ValidateOptions {
  locale?: Locale;
  /** Errors kept in the report (all are counted). */
  maxErrors?: number;
  /** Distinct values remembered per unique column or primary key. */
  uniqueCapacity?: number;
  maxRecordChars?: number;
  /** Forces the delimiter instead of detecting it. */
  delimiter?: string;
  /** Called now and then while reading (every 65,536 rows). */
  onProgress?: (progress: { bytes: number; rows: number }) => void;
}

const SNIFF_CHARS = 65536;
const PROGRESS_EVERY = 65536;

interface Column {
  field: CompiledField;
  /** Position in the file, from 0. */
  position: number;
  unique: BoundedHashSet | null;
}

export class CsvValidator {
  private readonly schema: CompiledSchema;
  private readonly locale: Locale;
  private readonly maxErrors: number;
  private readonly uniqueCapacity: number;
  private readonly maxRecordChars: number;
  private readonly forcedDelimiter: string | undefined;
  private readonly onProgress: ValidateOptions['onProgress'];
  private readonly decoder = new StreamDecoder();
  private reader: CsvReader | null = null;
  private sample = '';
  private delimiter: string | null = null;
  private stopped = false;
  private finished: ValidationReport | null = null;

  private readonly errors: ReportError[] = [];
  private readonly warnings: ReportWarning[] = [];
  private errorCount = 0;
  private readonly errorsByCode: Record<string, number> = {};
  private rows = 0;
  private labels: string[] = [];
  private columns: Column[] = [];
  private checks: ActiveCheck[] = [];
  private primaryKey: { fields: CompiledField[]; set: BoundedHashSet } | null = null;
  /** Typed values and texts of the current row, by schema field index (for custom checks and keys). */
  private readonly values: unknown[];
  private readonly texts: (string | null)[];
  private readonly view: RowView;
  private readonly findings: CheckFinding[] = [];
  /** missingValues is the default [""]: a comparison instead of a set lookup per cell. */
  private readonly onlyEmptyMissing: boolean;
  private readonly onRecord = (cells: string[], record: number, line: number) => this.record(cells, record, line);

  constructor(schema: CompiledSchema, options: ValidateOptions = {}) {
    this.schema = schema;
    this.locale = options.locale ?? 'fr';
    this.maxErrors = options.maxErrors ?? 1000;
    this.uniqueCapacity = options.uniqueCapacity ?? DEFAULT_UNIQUE_CAPACITY;
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    this.forcedDelimiter = options.delimiter;
    this.onProgress = options.onProgress;
    this.onlyEmptyMissing = schema.missingValues.size === 1 && schema.missingValues.has('');
    this.values = new Array(schema.fields.length).fill(null);
    this.texts = new Array<string | null>(schema.fields.length).fill(null);
    const byName = schema.byName;
    this.view = {
      value: (name) => {
        const f = byName.get(name);
        return f ? this.values[f.index] : null;
      },
      text: (name) => {
        const f = byName.get(name);
        return f ? (this.texts[f.index] ?? null) : null;
      },
    };
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    try {
      const text = this.decoder.push(chunk);
      if (text) this.text(text, false);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Stops reading: the rows pushed so far are checked, then the source error is reported. */
  abort(error: SourceError): void {
    if (this.stopped) return;
    try {
      this.text(this.decoder.end(), true);
      this.reader!.end(this.onRecord);
    } catch (e) {
      this.fail(e);
    }
    this.stopped = true;
    this.add('source-error', error.key, error.params, null, null, null, null);
  }

  end(): ValidationReport {
    if (this.finished) return this.finished;
    if (!this.stopped) {
      try {
        const text = this.decoder.end();
        this.text(text, true);
        this.reader!.end(this.onRecord);
        if (this.reader!.records === 0) this.add('source-error', 'source-error.empty', {}, null, null, null, null);
      } catch (error) {
        this.fail(error);
      }
    }
    if (this.decoder.fellBack) this.warn('encoding-warn', { encoding: 'Windows-1252' }, null);
    for (const c of this.columns) {
      if (c.unique?.full) this.warn('unique-capacity-warn', { what: `la colonne \`${c.field.name}\``, limit: this.uniqueCapacity }, c.field.name);
    }
    if (this.primaryKey?.set.full) this.warn('unique-capacity-warn', { what: 'la clé primaire', limit: this.uniqueCapacity }, null);
    this.finished = {
      valid: this.errorCount === 0,
      schema: { name: this.schema.name, title: this.schema.title, version: this.schema.version },
      stats: {
        rows: this.rows,
        bytes: this.decoder.bytes,
        encoding: this.decoder.encoding,
        bom: this.decoder.bom,
        delimiter: this.delimiter,
        columns: this.labels.length,
        errorCount: this.errorCount,
        errorsByCode: this.errorsByCode,
        truncated: this.errorCount > this.errors.length,
        warningCount: this.warnings.length,
      },
      warnings: this.warnings,
      errors: this.errors,
    };
    return this.finished;
  }

  private text(text: string, final: boolean): void {
    if (!this.reader) {
      // The first lines decide the delimiter.
      this.sample += text;
      if (!final && this.sample.length < SNIFF_CHARS) return;
      this.delimiter =
        this.forcedDelimiter ??
        sniffDelimiter(
          this.sample,
          this.schema.fields.map((f) => f.name),
        );
      this.reader = new CsvReader(this.delimiter, this.maxRecordChars);
      text = this.sample;
      this.sample = '';
    }
    if (text) this.reader.push(text, this.onRecord);
  }

  private fail(error: unknown): void {
    this.stopped = true;
    if (error instanceof CsvSyntaxError) {
      if (error.kind === 'unterminated-quote') this.add('source-error', 'source-error.unterminated-quote', { line: error.line }, null, null, null, null);
      else this.add('source-error', 'source-error.record-too-large', { line: error.line, limit: this.maxRecordChars }, null, null, null, null);
    } else if (error instanceof DecodeError) {
      if (error.kind === 'binary') this.add('source-error', 'source-error.binary', {}, null, null, null, null);
      else this.add('encoding-error', 'encoding-error.mixed', { offset: this.decoder.bytes }, null, null, null, null);
    } else {
      throw error;
    }
  }

  private add(
    code: string,
    key: string,
    params: Params,
    row: number | null,
    field: string | null,
    column: number | null,
    value: string | null,
    constraint?: string,
  ): void {
    this.errorCount++;
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
    if (this.errors.length >= this.maxErrors) return;
    const error: ReportError = { code, row, field, column, value, title: title(key, this.locale), message: message(key, params, this.locale) };
    if (constraint) error.constraint = constraint;
    this.errors.push(error);
  }

  private warn(code: string, params: Params, field: string | null, key = code): void {
    this.warnings.push({ code, field, title: title(key, this.locale), message: message(key, params, this.locale) });
  }

  private record(cells: string[], record: number, _line: number): void {
    if (record === 1) {
      this.header(cells);
      return;
    }
    this.row(cells, record);
  }

  private header(cells: string[]): void {
    const labels = cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
    this.labels = labels;
    const schema = this.schema;
    const seen = new Map<string, number>();
    const present = new Set<string>();
    const unmatched: string[] = [];
    labels.forEach((label, i) => {
      if (label === '') {
        this.add('blank-label', 'blank-label', { position: i + 1 }, 1, null, i + 1, null);
        return;
      }
      const first = seen.get(label);
      if (first !== undefined) {
        this.add('duplicate-label', 'duplicate-label', { position: i + 1, label, first: first + 1 }, 1, label, i + 1, label);
        return;
      }
      seen.set(label, i);
      const field = schema.byName.get(label);
      if (field) {
        present.add(label);
        this.columns.push({ field, position: i, unique: field.unique ? new BoundedHashSet(this.uniqueCapacity) : null });
      } else {
        unmatched.push(label);
      }
    });
    // Validata's structure warnings and the missing required columns, in schema order.
    const lowerUnmatched = new Map(unmatched.map((l) => [l.toLowerCase(), l]));
    for (const f of schema.fields) {
      if (present.has(f.name)) continue;
      if (f.required) this.add('missing-label', 'missing-label', { field: f.name }, 1, f.name, null, null);
      else this.warn('missing-header-warn', { field: f.name }, f.name);
    }
    for (const label of unmatched) this.warn('extra-header-warn', { field: label }, label);
    for (const f of schema.fields) {
      const label = present.has(f.name) ? undefined : lowerUnmatched.get(f.name.toLowerCase());
      if (label) this.warn('header-case-warn', { label, field: f.name }, f.name);
    }
    const names = schema.fields.map((f) => f.name);
    const labelSet = new Set(labels);
    if (labelSet.size === names.length && names.every((n) => labelSet.has(n)) && labels.some((l, i) => l !== names[i])) {
      this.warn('disordered-header-warn', { order: `[${names.map(pyRepr).join(', ')}]` }, null);
    }
    const setup = setupChecks(schema.customChecks, present);
    this.checks = setup.checks;
    for (const f of setup.start) this.add(f.code, f.key, f.params, null, f.field, null, f.value);
    for (const name of setup.unknown) this.warn('unknown-check-warn', { name }, null);
    if (schema.primaryKey.length && schema.primaryKey.every((n) => present.has(n))) {
      this.primaryKey = { fields: schema.primaryKey.map((n) => schema.byName.get(n)!), set: new BoundedHashSet(this.uniqueCapacity) };
    }
  }

  private row(cells: string[], row: number): void {
    this.rows++;
    if (this.onProgress && this.rows % PROGRESS_EVERY === 0) this.onProgress({ bytes: this.decoder.bytes, rows: this.rows });
    const missing = this.schema.missingValues;
    if (cells.length === 0 || (missing.has(cells[0]!) && cells.every((c) => missing.has(c)))) {
      this.add('blank-row', 'blank-row', {}, row, null, null, null);
      return;
    }
    const width = this.labels.length;
    if (cells.length > width) {
      for (let i = width; i < cells.length; i++) this.add('extra-cell', 'extra-cell', {}, row, null, i + 1, cells[i]!);
    }
    const onlyEmptyMissing = this.onlyEmptyMissing;
    const values = this.values;
    const texts = this.texts;
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const f = col.field;
      const raw = cells[col.position];
      if (raw === undefined) {
        values[f.index] = null;
        texts[f.index] = null;
        this.add('missing-cell', 'missing-cell', { field: f.name }, row, f.name, col.position + 1, null);
        continue;
      }
      texts[f.index] = raw;
      if (onlyEmptyMissing ? raw === '' : missing.has(raw)) {
        values[f.index] = null;
        if (f.required) this.add('constraint-error', 'constraint-error.required', {}, row, f.name, col.position + 1, raw, 'required');
        continue;
      }
      const value = f.info.cast(raw);
      if (value === INVALID) {
        values[f.index] = null;
        const e = f.info.error(raw);
        this.add('type-error', e.key, e.params, row, f.name, col.position + 1, raw);
        continue;
      }
      values[f.index] = value;
      if (f.hasValueConstraints) {
        this.constraints(f, value, raw, row, col.position + 1);
      }
      if (col.unique) {
        const first = col.unique.add(valueKey(value), row);
        if (first) this.add('unique-error', 'unique-error', { first }, row, f.name, col.position + 1, raw, 'unique');
      }
    }
    if (this.checks.length) {
      const findings = this.findings;
      findings.length = 0;
      for (const check of this.checks) check.row(this.view, findings);
      for (const f of findings) {
        const column = f.field ? this.labels.indexOf(f.field) + 1 || null : null;
        this.add(f.code, f.key, f.params, row, f.field, column, f.value);
      }
    }
    if (this.primaryKey) {
      const parts: string[] = [];
      let complete = true;
      for (const f of this.primaryKey.fields) {
        const v = values[f.index];
        if (v === null) complete = false;
        parts.push(valueKey(v));
      }
      if (complete) {
        const first = this.primaryKey.set.add(parts.join('\u001f'), row);
        if (first)
          this.add('primary-key', 'primary-key', { fields: this.primaryKey.fields.map((f) => f.name).join(', '), first }, row, null, null, parts.join(', '));
      }
    }
  }

  private constraints(f: CompiledField, value: unknown, raw: string, row: number, column: number): void {
    if (f.minLength !== null || f.maxLength !== null) {
      // A string's length in code points is at most its UTF-16 length: count only when that can matter.
      const length =
        typeof value === 'string'
          ? f.minLength === null && value.length <= f.maxLength!
            ? 0
            : codePoints(value)
          : Array.isArray(value)
            ? value.length
            : typeof value === 'object' && value
              ? Object.keys(value).length
              : null;
      if (length !== null) {
        if (f.minLength !== null && length < f.minLength)
          this.add('constraint-error', 'constraint-error.minLength', { limit: f.minLength, length }, row, f.name, column, raw, 'minLength');
        if (f.maxLength !== null && length > f.maxLength)
          this.add('constraint-error', 'constraint-error.maxLength', { limit: f.maxLength, length }, row, f.name, column, raw, 'maxLength');
      }
    }
    if (f.minimum !== undefined && (f.minimumExclusive ? !((value as number) > (f.minimum as number)) : (value as number) < (f.minimum as number))) {
      this.add(
        'constraint-error',
        f.minimumExclusive ? 'constraint-error.exclusiveMinimum' : 'constraint-error.minimum',
        { limit: f.minimumText },
        row,
        f.name,
        column,
        raw,
        f.minimumExclusive ? 'exclusiveMinimum' : 'minimum',
      );
    }
    if (f.maximum !== undefined && (f.maximumExclusive ? !((value as number) < (f.maximum as number)) : (value as number) > (f.maximum as number))) {
      this.add(
        'constraint-error',
        f.maximumExclusive ? 'constraint-error.exclusiveMaximum' : 'constraint-error.maximum',
        { limit: f.maximumText },
        row,
        f.name,
        column,
        raw,
        f.maximumExclusive ? 'exclusiveMaximum' : 'maximum',
      );
    }
    if (f.pattern) {
      const ok = f.pattern.test(typeof value === 'string' ? value : raw);
      if (ok === false) {
        const d = f.descriptor;
        const params: Params = { pattern: f.pattern.source };
        if (typeof d.description === 'string') params.description = d.description;
        if (d.example !== undefined) params.example = typeof d.example === 'string' ? d.example : JSON.stringify(d.example);
        this.add('constraint-error', 'constraint-error.pattern', params, row, f.name, column, raw, 'pattern');
      }
    }
    if (f.enumKeys && !f.enumKeys.has(valueKey(value))) {
      const values = f.enumValues.length === 1 ? f.enumValues[0]! : f.enumValues.map((v) => `- ${v}`).join('\n');
      this.add('constraint-error', 'constraint-error.enum', { count: f.enumValues.length, values }, row, f.name, column, raw, 'enum');
    }
  }
}

/** Length in characters as Python counts them (code points, not UTF-16 units). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** Validates a whole source: bytes, text, or a stream of chunks. */
export async function validateCsv(
  source: Uint8Array | string | AsyncIterable<Uint8Array>,
  schema: CompiledSchema,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const validator = new CsvValidator(schema, options);
  if (typeof source === 'string') validator.push(new TextEncoder().encode(source));
  else if (source instanceof Uint8Array) validator.push(source);
  else for await (const chunk of source) validator.push(chunk);
  return validator.end();
}

// A streaming CSV reader (RFC 4180, read leniently as Python's csv module does, which Validata uses):
// text goes in by chunks, records come out through a callback. A line with no quote — nearly every line of
// a real file — is cut with indexOf and String.split, both native; only a record holding a quote takes the
// careful path. That is why it is faster than csv-parse (bench/csv-validate.ts measures both).
//
// Lenient like Python's reader: a quote inside an unquoted field is an ordinary character; text after a
// closing quote is kept (`"ab"c` reads `abc`); CRLF and LF end records, quoted ones are part of the value.
// Memory is bounded: a record longer than `maxRecordChars` (an unterminated quote swallowing the file, or a
// binary file) stops the reading with a CsvSyntaxError instead of growing without end.

export class CsvSyntaxError extends Error {
  readonly kind: 'unterminated-quote' | 'record-too-large';
  readonly line: number;
  constructor(kind: 'unterminated-quote' | 'record-too-large', line: number) {
    super(
      kind === 'unterminated-quote'
        ? `unterminated quote: the quoted field that starts on line ${line} is never closed`
        : `a record starting on line ${line} is too long (an unterminated quote?)`,
    );
    this.kind = kind;
    this.line = line;
  }
}

/** Called with each record's cells, its position (1 for the first record) and the file line it starts on. */
export type OnRecord = (cells: string[], record: number, line: number) => void;

export const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const NO_QUOTE = Number.MAX_SAFE_INTEGER;

export class CsvReader {
  private buf = '';
  private pos = 0;
  /** Position of the next quote at or after pos; -1 when unknown, NO_QUOTE when there is none. */
  private nextQuote = -1;
  private record = 0;
  private line = 1;
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly maxRecordChars: number;

  constructor(delimiter: string, maxRecordChars = DEFAULT_MAX_RECORD_CHARS) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new Error(`bad delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxRecordChars = maxRecordChars;
  }

  /** Records read so far. */
  get records(): number {
    return this.record;
  }

  push(text: string, onRecord: OnRecord): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.nextQuote = -1;
    this.run(onRecord, false);
    if (this.buf.length - this.pos > this.maxRecordChars) throw new CsvSyntaxError('record-too-large', this.line);
  }

  end(onRecord: OnRecord): void {
    this.run(onRecord, true);
    this.buf = '';
    this.pos = 0;
  }

  private run(onRecord: OnRecord, final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    const delim = this.delimiter;
    let pos = this.pos;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = len;
      }
      if (this.nextQuote < pos) {
        const q = buf.indexOf('"', pos);
        this.nextQuote = q === -1 ? NO_QUOTE : q;
      }
      if (this.nextQuote > nl) {
        // Fast path: a record on one line, without quotes.
        const end = nl > pos && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        const text = buf.slice(pos, end);
        this.record++;
        onRecord(text === '' ? [] : text.split(delim), this.record, this.line);
        this.line++;
        pos = nl + 1;
        continue;
      }
      const next = this.quotedRecord(pos, final, onRecord);
      if (next === -1) break;
      pos = next;
    }
    this.pos = pos;
  }

  /** Reads one record holding a quote from `start`; returns where the next begins, or -1 for more data. */
  private quotedRecord(start: number, final: boolean, onRecord: OnRecord): number {
    const buf = this.buf;
    const len = buf.length;
    const dc = this.delimiterCode;
    const cells: string[] = [];
    let i = start;
    let lines = 0;
    for (;;) {
      let value = '';
      let c = i < len ? buf.charCodeAt(i) : -1;
      if (c === QUOTE) {
        let j = i + 1;
        for (;;) {
          const k = buf.indexOf('"', j);
          if (k === -1 || (k + 1 >= len && !final)) {
            if (final) throw new CsvSyntaxError('unterminated-quote', this.line);
            return -1;
          }
          const part = buf.slice(j, k);
          value += part;
          lines += countLf(part);
          if (buf.charCodeAt(k + 1) === QUOTE) {
            value += '"';
            j = k + 2;
          } else {
            i = k + 1;
            break;
          }
        }
        c = i < len ? buf.charCodeAt(i) : -1;
      }
      // Unquoted text, or what follows a closing quote, up to the delimiter or the end of the line.
      let m = i;
      while (m < len) {
        c = buf.charCodeAt(m);
        if (c === dc || c === LF) break;
        m++;
      }
      if (m >= len && !final) return -1;
      let end = m;
      if ((m >= len || c === LF) && end > i && buf.charCodeAt(end - 1) === CR) end--;
      if (end > i) value += buf.slice(i, end);
      cells.push(value);
      if (m < len && c === dc) {
        i = m + 1;
        continue;
      }
      this.record++;
      onRecord(cells, this.record, this.line);
      this.line += lines + 1;
      return m + 1;
    }
  }
}

function countLf(text: string): number {
  let n = 0;
  let i = text.indexOf('\n');
  while (i !== -1) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The delimiter of a file, from its first lines: the one that splits the header into the most of the
 * schema's column names, then the one found the same number of times on every line (a comma inside an
 * address does not fool it), then the most frequent in the header; a comma when nothing tells.
 */
export function sniffDelimiter(sample: string, fieldNames: readonly string[] = []): string {
  const lines = firstLines(sample, 20);
  if (lines.length === 0) return ',';
  const names = new Set(fieldNames);
  let best: string = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const header = counts[0]!;
    if (header === 0) continue;
    const matches = lines[0]!.split(d).filter((h) => names.has(stripQuotes(h.replace(/^\uFEFF/, '').trim()))).length;
    const consistent = counts.every((n) => n === header) ? 1 : 0;
    const score = matches * 1e6 + consistent * 1e4 + Math.min(header, 9999);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function stripQuotes(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}

/** Complete lines of the sample (a quoted newline does not end a line), at most n. */
function firstLines(sample: string, n: number): string[] {
  const out: string[] = [];
  let inQuotes = false;
  let startAt = 0;
  for (let i = 0; i < sample.length && out.length < n; i++) {
    const c = sample.charCodeAt(i);
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) {
      out.push(sample.slice(startAt, i).replace(/\r$/, ''));
      startAt = i + 1;
    }
  }
  if (out.length < n && startAt < sample.length && !inQuotes) out.push(sample.slice(startAt));
  return out.filter((l) => l.length > 0);
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  const dc = d.charCodeAt(0);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === dc && !inQuotes) n++;
  }
  return n;
}

// The columns a load computes itself and COPYs beside the file's own: each record's `row_number` (its
// place in the file, from 1) and, for each number column, its `double precision` key n<i>. They were an
// identity and generated columns (a regular expression and a cast per cell, in the database): that made
// the COPY cost about twice a bare COPY of the same file. Here one pass over each piece's bytes, already in
// memory, puts `<row>,<key>,…,` before every record, and the database only parses numbers.
//
// A key is the cell normalised (the schema's group character removed, its decimal character made a
// point) when that text is a plain decimal number of at most 60 characters with at most a two-digit
// exponent (NUMBER_RE in columns.ts: such a cast can neither fail, overflow nor underflow), else null
// (an empty field, which COPY reads as NULL): exactly what the generated column computed. The text itself
// goes to the database, which reads it with the same float8 input function as the cast did.
// Fields are read as PostgreSQL's COPY (format csv) reads them: a quote toggles quoting anywhere in a
// field, a doubled quote inside quotes is a quote (which no number has), delimiters and line breaks
// inside quotes are text, and a carriage return before the line break ends the record.
import type { TabularColumn } from './columns.ts';
import { NUMBER_MAX_LENGTH, numberKey } from './columns.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const MAX_KEY = NUMBER_MAX_LENGTH;

interface KeyField {
  /** The field's place in the record, from 0. */
  field: number;
  /** The group character's bytes (removed), and the decimal character's (made a point), in UTF-8. */
  group: Uint8Array | null;
  decimal: Uint8Array | null;
}

export interface KeyPlan {
  delimiter: number;
  keys: KeyField[];
}

/** What the load computes for these columns (the number columns' keys, in the file's order), for UTF-8 bytes. */
export function keyPlan(columns: TabularColumn[], delimiter: string): KeyPlan {
  const utf8 = (char: string | undefined) => (char === undefined ? null : new TextEncoder().encode(char));
  const keys = columns.flatMap((c, field) => (c.kind === 'number' ? [{ field, group: utf8(c.groupChar), decimal: utf8(c.decimalChar) }] : []));
  return { delimiter: delimiter.charCodeAt(0), keys };
}

const WINDOWS_1252 = new TextDecoder('windows-1252');

/**
 * A piece of a Windows-1252 file as UTF-8, which COPY then reads as such: the embedded engine has no
 * encoding conversions (measured: `COPY … encoding 'WIN1252'` on PGlite 0.5 wrote no row and reported no
 * error), and the validator read the file with the same decoder.
 */
export function utf8Piece(bytes: Uint8Array): Uint8Array {
  return Buffer.from(WINDOWS_1252.decode(bytes));
}

/** The COPY's column list: what keyedPiece() puts before each record, then the file's columns. */
export function copyColumns(columns: TabularColumn[]): string[] {
  return ['row_number', ...columns.filter((c) => c.kind === 'number').map(numberKey), ...columns.map((c) => c.column)];
}

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/** Whether out[from, to) is a plain decimal number: ^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,2})?$ */
export function plainNumber(out: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (i < to && (out[i] === 0x2b || out[i] === 0x2d)) i++;
  const wholeFrom = i;
  while (i < to && isDigit(out[i]!)) i++;
  const whole = i - wholeFrom;
  if (i < to && out[i] === 0x2e) {
    i++;
    const fractionFrom = i;
    while (i < to && isDigit(out[i]!)) i++;
    if (whole === 0 && i === fractionFrom) return false;
  } else if (whole === 0) return false;
  if (i < to && (out[i] === 0x65 || out[i] === 0x45)) {
    i++;
    if (i < to && (out[i] === 0x2b || out[i] === 0x2d)) i++;
    const exponentFrom = i;
    while (i < to && isDigit(out[i]!)) i++;
    const exponent = i - exponentFrom;
    if (exponent < 1 || exponent > 2) return false;
  }
  return i === to;
}

function startsWith(src: Uint8Array, at: number, end: number, seq: Uint8Array): boolean {
  if (at + seq.length > end) return false;
  for (let k = 0; k < seq.length; k++) if (src[at + k] !== seq[k]) return false;
  return true;
}

/**
 * Writes the key of the field src[from, to) at out[o] (its text, or nothing for null); gives the new end.
 * `quoted`: the field holds a quote, read as COPY reads it (a quote left in the value is no number).
 */
function writeKey(src: Uint8Array, from: number, to: number, quoted: boolean, k: KeyField, out: Uint8Array, o: number): number {
  if (!quoted && !k.group && !k.decimal) {
    // The cell as it is (the usual case).
    if (to - from > MAX_KEY || !plainNumber(src, from, to)) return o;
    for (let i = from; i < to; i++) out[o++] = src[i]!;
    return o;
  }
  const start = o;
  const limit = o + MAX_KEY;
  let inQuotes = false;
  for (let i = from; i < to;) {
    const b = src[i]!;
    if (quoted && b === QUOTE) {
      if (inQuotes && src[i + 1] === QUOTE && i + 1 < to) return start; // a literal quote
      inQuotes = !inQuotes;
      i++;
      continue;
    }
    if (k.group && b === k.group[0] && startsWith(src, i, to, k.group)) {
      i += k.group.length;
      continue;
    }
    if (o === limit) return start; // longer than 60 characters
    if (k.decimal && b === k.decimal[0] && startsWith(src, i, to, k.decimal)) {
      out[o++] = 0x2e;
      i += k.decimal.length;
      continue;
    }
    out[o++] = b;
    i++;
  }
  return plainNumber(out, start, o) ? o : start;
}

/** Writes n (a positive integer) in decimal at out[o]; gives the new end. */
function writeInteger(n: number, out: Uint8Array, o: number): number {
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  for (let i = o + digits - 1; i >= o; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return o + digits;
}

/** Where the record keyRecord() read ends (past its line break) and where it wrote up to. */
const scan = { next: 0, wrote: 0, nextQuote: -1 };

/**
 * One record from src[i]: the row number and the keys at out[o], then the record itself; sets
 * scan.next and scan.wrote. A function of its own, called once a record, so that the engine compiles it
 * once for all (a loop over a whole piece inside one call ran unoptimised).
 */
function keyRecord(src: Uint8Array, source: Buffer, i: number, row: number, plan: KeyPlan, out: Buffer, o: number): void {
  const { delimiter, keys } = plan;
  const n = src.length;
  const last = keys.length ? keys[keys.length - 1]!.field : -1;
  const recordStart = i;
  o = writeInteger(row, out, o);
  out[o++] = delimiter;
  // The fields up to the last number column: where each starts and ends, and whether it holds a quote.
  let field = 0;
  let next = 0;
  let fieldStart = i;
  let quoted = false;
  let ended = false;
  while (next < keys.length) {
    let b = LF;
    while (i < n && (b = src[i]!) !== delimiter && b !== QUOTE && b !== LF) i++;
    if (i >= n) b = LF;
    if (b === QUOTE) {
      // To the closing quote (a doubled quote closes and opens again: the same thing).
      quoted = true;
      const close = src.indexOf(QUOTE, i + 1);
      i = close < 0 ? n : close + 1; // unterminated: COPY refuses it
      if (close < 0) break;
      continue;
    }
    let end = i;
    if (b === LF && end > fieldStart && src[end - 1] === CR) end--;
    while (next < keys.length && keys[next]!.field === field) {
      o = writeKey(src, fieldStart, end, quoted, keys[next]!, out, o);
      out[o++] = delimiter;
      next++;
    }
    if (b === LF) {
      ended = true;
      break;
    }
    field++;
    i++;
    fieldStart = i;
    quoted = false;
    if (field > last) break;
  }
  // A record with fewer fields than the schema: no keys for the missing ones (COPY refuses the record).
  for (; next < keys.length; next++) out[o++] = delimiter;
  // The rest of the record: to the line break outside quotes (the next quote, looked for again only once
  // passed: looking from every record would scan the following records again and again).
  while (!ended) {
    const lf = src.indexOf(LF, i);
    let q = scan.nextQuote;
    if (q >= 0 && q < i) q = scan.nextQuote = src.indexOf(QUOTE, i);
    if (q < 0 || (lf >= 0 && lf < q)) {
      i = lf < 0 ? n : lf;
      break;
    }
    const close = src.indexOf(QUOTE, q + 1);
    i = close < 0 ? n : close + 1;
    if (close < 0) break;
  }
  // Past the line break (the last record may have none).
  i = Math.min(i + 1, n);
  scan.next = i;
  scan.wrote = o + source.copy(out, o, recordStart, i);
}

/**
 * The most a keyed piece may take (what keyedPiece() needs of a buffer `into`): the piece, then per record
 * a row number (at most 16 digits) and a delimiter per computed column, and the keys, each no longer than
 * its cell (quotes dropped, a group character dropped, a decimal character becomes one point) nor than 60.
 */
export function keyedBytes(src: Uint8Array, records: number, plan: KeyPlan): number {
  const k = plan.keys.length;
  return src.length + records * (17 + k) + Math.min(src.length, records * k * MAX_KEY);
}

/**
 * A piece of whole records (tabular/chunks.ts) with `<row number>,<key>,…,` before each record, the rows
 * numbered from `firstRow`; `records` as the cutter counted them (a check: the two scans must agree).
 * Written into `into` when it is large enough (a buffer kept from piece to piece: fresh memory costs its
 * page faults, 60 ms for 16 MiB on the shared machine), else into a new one.
 */
export function keyedPiece(src: Uint8Array, records: number, firstRow: number, plan: KeyPlan, into?: Buffer): Uint8Array {
  const need = keyedBytes(src, records, plan);
  const out = into && into.length >= need ? into : Buffer.allocUnsafe(need);
  const source = Buffer.from(src.buffer, src.byteOffset, src.length);
  scan.nextQuote = src.indexOf(QUOTE, 0);
  let o = 0;
  let row = 0;
  for (let i = 0; i < src.length; i = scan.next, o = scan.wrote) {
    if (row === records) throw new Error(`the cutter counted ${records} records, the keys more`);
    keyRecord(src, source, i, firstRow + row++, plan, out, o);
  }
  if (row !== records) throw new Error(`the cutter counted ${records} records, the keys ${row}`);
  return out.subarray(0, o);
}

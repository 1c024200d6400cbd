// What the XLSX and ODS readers share: a streaming XML reader over one zip part that refuses any DTD (no
// entity of a spreadsheet's is ever declared: a DOCTYPE is an attack, billion laughs or external entities),
// and the builder that turns cells into the sheet's rows — blank rows kept where they are so rows are
// numbered as in the sheet, repeated cells and rows expanded only when a value follows them, every count
// bounded (limits.ts).
import { SaxesParser } from 'saxes';
import { SourceError } from '../validation/validate.ts';
import type { SheetLimits } from './limits.ts';
import type { ZipParts } from './zip.ts';

export type XmlParser = SaxesParser<{ xmlns: true }>;

/** Thrown by a handler once it has read all it needs (ODS: the first table): the rest is not parsed. */
export class StopReading extends Error {}

export function unreadable(format: string, note: string): SourceError {
  return new SourceError('source-error.spreadsheet-unreadable', { format, note });
}

/** An attribute by its local name (prefixes vary: `x:c` in files of the OpenXML SDK, `table:` in ODS). */
export function attr(tag: { attributes: Record<string, { local: string; value: string }> }, local: string): string | undefined {
  for (const key in tag.attributes) {
    const a = tag.attributes[key]!;
    if (a.local === local) return a.value;
  }
  return undefined;
}

/**
 * Streams one part through a parser set up by `setup`; after each chunk, yields what `drain` gives (rows,
 * typically). XML errors and a DOCTYPE end the reading with a SourceError.
 */
export async function* streamXml<T>(parts: ZipParts, name: string, format: string, setup: (parser: XmlParser) => void, drain: () => T[]): AsyncGenerator<T[]> {
  const parser: XmlParser = new SaxesParser({ xmlns: true });
  parser.on('doctype', () => {
    throw new SourceError('source-error.spreadsheet-dtd', { part: name });
  });
  setup(parser);
  const decoder = new TextDecoder('utf-8');
  const feed = (text: string, last: boolean) => {
    try {
      parser.write(text);
      if (last) parser.close();
    } catch (error) {
      if (error instanceof SourceError || error instanceof StopReading) throw error;
      throw unreadable(format, `${name} : ${(error as Error).message.slice(0, 120)}`);
    }
  };
  const chunks = parts.read(name);
  for (let last = false; !last;) {
    const next = await chunks.next();
    last = !!next.done;
    let failed: unknown = null;
    try {
      feed(last ? decoder.decode() : decoder.decode(next.value as Buffer, { stream: true }), last);
    } catch (error) {
      failed = error;
    }
    // The rows completed before a limit was reached are still checked.
    const out = drain();
    if (out.length) yield out;
    if (failed) {
      await chunks.return(undefined);
      if (failed instanceof StopReading) return;
      throw failed as Error;
    }
  }
}

/** Reads a small part whole (workbook, relationships, styles), with the same protections. */
export async function readXml(parts: ZipParts, name: string, format: string, setup: (parser: XmlParser) => void): Promise<void> {
  for await (const _ of streamXml(parts, name, format, setup, () => [])) void _;
}

const BLANK: string[] = [];

/** Cells in, rows out (each row its cells up to the last value; a blank row is an empty array). */
export class SheetBuilder {
  private out: string[][] = [];
  /** Rows accounted for: written out, or blank and pending until a row with a value follows. */
  private position = 0;
  private pendingBlank = 0;
  private cells: string[] = [];
  private col = 0;
  private cellCount = 0;
  private readonly limits: SheetLimits;

  constructor(limits: SheetLimits) {
    this.limits = limits;
  }

  /** Starts a row; `n` is its number when the file says it (XLSX `r`), from 1. */
  startRow(n?: number): void {
    if (n !== undefined && Number.isInteger(n) && n > this.position + 1) {
      if (n > this.limits.rows) throw new SourceError('source-error.spreadsheet-rows', { limit: this.limits.rows });
      this.pendingBlank += n - 1 - this.position;
      this.position = n - 1;
    }
    this.cells = [];
    this.col = 0;
  }

  /** A cell; `col` is its position when the file says it (XLSX `r`), from 0; `repeat` (ODS) its copies. */
  cell(value: string, col?: number, repeat = 1): void {
    if (col !== undefined && col > this.col) this.col = col;
    if (value === '') {
      this.col += repeat;
      return;
    }
    if (this.col + repeat > this.limits.columns)
      throw new SourceError('source-error.spreadsheet-columns', { row: this.position + 1, limit: this.limits.columns });
    if (value.length > this.limits.cellChars) throw new SourceError('source-error.spreadsheet-cells', { limit: this.limits.cells });
    while (this.cells.length < this.col) this.cells.push('');
    for (let k = 0; k < repeat; k++) this.cells.push(value);
    this.col += repeat;
  }

  /** Ends the row, written `repeat` times (ODS table:number-rows-repeated). */
  endRow(repeat = 1): void {
    const row = this.cells;
    this.cells = [];
    if (row.length === 0) {
      // Blank rows cost nothing until a value follows them (a sheet's trailing million blank rows never do).
      this.pendingBlank += repeat;
      this.position += repeat;
      return;
    }
    const rows = this.limits.rows;
    for (; this.pendingBlank > 0; this.pendingBlank--) this.out.push(BLANK);
    const fit = Math.max(0, Math.min(repeat, rows - this.position));
    this.cellCount += row.length * fit;
    if (this.cellCount > this.limits.cells) throw new SourceError('source-error.spreadsheet-cells', { limit: this.limits.cells });
    for (let k = 0; k < fit; k++) this.out.push(row);
    this.position += fit;
    if (fit < repeat) throw new SourceError('source-error.spreadsheet-rows', { limit: rows });
  }

  /** The rows completed since the last call. */
  drain(): string[][] {
    const out = this.out;
    this.out = [];
    return out;
  }
}

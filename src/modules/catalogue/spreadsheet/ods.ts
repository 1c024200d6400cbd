// The first sheet of an ODS (OpenDocument spreadsheet) as rows of text: content.xml's first table:table.
// Typed cells carry their value in attributes (office:value, office:date-value, office:boolean-value…); a
// formula is never evaluated, the value stored beside it is read. Text cells are their paragraphs joined by
// newlines, annotations left out. Repetitions (number-columns-repeated, number-rows-repeated — LibreOffice
// ends every sheet with a million repeated empty rows) are expanded only when a value follows them.
import { SourceError } from '../validation/validate.ts';
import type { SheetLimits } from './limits.ts';
import { attr, SheetBuilder, StopReading, streamXml } from './sheet.ts';
import type { ZipParts } from './zip.ts';

const FORMAT = 'ODS';

/** `PT10H30M05S` (office:time-value) as `10:30:05`. */
export function odsTime(value: string): string {
  const m = /^-?P(?:(\d+)D)?T(\d+)H(\d+)M(\d+)(?:[.,]\d+)?S$/.exec(value);
  if (!m) return value;
  const h = Number(m[1] ?? 0) * 24 + Number(m[2]);
  return `${String(h).padStart(2, '0')}:${m[3]!.padStart(2, '0')}:${m[4]!.padStart(2, '0')}`;
}

function repeat(value: string | undefined): number {
  const n = value && /^\d{1,9}$/.test(value) ? Number(value) : 1;
  return n >= 1 ? n : 1;
}

export async function* odsRows(parts: ZipParts, limits: SheetLimits): AsyncGenerator<string[][]> {
  const builder = new SheetBuilder(limits);
  /** 0 before the first table, 1 inside it (nested tables deeper), 2 once it is closed. */
  let tables = 0;
  let done = false;
  let rowRepeat = 1;
  let cell: { value: string | null; repeat: number; text: string; paragraphs: number } | null = null;
  let annotation = 0;
  const add = (t: string) => {
    if (!cell || annotation || cell.value !== null) return;
    cell.text += t;
    if (cell.text.length > limits.cellChars) throw new SourceError('source-error.spreadsheet-cells', { limit: limits.cells });
  };
  yield* streamXml(
    parts,
    'content.xml',
    FORMAT,
    (p) => {
      p.on('opentag', (tag) => {
        if (done) return;
        if (tag.local === 'table' && tag.uri.includes('table')) {
          tables++;
          return;
        }
        if (tables !== 1) return;
        switch (tag.local) {
          case 'table-row':
            builder.startRow();
            rowRepeat = repeat(attr(tag, 'number-rows-repeated'));
            break;
          case 'table-cell':
          case 'covered-table-cell': {
            const type = attr(tag, 'value-type');
            let value: string | null = null;
            if (type === 'float' || type === 'percentage' || type === 'currency') value = attr(tag, 'value') ?? '';
            else if (type === 'date') value = attr(tag, 'date-value') ?? '';
            else if (type === 'time') value = odsTime(attr(tag, 'time-value') ?? '');
            else if (type === 'boolean') value = attr(tag, 'boolean-value') ?? '';
            cell = { value, repeat: repeat(attr(tag, 'number-columns-repeated')), text: '', paragraphs: 0 };
            break;
          }
          case 'annotation':
            annotation++;
            break;
          case 'p':
            if (cell && !annotation && cell.paragraphs++ > 0) add('\n');
            break;
          case 's':
            add(' '.repeat(Math.min(repeat(attr(tag, 'c')), 1000)));
            break;
          case 'tab':
            add('\t');
            break;
          case 'line-break':
            add('\n');
            break;
        }
      });
      p.on('text', (t) => {
        if (!done && tables === 1) add(t);
      });
      p.on('closetag', (tag) => {
        if (done) return;
        if (tag.local === 'table' && tag.uri.includes('table')) {
          tables--;
          // Only the first sheet is read: the rest of the file is not even parsed.
          if (tables === 0) {
            done = true;
            throw new StopReading();
          }
          return;
        }
        if (tables !== 1) return;
        switch (tag.local) {
          case 'table-cell':
          case 'covered-table-cell':
            if (cell) builder.cell(cell.value ?? cell.text, undefined, cell.repeat);
            cell = null;
            break;
          case 'annotation':
            annotation--;
            break;
          case 'table-row':
            builder.endRow(rowRepeat);
            rowRepeat = 1;
            break;
        }
      });
    },
    () => builder.drain(),
  );
}

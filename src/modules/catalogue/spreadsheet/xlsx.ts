// The first sheet of an XLSX (Office Open XML) as rows of text: the package's relationships lead to the
// workbook, its first sheet, the shared strings and the styles (which numbers are dates). Values are the
// ones the file stores: a formula is never evaluated, its cached value is read (none: an empty cell).
// Dates become ISO text (2024-03-31, 10:30:00, 2024-03-31T10:30:00) so that Table Schema dates read them.
import { posix } from 'node:path';
import { SourceError } from '../validation/validate.ts';
import type { SheetLimits } from './limits.ts';
import { attr, readXml, SheetBuilder, streamXml, unreadable } from './sheet.ts';
import type { ZipParts } from './zip.ts';

const FORMAT = 'XLSX';

interface Relationship {
  type: string;
  target: string;
}

async function relationships(parts: ZipParts, name: string): Promise<Map<string, Relationship>> {
  const out = new Map<string, Relationship>();
  if (!parts.has(name)) return out;
  await readXml(parts, name, FORMAT, (p) => {
    p.on('opentag', (tag) => {
      if (tag.local !== 'Relationship' || attr(tag, 'TargetMode') === 'External') return;
      const id = attr(tag, 'Id');
      const target = attr(tag, 'Target');
      if (id && target) out.set(id, { type: attr(tag, 'Type') ?? '', target });
    });
  });
  return out;
}

/** A relationship's target as a part name, relative to the part that declares it; never outside the package. */
function resolve(from: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(from), target);
  return posix.normalize(path).replace(/^(\.\.\/)+/, '');
}

function byType(rels: Map<string, Relationship>, suffix: string): Relationship | undefined {
  for (const r of rels.values()) if (r.type.endsWith(suffix)) return r;
  return undefined;
}

// Built-in number formats that show dates and times (ECMA-376 §18.8.30; 27–36 and 50–58 are East Asian dates).
const BUILTIN_DATE = new Set([14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const BUILTIN_DATETIME = new Set([22]);
const BUILTIN_TIME = new Set([18, 19, 20, 21, 32, 33, 45, 46, 47]);

type DateKind = 'date' | 'datetime' | 'time';

/** What a custom format code shows: the letters outside quotes, brackets and escapes decide. */
export function formatKind(code: string): DateKind | null {
  const c = code
    .split(';')[0]!
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  const date = /[dy]/i.test(c) || (/m/i.test(c) && !/[hs]/i.test(c));
  const time = /[hs]/i.test(c);
  return date && time ? 'datetime' : date ? 'date' : time ? 'time' : null;
}

/** An Excel serial number as ISO text. The 1900 system counts the 29 February 1900 that never was. */
export function serialToIso(serial: number, kind: DateKind, date1904: boolean): string {
  let days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86400);
  if (!date1904 && days < 60) days += 1;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const iso = new Date(epoch + days * 86400000 + seconds * 1000).toISOString();
  return kind === 'date' ? iso.slice(0, 10) : kind === 'time' ? iso.slice(11, 19) : iso.slice(0, 19);
}

/** A stored number as people see it: integers exactly, others to 15 significant digits (0.1+0.2 is 0.3). */
export function numberText(raw: string): string {
  const t = raw.trim();
  if (/^-?\d+$/.test(t)) return t;
  const n = Number(t);
  return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : t;
}

/** Column letters of a reference (`AB12`) as a position from 0; undefined when absent or malformed. */
function columnOf(ref: string | undefined): number | undefined {
  const m = ref ? /^([A-Z]{1,3})\d*$/.exec(ref) : null;
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1]!) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

function rowOf(ref: string | undefined): number | undefined {
  return ref && /^\d{1,7}$/.test(ref) ? Number(ref) : undefined;
}

export async function* xlsxRows(parts: ZipParts, limits: SheetLimits): AsyncGenerator<string[][]> {
  const root = await relationships(parts, '_rels/.rels');
  const office = byType(root, '/officeDocument');
  const workbook = office ? resolve('', office.target) : 'xl/workbook.xml';
  if (!parts.has(workbook)) throw unreadable(FORMAT, 'pas de classeur (workbook)');
  let firstSheet: string | null = null;
  let date1904 = false;
  await readXml(parts, workbook, FORMAT, (p) => {
    p.on('opentag', (tag) => {
      if (tag.local === 'workbookPr') date1904 = ['1', 'true'].includes(attr(tag, 'date1904') ?? '');
      else if (tag.local === 'sheet' && firstSheet === null) firstSheet = attr(tag, 'id') ?? '';
    });
  });
  const rels = await relationships(parts, posix.join(posix.dirname(workbook), '_rels', `${posix.basename(workbook)}.rels`));
  const sheetRel = firstSheet === null ? undefined : rels.get(firstSheet);
  if (!sheetRel) throw unreadable(FORMAT, 'pas de feuille');
  const sheet = resolve(workbook, sheetRel.target);
  if (!parts.has(sheet)) throw unreadable(FORMAT, `feuille manquante : ${sheet}`);

  // Shared strings: held in memory (cells refer to them by index), counted and bounded.
  const strings: string[] = [];
  const sst = byType(rels, '/sharedStrings');
  if (sst && parts.has(resolve(workbook, sst.target))) {
    let chars = 0;
    let current: string | null = null;
    let inT = false;
    let phonetic = 0;
    await readXml(parts, resolve(workbook, sst.target), FORMAT, (p) => {
      p.on('opentag', (tag) => {
        if (tag.local === 'si') current = '';
        else if (tag.local === 'rPh') phonetic++;
        else if (tag.local === 't') inT = true;
      });
      p.on('text', (text) => {
        if (current === null || !inT || phonetic) return;
        current += text;
        chars += text.length;
        if (current.length > limits.cellChars || chars > limits.sharedChars) throw new SourceError('source-error.spreadsheet-cells', { limit: limits.cells });
      });
      p.on('closetag', (tag) => {
        if (tag.local === 'si' && current !== null) {
          strings.push(current);
          current = null;
          if (strings.length > limits.sharedStrings) throw new SourceError('source-error.spreadsheet-cells', { limit: limits.cells });
        } else if (tag.local === 'rPh') phonetic--;
        else if (tag.local === 't') inT = false;
      });
    });
  }

  // Styles: which cell formats (by index) show dates.
  const dateStyles = new Map<number, DateKind>();
  const styles = byType(rels, '/styles');
  if (styles && parts.has(resolve(workbook, styles.target))) {
    const custom = new Map<number, string>();
    const xfs: number[] = [];
    let inCellXfs = false;
    await readXml(parts, resolve(workbook, styles.target), FORMAT, (p) => {
      p.on('opentag', (tag) => {
        if (tag.local === 'numFmt') custom.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
        else if (tag.local === 'cellXfs') inCellXfs = true;
        else if (tag.local === 'xf' && inCellXfs) {
          if (xfs.length >= 65536) throw unreadable(FORMAT, 'trop de styles');
          xfs.push(Number(attr(tag, 'numFmtId') ?? 0));
        }
      });
      p.on('closetag', (tag) => {
        if (tag.local === 'cellXfs') inCellXfs = false;
      });
    });
    xfs.forEach((id, index) => {
      const kind = custom.has(id)
        ? formatKind(custom.get(id)!)
        : BUILTIN_DATE.has(id)
          ? 'date'
          : BUILTIN_DATETIME.has(id)
            ? 'datetime'
            : BUILTIN_TIME.has(id)
              ? 'time'
              : null;
      if (kind) dateStyles.set(index, kind);
    });
  }

  const builder = new SheetBuilder(limits);
  let inCell = false;
  let type = 'n';
  let style = 0;
  let col: number | undefined;
  let text = '';
  /** Inside <v> (the stored value) or <is><t> (an inline string), outside <rPh> (phonetic guides). */
  let capture = false;
  let inInline = false;
  let phonetic = 0;
  const value = (): string => {
    switch (type) {
      case 's': {
        const i = Number(text);
        return Number.isInteger(i) && i >= 0 && i < strings.length ? strings[i]! : '';
      }
      case 'inlineStr':
      case 'str':
      case 'e': // an error value (#DIV/0!) is shown as it is: a type error names it
      case 'd': // an ISO date stored as such
        return text;
      case 'b':
        return text === '1' ? 'true' : text === '0' ? 'false' : text;
      default: {
        if (text.trim() === '') return '';
        const kind = dateStyles.get(style);
        const n = Number(text);
        return kind && Number.isFinite(n) && n >= 0 && n < 2958466 ? serialToIso(n, kind, date1904) : numberText(text);
      }
    }
  };
  yield* streamXml(
    parts,
    sheet,
    FORMAT,
    (p) => {
      p.on('opentag', (tag) => {
        switch (tag.local) {
          case 'row':
            builder.startRow(rowOf(attr(tag, 'r')));
            break;
          case 'c':
            inCell = true;
            type = attr(tag, 't') ?? 'n';
            style = Number(attr(tag, 's') ?? 0);
            col = columnOf(attr(tag, 'r'));
            text = '';
            break;
          case 'v':
            if (inCell) capture = true;
            break;
          case 'is':
            inInline = true;
            break;
          case 'rPh':
            phonetic++;
            break;
          case 't':
            if (inCell && inInline && !phonetic) capture = true;
            break;
        }
      });
      p.on('text', (t) => {
        if (!capture) return;
        text += t;
        if (text.length > limits.cellChars) throw new SourceError('source-error.spreadsheet-cells', { limit: limits.cells });
      });
      p.on('closetag', (tag) => {
        switch (tag.local) {
          case 'v':
          case 't':
            capture = false;
            break;
          case 'is':
            inInline = false;
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'c':
            if (inCell) builder.cell(value(), col);
            inCell = false;
            break;
          case 'row':
            builder.endRow();
            break;
        }
      });
    },
    () => builder.drain(),
  );
}

// XLSX and ODS files for the catalogue's tests, written here byte by byte (no spreadsheet program on CI):
// a small zip writer that can also lie (declared sizes, names with `..`, thousands of entries), and the
// parts Excel and LibreOffice write — shared strings, a date style, formulas with cached values, repeated
// ODS rows and columns.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer | string;
  /** Stored (no compression) or deflated; deflate by default. */
  store?: boolean;
  /** The uncompressed size written in the headers, when it should lie. */
  declaredSize?: number;
}

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const body = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A cell of a test sheet: text, a number, a date (written as Excel's serial with a date style), a formula with its cached value. */
export type Cell = string | number | null | { date: string } | { formula: string; cached: string | number } | { bool: boolean };

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function serial(iso: string): number {
  return (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86400000;
}

export interface XlsxParts {
  contentTypes: string;
  rootRels: string;
  workbook: string;
  workbookRels: string;
  sheet: string;
  sharedStrings: string;
  styles: string;
}

/** The parts of a one-sheet workbook as Excel writes it (shared strings, a date style, `r` references). */
export function xlsxParts(rows: Cell[][], options: { prefix?: string; sheetRowNumbers?: number[] } = {}): XlsxParts {
  const x = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix ? `xmlns:${options.prefix}` : 'xmlns';
  const strings: string[] = [];
  const index = new Map<string, number>();
  const shared = (s: string) => {
    if (!index.has(s)) {
      index.set(s, strings.length);
      strings.push(s);
    }
    return index.get(s)!;
  };
  const sheetRows = rows
    .map((row, r) => {
      const n = options.sheetRowNumbers?.[r] ?? r + 1;
      const cells = row
        .map((cell, c) => {
          const ref = `${colName(c)}${n}`;
          if (cell === null || cell === '') return '';
          if (typeof cell === 'string') return `<${x}c r="${ref}" t="s"><${x}v>${shared(cell)}</${x}v></${x}c>`;
          if (typeof cell === 'number') return `<${x}c r="${ref}"><${x}v>${cell}</${x}v></${x}c>`;
          if ('date' in cell) return `<${x}c r="${ref}" s="1"><${x}v>${serial(cell.date)}</${x}v></${x}c>`;
          if ('bool' in cell) return `<${x}c r="${ref}" t="b"><${x}v>${cell.bool ? 1 : 0}</${x}v></${x}c>`;
          const t = typeof cell.cached === 'string' ? ' t="str"' : '';
          return `<${x}c r="${ref}"${t}><${x}f>${esc(cell.formula)}</${x}f><${x}v>${esc(String(cell.cached))}</${x}v></${x}c>`;
        })
        .join('');
      return `<${x}row r="${n}">${cells}</${x}row>`;
    })
    .join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return {
    contentTypes: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    rootRels: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    workbook: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${x}workbook ${ns}="${main}" xmlns:r="${rel}"><${x}workbookPr/><${x}sheets><${x}sheet name="Subventions" sheetId="1" r:id="rId1"/><${x}sheet name="Notes" sheetId="2" r:id="rId9"/></${x}sheets></${x}workbook>`,
    workbookRels: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    sheet: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${x}worksheet ${ns}="${main}"><${x}sheetData>${sheetRows}</${x}sheetData></${x}worksheet>`,
    sharedStrings: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${x}sst ${ns}="${main}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<${x}si><${x}t xml:space="preserve">${esc(s)}</${x}t></${x}si>`).join('')}</${x}sst>`,
    styles: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${x}styleSheet ${ns}="${main}"><${x}cellStyleXfs count="1"><${x}xf numFmtId="0"/></${x}cellStyleXfs><${x}cellXfs count="2"><${x}xf numFmtId="0" xfId="0"/><${x}xf numFmtId="14" xfId="0" applyNumberFormat="1"/></${x}cellXfs></${x}styleSheet>`,
  };
}

export function xlsxFromParts(p: XlsxParts, extra: ZipEntry[] = []): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: p.contentTypes },
    { name: '_rels/.rels', data: p.rootRels },
    { name: 'xl/workbook.xml', data: p.workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: p.workbookRels },
    { name: 'xl/worksheets/sheet1.xml', data: p.sheet },
    { name: 'xl/sharedStrings.xml', data: p.sharedStrings },
    { name: 'xl/styles.xml', data: p.styles },
    ...extra,
  ]);
}

export function xlsx(rows: Cell[][], options: { prefix?: string; sheetRowNumbers?: number[] } = {}): Buffer {
  return xlsxFromParts(xlsxParts(rows, options));
}

/** An ODS content.xml with one table (then a second one that must be ignored), as LibreOffice writes it. */
export function odsContent(rows: Cell[][], options: { trailingRepeats?: boolean; body?: string } = {}): string {
  const cell = (c: Cell): string => {
    if (c === null || c === '') return '<table:table-cell/>';
    if (typeof c === 'string')
      return `<table:table-cell office:value-type="string" calcext:value-type="string">${c
        .split('\n')
        .map((p) => `<text:p>${esc(p)}</text:p>`)
        .join('')}</table:table-cell>`;
    if (typeof c === 'number') return `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>`;
    if ('date' in c)
      return `<table:table-cell office:value-type="date" office:date-value="${c.date}"><text:p>${c.date.split('-').reverse().join('/')}</text:p></table:table-cell>`;
    if ('bool' in c)
      return `<table:table-cell office:value-type="boolean" office:boolean-value="${c.bool}"><text:p>${c.bool ? 'VRAI' : 'FAUX'}</text:p></table:table-cell>`;
    const type =
      typeof c.cached === 'number'
        ? `office:value-type="float" office:value="${c.cached}"`
        : `office:value-type="string" office:string-value="${esc(c.cached)}"`;
    return `<table:table-cell table:formula="of:${esc(c.formula)}" ${type}><text:p>${esc(String(c.cached))}</text:p></table:table-cell>`;
  };
  const trailingCells = options.trailingRepeats ? '<table:table-cell table:number-columns-repeated="16370"/>' : '';
  const table =
    options.body ??
    rows.map((r) => `<table:table-row>${r.map(cell).join('')}${trailingCells}</table:table-row>`).join('') +
      (options.trailingRepeats
        ? '<table:table-row table:number-rows-repeated="1048500"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        : '');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Feuille1"><table:table-column table:number-columns-repeated="3"/>${table}</table:table><table:table table:name="Feuille2"><table:table-row><table:table-cell office:value-type="string"><text:p>ignorée</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`;
}

export function odsFromContent(content: string, extra: ZipEntry[] = []): Buffer {
  return zip([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
    {
      name: 'META-INF/manifest.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
    },
    { name: 'content.xml', data: content },
    ...extra,
  ]);
}

export function ods(rows: Cell[][], options: { trailingRepeats?: boolean } = {}): Buffer {
  return odsFromContent(odsContent(rows, options));
}

// The XLSX/ODS reader: attacks first (zip bombs, lying sizes, entity expansion, path traversal in the zip,
// too many entries, huge and repeated sheets, a file that claims to be a spreadsheet and is not), then what
// a steward's sheets hold (shared strings, dates, formulas read from their cached values, `x:` prefixes,
// LibreOffice's repeated cells and rows), validated with the same report as the same rows in CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileSchema, loadBundledSchema, validateCsv, type ValidationReport } from '../validation/index.ts';
import { DEFAULT_LIMITS, sheetRows, spreadsheetPreview, validateSpreadsheet, type SheetLimits } from './index.ts';
import { ods, odsContent, odsFromContent, xlsx, xlsxFromParts, xlsxParts, zip, type Cell } from '../../../../test/support/catalogue/spreadsheets.ts';

const schema = compileSchema({
  fields: [
    { name: 'nom', type: 'string', constraints: { required: true } },
    { name: 'montant', type: 'number' },
    { name: 'date', type: 'date' },
  ],
});

const GOOD: Cell[][] = [
  ['nom', 'montant', 'date'],
  ['Association « Les Amis »', 1500.5, { date: '2024-03-31' }],
  ['Club, "sportif"\net culturel', { formula: 'SUM(1;2)', cached: 3 }, { date: '2023-12-01' }],
];

function sourceErrors(r: ValidationReport): string[] {
  return r.errors.filter((e) => e.code === 'source-error').map((e) => e.message);
}

async function rowsOf(bytes: Buffer, format: 'xlsx' | 'ods', limits: SheetLimits = DEFAULT_LIMITS): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of sheetRows(bytes, format, limits)) out.push(...batch);
  return out;
}

// ---- Attacks ----

test('a zip bomb is refused from its declared size, before anything is inflated', async () => {
  // 200 MiB of zeros deflate to about 200 KiB; the limit is lowered to 1 MiB for the test.
  const bomb = xlsxFromParts({ ...xlsxParts(GOOD), sheet: `<worksheet>${' '.repeat(2 * 1024 * 1024)}</worksheet>` });
  const r = await validateSpreadsheet(bomb, 'xlsx', schema, {}, { ...DEFAULT_LIMITS, partBytes: 1024 * 1024 });
  assert.equal(r.valid, false);
  assert.match(sourceErrors(r)[0]!, /Une fois décompressé, le tableur dépasserait 1 Mo \(partie « xl\/worksheets\/sheet1\.xml »\)/);
});

test('a part that lies about its size (declares 100 bytes, inflates to megabytes) is stopped', async () => {
  const p = xlsxParts(GOOD);
  const bytes = zip([
    { name: '[Content_Types].xml', data: p.contentTypes },
    { name: '_rels/.rels', data: p.rootRels },
    { name: 'xl/workbook.xml', data: p.workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: p.workbookRels },
    { name: 'xl/worksheets/sheet1.xml', data: p.sheet.replace('<sheetData>', `<sheetData>${'<row/>'.repeat(500_000)}`), declaredSize: 100 },
  ]);
  const r = await validateSpreadsheet(bytes, 'xlsx', schema);
  assert.equal(r.valid, false);
  assert.match(sourceErrors(r)[0]!, /n'est pas un tableur XLSX lisible/);
});

test('a billion-laughs DOCTYPE is refused, in any part (no entity is ever expanded)', async () => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
  const p = xlsxParts(GOOD);
  const inStrings = xlsxFromParts({ ...p, sharedStrings: p.sharedStrings.replace(/^<\?xml[^>]*\?>/, laughs).replace('Les Amis', '&lol3;') });
  const r1 = await validateSpreadsheet(inStrings, 'xlsx', schema);
  assert.match(sourceErrors(r1)[0]!, /« xl\/sharedStrings\.xml » du tableur déclare une DTD/);
  const external = odsContent(GOOD)
    .replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    .replace('Les Amis', '&xxe;');
  const r2 = await validateSpreadsheet(odsFromContent(external), 'ods', schema);
  assert.match(sourceErrors(r2)[0]!, /« content\.xml » du tableur déclare une DTD/);
  assert.ok(!JSON.stringify(r2).includes('root:'));
  // An entity used without any DOCTYPE is not well-formed XML: refused too, never resolved.
  const r3 = await validateSpreadsheet(odsFromContent(odsContent(GOOD).replace('Les Amis', '&xxe;')), 'ods', schema);
  assert.match(sourceErrors(r3)[0]!, /n'est pas un tableur ODS lisible/);
});

test('path traversal and absolute names in the zip are refused, as are repeated names', async () => {
  for (const name of ['../../etc/cron.d/x', '/etc/passwd', 'xl\\..\\..\\x', 'C:/Windows/x']) {
    const bytes = xlsxFromParts(xlsxParts(GOOD), [{ name, data: 'x' }]);
    const r = await validateSpreadsheet(bytes, 'xlsx', schema);
    assert.match(sourceErrors(r)[0] ?? '', /nom dangereux/, name);
  }
  const twice = xlsxFromParts(xlsxParts(GOOD), [{ name: 'xl/worksheets/sheet1.xml', data: '<worksheet/>' }]);
  assert.match(sourceErrors(await validateSpreadsheet(twice, 'xlsx', schema))[0]!, /nom dangereux/);
  // A relationship that climbs out of the package resolves inside it, and then to nothing.
  const p = xlsxParts(GOOD);
  const climbing = xlsxFromParts({ ...p, workbookRels: p.workbookRels.replace('worksheets/sheet1.xml', '../../../../etc/passwd') });
  assert.match(sourceErrors(await validateSpreadsheet(climbing, 'xlsx', schema))[0]!, /feuille manquante/);
});

test('too many entries, a file too large to read, and a file that only claims to be a spreadsheet are refused', async () => {
  const many = xlsxFromParts(
    xlsxParts(GOOD),
    Array.from({ length: 30 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: '' })),
  );
  const r1 = await validateSpreadsheet(many, 'xlsx', schema, {}, { ...DEFAULT_LIMITS, entries: 20 });
  assert.match(sourceErrors(r1)[0]!, /plus de 20 fichiers internes/);
  const r2 = await validateSpreadsheet(xlsx(GOOD), 'xlsx', schema, {}, { ...DEFAULT_LIMITS, fileBytes: 100 });
  assert.match(sourceErrors(r2)[0]!, /Un tableur de plus de 0 Mo n'est pas lu/);
  for (const [bytes, format] of [
    [Buffer.from('nom,montant,date\nA,1,2024-01-01\n'), 'xlsx'],
    [Buffer.from('PK\x03\x04 not really a zip'), 'ods'],
    [zip([{ name: 'readme.txt', data: 'hello' }]), 'xlsx'],
    [zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true }]), 'ods'],
  ] as const) {
    const r = await validateSpreadsheet(bytes, format, schema);
    assert.equal(r.valid, false);
    assert.match(sourceErrors(r)[0]!, new RegExp(`n'est pas un tableur ${format.toUpperCase()} lisible`), bytes.toString('latin1').slice(0, 20));
  }
});

test('huge sheets: a million repeated rows and columns cost nothing when empty, and are capped when not', async () => {
  // LibreOffice ends each row with ~16,000 repeated empty cells and the sheet with a million empty rows.
  const trailing = await rowsOf(ods(GOOD, { trailingRepeats: true }), 'ods');
  assert.equal(trailing.length, 3);
  // A value repeated over 100,000 columns, or a row with a value repeated a million times: stopped by the caps.
  const wide = odsFromContent(
    odsContent([], {
      body: '<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="100000"><text:p>x</text:p></table:table-cell></table:table-row>',
    }),
  );
  const r1 = await validateSpreadsheet(wide, 'ods', schema);
  assert.match(sourceErrors(r1)[0]!, /au-delà de la colonne 1024/);
  const tall = odsFromContent(
    odsContent([], {
      body: '<table:table-row><table:table-cell office:value-type="string"><text:p>nom</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
    }),
  );
  const r2 = await validateSpreadsheet(tall, 'ods', schema, {}, { ...DEFAULT_LIMITS, rows: 1000 });
  assert.match(sourceErrors(r2)[0]!, /plus de 1000 lignes/);
  assert.equal(r2.stats.rows, 999, 'the rows within the cap were validated');
  const r3 = await validateSpreadsheet(tall, 'ods', schema, {}, { ...DEFAULT_LIMITS, cells: 5000 });
  assert.match(sourceErrors(r3)[0]!, /dépasse 5000 cellules/);
  // An XLSX cell placed at row 9,999,999 or column XFD.
  const far = xlsx([['nom'], ['x']], { sheetRowNumbers: [1, 9_999_999] });
  assert.match(sourceErrors(await validateSpreadsheet(far, 'xlsx', schema))[0]!, /plus de 1048576 lignes/);
  const p = xlsxParts([['nom']]);
  const xfd = xlsxFromParts({ ...p, sheet: p.sheet.replace('</row>', '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>') });
  assert.match(sourceErrors(await validateSpreadsheet(xfd, 'xlsx', schema))[0]!, /au-delà de la colonne 1024/);
});

// ---- What real sheets hold ----

test('XLSX: shared strings, dates, cached formula values, numbers as people see them, booleans, blank rows kept in place', async () => {
  const rows = await rowsOf(
    xlsx([
      ['nom', 'montant', 'date', 'ok'],
      ['A', 0.1 + 0.2, { date: '2024-02-29' }, { bool: true }],
      [],
      ['B', { formula: 'A1&"x"', cached: 'Ax' }, 45000, { bool: false }],
      ['C', 21440109300015],
    ]),
    'xlsx',
  );
  assert.deepEqual(rows, [['nom', 'montant', 'date', 'ok'], ['A', '0.3', '2024-02-29', 'true'], [], ['B', 'Ax', '45000', 'false'], ['C', '21440109300015']]);
  // The same workbook with the `x:` prefix the OpenXML SDK writes.
  assert.deepEqual(await rowsOf(xlsx(GOOD, { prefix: 'x' }), 'xlsx'), await rowsOf(xlsx(GOOD), 'xlsx'));
});

test('ODS: typed values, paragraphs, annotations left out, first sheet only', async () => {
  const content = odsContent(GOOD).replace(
    '<text:p>Association « Les Amis »</text:p>',
    '<office:annotation><text:p>note interne</text:p></office:annotation><text:p>Association<text:s/>« Les<text:s text:c="2"/>Amis »</text:p>',
  );
  assert.deepEqual(await rowsOf(odsFromContent(content), 'ods'), [
    ['nom', 'montant', 'date'],
    ['Association « Les  Amis »', '1500.5', '2024-03-31'],
    ['Club, "sportif"\net culturel', '3', '2023-12-01'],
  ]);
});

test('a sheet gets the report its rows get as CSV, rows numbered as in the sheet', async () => {
  const rows: Cell[][] = [['nom', 'montant', 'date'], ['A', 10, { date: '2024-01-01' }], [], [null, 'douze', { date: '2024-01-02' }], ['D', 4, 'hier']];
  const csv = 'nom,montant,date\nA,10,2024-01-01\n""\n,douze,2024-01-02\nD,4,hier\n';
  const expected = await validateCsv(csv, schema);
  for (const [bytes, format] of [
    [xlsx(rows), 'xlsx'],
    [ods(rows), 'ods'],
  ] as const) {
    const r = await validateSpreadsheet(bytes, format, schema);
    assert.equal(r.stats.format, format);
    assert.deepEqual(r.errors, expected.errors, format);
    assert.deepEqual(
      r.errors.map((e) => [e.code, e.row, e.field]),
      [
        ['blank-row', 3, null],
        ['constraint-error', 4, 'nom'],
        ['type-error', 4, 'montant'],
        ['type-error', 5, 'date'],
      ],
    );
  }
});

test('the SCDL subventions example, as a sheet, is valid like its CSV', async () => {
  const text = readFileSync(new URL('../../../../test/fixtures/scdl/scdl-subventions/exemple_valide.csv', import.meta.url), 'utf8');
  const { CsvReader } = await import('../validation/csv.ts');
  const records: string[][] = [];
  const reader = new CsvReader(',');
  reader.push(text, (cells) => void records.push(cells));
  reader.end((cells) => void records.push(cells));
  const subventions = loadBundledSchema('scdl-subventions');
  const expected = await validateCsv(text, subventions);
  assert.equal(expected.valid, true);
  for (const [bytes, format] of [
    [xlsx(records), 'xlsx'],
    [ods(records), 'ods'],
  ] as const) {
    const r = await validateSpreadsheet(bytes, format, subventions);
    assert.deepEqual(r.errors, [], format);
    assert.equal(r.valid, true);
    assert.equal(r.stats.rows, expected.stats.rows);
  }
});

test('the preview: the header and first rows of the first sheet; nothing for a file over its bounds', async () => {
  const rows: Cell[][] = [['nom', 'montant'], ...Array.from({ length: 30 }, (_, i) => [`Ligne ${i}`, i] as Cell[])];
  for (const [bytes, format] of [
    [xlsx(rows), 'xlsx'],
    [ods(rows), 'ods'],
  ] as const) {
    const preview = await spreadsheetPreview(bytes, format, 10, 30);
    assert.deepEqual(preview?.header, ['nom', 'montant']);
    assert.equal(preview?.rows.length, 10);
    assert.deepEqual(preview?.rows[9], ['Ligne 9', '9']);
  }
  const inflating = xlsxFromParts({ ...xlsxParts(GOOD), sheet: `<worksheet>${' '.repeat(2 * 1024 * 1024)}</worksheet>` });
  assert.equal(await spreadsheetPreview(inflating, 'xlsx', 10, 30, { ...DEFAULT_LIMITS, partBytes: 1024 * 1024 }), null);
});

// The columns the load computes before each record (row number, number keys): the same values as the
// generated columns they replace — checked against PostgreSQL's own regular expression and cast on the
// engine under test, for odd cells (quotes anywhere in a field, doubled quotes, delimiters and line breaks
// inside quotes, CRLF, a last record without a line break, French decimal commas, multi-byte group
// characters, a Windows-1252 file (made UTF-8 by the load), lengths about the 60-character bound, exponents about two digits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { NUMBER_MAX_LENGTH, NUMBER_RE, type TabularColumn } from './columns.ts';
import { copyColumns, keyedBytes, keyedPiece, keyPlan, plainNumber, utf8Piece } from './keys.ts';
import { csvPieces } from './chunks.ts';

let d: TestDatabase;
before(async () => {
  d = await createTestDatabase();
});
after(() => d.cleanup());

/** The generated column the load had before (columns.ts in its history): the reference. */
function generatedKey(c: TabularColumn): string {
  const q = (s: string) => `'${s}'`;
  let text = c.column;
  if (c.groupChar) text = `replace(${text}, ${q(c.groupChar)}, '')`;
  if (c.decimalChar) text = `replace(${text}, ${q(c.decimalChar)}, '.')`;
  return `case when length(${text}) <= ${NUMBER_MAX_LENGTH} and ${text} ~ '${NUMBER_RE}' then (${text})::double precision end`;
}

const ODD_NUMBERS = [
  '12',
  '-12.5',
  '+.5',
  '7.',
  '.',
  '',
  '1e5',
  '1E+99',
  '1e100',
  '-2.5e-07',
  'e5',
  '1e',
  '12a',
  ' 12',
  '12 ',
  '0x10',
  'NaN',
  'Infinity',
  '1,5',
  '1 000',
  '1' + '0'.repeat(59),
  '1' + '0'.repeat(60),
  '0.' + '0'.repeat(57) + '1',
  '٣',
  '１２',
  '"12"',
  '"1""2"',
  '1"2"',
  '"1,5"',
  '"12\n"',
  '""',
];

const cols = (kinds: Array<Partial<TabularColumn> & { kind: TabularColumn['kind'] }>): TabularColumn[] =>
  kinds.map((k, i) => ({ name: `f${i}`, column: `c${i + 1}`, type: k.kind === 'number' ? 'number' : 'string', ...k }));

/** The file cut as the load cuts it, keyed, copied into a table; then its keys beside the reference. */
async function compare(csv: Uint8Array, columns: TabularColumn[], pieceSize: number, legacy = false) {
  const plan = keyPlan(columns, ',');
  const table = `keys_probe_${Math.random().toString(16).slice(2, 10)}`;
  const numbers = columns.filter((c) => c.kind === 'number');
  await d.db.ownerTransaction((tx) =>
    tx.script(
      `create table ${table} (row_number bigint not null, ${[...numbers.map((c) => `n${c.column.slice(1)} double precision`), ...columns.map((c) => `${c.column} text`)].join(', ')})`,
    ),
  );
  let row = 0;
  async function* source() {
    for (let i = 0; i < csv.length; i += 7) yield csv.slice(i, i + 7);
  }
  let into: Buffer | undefined;
  for await (const piece of csvPieces(source(), pieceSize, { reuse: true })) {
    if ('header' in piece) continue;
    // A buffer kept from piece to piece, as the load does (large enough here from the first piece on).
    const bytes = legacy ? utf8Piece(piece.bytes) : piece.bytes;
    into ??= Buffer.alloc(keyedBytes(bytes, piece.records, plan) * 4);
    const keyed = keyedPiece(bytes, piece.records, row + 1, plan, into);
    row += piece.records;
    await d.db.ownerTransaction((tx) =>
      tx.copyFrom(`${table} (${copyColumns(columns).join(', ')})`, `(format csv, delimiter ',', quote '"', header false, encoding 'UTF8')`, keyed),
    );
  }
  const rows = await d.db.ownerTransaction((tx) =>
    tx.query<Record<string, unknown>>(
      `select row_number, ${numbers.map((c) => `n${c.column.slice(1)} as got_${c.column}, ${generatedKey(c)} as want_${c.column}, ${c.column}`).join(', ')}
       from ${table} order by row_number`,
    ),
  );
  await d.db.ownerTransaction((tx) => tx.script(`drop table ${table}`));
  return { rows, numbers };
}

function assertSame(rows: Array<Record<string, unknown>>, numbers: TabularColumn[]) {
  rows.forEach((r, i) => {
    assert.equal(Number(r.row_number), i + 1);
    for (const c of numbers) assert.deepEqual(r[`got_${c.column}`], r[`want_${c.column}`], `row ${i + 1}, ${c.column} = ${JSON.stringify(r[c.column])}`);
  });
}

test('the byte matcher says what the regular expression says', () => {
  const re = new RegExp(NUMBER_RE);
  for (const s of [...ODD_NUMBERS, '-', '+', '-.5e+1', '1e+', '1.e5', '1.5.5', '--1', '1e123', '1e-99']) {
    const b = Buffer.from(s);
    assert.equal(plainNumber(b, 0, b.length), re.test(s), s);
  }
});

test('odd cells in every place of a record: the same keys as the generated columns, rows numbered in file order', async () => {
  const columns = cols([{ kind: 'text' }, { kind: 'number' }, { kind: 'text' }, { kind: 'number' }]);
  const records: string[] = [];
  for (const [i, cell] of ODD_NUMBERS.entries()) {
    const quoted = cell.includes('\n') || cell.includes(',') ? `"${cell.replace(/^"|"$/g, '').replace(/"/g, '""')}"` : cell;
    records.push(`"a, ""${i}""\nb",${quoted},x${i},${ODD_NUMBERS[(i * 7) % ODD_NUMBERS.length]!.replace(/[\n,]/g, '')}`);
  }
  // CRLF line ends, and a last record without a line break.
  const csv = Buffer.from(`t,n,u,m\r\n${records.join('\r\n')}\r\nfin,3.5,z,4`);
  for (const pieceSize of [1, 200, 1 << 20]) {
    const { rows, numbers } = await compare(csv, columns, pieceSize);
    assert.equal(rows.length, records.length + 1);
    assertSame(rows, numbers);
  }
  // A few keys spelled out: a quoted number is a number, a quote left in the value or a space is not.
  const { rows } = await compare(Buffer.from('n,t\n"12",a\n"1""2",b\n1"2",c\n 3,d\n1e100,e\n'), cols([{ kind: 'number' }, { kind: 'text' }]), 100);
  assert.deepEqual(
    rows.map((r) => r.got_c1),
    [12, null, 12, null, null],
  );
});

test('French decimal commas and multi-byte group characters (UTF-8), and the same in Windows-1252', async () => {
  const columns = cols([{ kind: 'number', decimalChar: ',', groupChar: '\u00a0' }, { kind: 'number', decimalChar: ',', groupChar: '.' }, { kind: 'text' }]);
  const cells = [
    '1\u00a0234,5',
    '1\u00a0234\u00a0567',
    '12,',
    ',5',
    '1.234',
    '1\u00a0234.5',
    '"1\u00a0234,5"',
    'é',
    '',
    '1\u00a0' + '1'.repeat(60),
    '1\u00a0' + '1'.repeat(59),
  ];
  const lines = cells.map((c, i) => `${c.includes(',') && !c.startsWith('"') ? `"${c}"` : c},${['"1.234,5"', '1.234.567', '"12,5"', 'x'][i % 4]},é${i}`);
  const text = `a,b,c\n${lines.join('\n')}\n`;
  const utf8 = await compare(Buffer.from(text), columns, 64);
  assertSame(utf8.rows, utf8.numbers);
  assert.equal(utf8.rows[0]!.got_c1, 1234.5);
  assert.equal(utf8.rows[0]!.got_c2, 1234.5);
  const legacy = await compare(Buffer.from(text, 'latin1'), columns, 64, true);
  assertSame(legacy.rows, legacy.numbers);
  assert.deepEqual(
    legacy.rows.map((r) => [r.got_c1, r.got_c2, r.c1]),
    utf8.rows.map((r) => [r.got_c1, r.got_c2, r.c1]),
  );
});

test('a file without number columns gets its row numbers alone; a piece with more records than counted is refused', () => {
  const plan = keyPlan(cols([{ kind: 'text' }, { kind: 'text' }]), ';');
  assert.equal(Buffer.from(keyedPiece(Buffer.from('a;"b\nc"\nd;e\n'), 2, 41, plan)).toString(), '41;a;"b\nc"\n42;d;e\n');
  assert.throws(() => keyedPiece(Buffer.from('a;b\nc;d\n'), 1, 1, plan), /counted 1 records/);
  assert.throws(() => keyedPiece(Buffer.from('a;b\nc;d\n'), 3, 1, plan), /counted 3 records/);
});

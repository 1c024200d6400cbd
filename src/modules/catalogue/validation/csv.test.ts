// The CSV reader against csv-parse on generated tricky files (quotes, doubled quotes, delimiters and
// newlines inside quotes, CRLF, empty fields) cut into chunks at random places; the delimiter sniffing;
// and the two ways a reader refuses a file (an unterminated quote, a record beyond the size bound).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CsvReader, CsvSyntaxError, sniffDelimiter } from './csv.ts';

function read(text: string, delimiter = ',', chunks: number[] = [], maxRecordChars?: number): string[][] {
  const reader = new CsvReader(delimiter, maxRecordChars);
  const out: string[][] = [];
  const on = (cells: string[]) => {
    out.push(cells);
  };
  let at = 0;
  for (const size of chunks) {
    reader.push(text.slice(at, at + size), on);
    at += size;
  }
  reader.push(text.slice(at), on);
  reader.end(on);
  return out;
}

function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

const PIECES = ['a', 'é', 'x y', '', '"', ',', ';', '\n', '\r\n', '12.5', '😀', ' '];

function field(rnd: () => number, delimiter: string): string {
  let value = '';
  const n = Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) value += PIECES[Math.floor(rnd() * PIECES.length)]!;
  const needsQuotes = /["\n\r]/.test(value) || value.includes(delimiter) || rnd() < 0.1;
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

test('reads what csv-parse reads, whatever the chunking (200 generated files)', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rnd = random(seed);
    const delimiter = [',', ';', '\t'][seed % 3]!;
    const width = 1 + Math.floor(rnd() * 5);
    const lines: string[] = [];
    const rows = 1 + Math.floor(rnd() * 20);
    for (let r = 0; r < rows; r++) {
      // A record with only one empty field is an empty line, which csv-parse skips and Python reads as [].
      const cells = Array.from({ length: width }, () => field(rnd, delimiter));
      if (cells.join('') === '') cells[0] = 'x';
      lines.push(cells.join(delimiter));
    }
    const eol = seed % 2 ? '\r\n' : '\n';
    const text = lines.join(eol) + (seed % 4 < 2 ? eol : '');
    const expected = parse(text, { delimiter, relax_column_count: true }) as string[][];
    const chunks = Array.from({ length: 8 }, () => 1 + Math.floor(rnd() * 12));
    assert.deepEqual(read(text, delimiter, chunks), expected, `seed ${seed}: ${JSON.stringify(text)}`);
    assert.deepEqual(read(text, delimiter), expected, `seed ${seed} in one piece`);
  }
});

test('record numbers count records, line numbers count the lines of the file', () => {
  const reader = new CsvReader(',');
  const seen: Array<[number, number]> = [];
  reader.push('a,b\n"x\ny",1\r\nz,2\n', (_c, record, line) => seen.push([record, line]));
  reader.end(() => {});
  assert.deepEqual(seen, [
    [1, 1],
    [2, 2],
    [3, 4],
  ]);
});

test('is lenient as Python is: a quote inside an unquoted field is text, text after a closing quote is kept', () => {
  assert.deepEqual(read('a"b,c\n"ab"c,d\n'), [
    ['a"b', 'c'],
    ['abc', 'd'],
  ]);
  assert.deepEqual(read('a,b\n\nc,d\n'), [['a', 'b'], [], ['c', 'd']]);
});

test('an unterminated quote is an error naming the line where the field starts', () => {
  assert.throws(
    () => read('a,b\n1,2\n3,"never closed\n4,5\n'),
    (e: unknown) => e instanceof CsvSyntaxError && e.kind === 'unterminated-quote' && e.line === 3,
  );
});

test('a record longer than the bound stops the reading instead of growing memory', () => {
  const text = `a,b\n"${'x'.repeat(5000)}`;
  assert.throws(
    () => read(text, ',', [100, 100, 100, 1000, 1000, 1000, 1000], 2000),
    (e: unknown) => e instanceof CsvSyntaxError && e.kind === 'record-too-large' && e.line === 2,
  );
});

test('the delimiter is the one that splits the header into schema columns, then the consistent one', () => {
  assert.equal(sniffDelimiter('id;nom;adresse\n1;a;"3, rue X"\n'), ';');
  assert.equal(sniffDelimiter('id,nom\n1,a\n'), ',');
  assert.equal(sniffDelimiter('id\tnom\tx,y\n1\ta\tb,c\n'), '\t');
  assert.equal(sniffDelimiter('a|b|c\n1|2|3\n'), '|');
  // The header "x,y;z" splits on both, but only ";" gives the schema's names.
  assert.equal(sniffDelimiter('x,y;z\n1,2;3\n', ['x,y', 'z']), ';');
  assert.equal(sniffDelimiter('lonely\n1\n'), ',');
  assert.equal(sniffDelimiter(''), ',');
});

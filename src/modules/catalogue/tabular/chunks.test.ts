// Cutting a CSV into pieces of whole records whatever the source's chunk boundaries: quoted line breaks
// and doubled quotes stay inside their record, the header comes first without its BOM, a last record
// without a line break counts, blank trailing lines do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvPieces, parseRecord } from './chunks.ts';

async function cut(text: string, sourceChunk: number, size: number) {
  const bytes = new TextEncoder().encode(text);
  async function* source() {
    for (let i = 0; i < bytes.length; i += sourceChunk) yield bytes.slice(i, i + sourceChunk);
  }
  let header = '';
  const pieces: Array<{ text: string; records: number }> = [];
  for await (const p of csvPieces(source(), size)) {
    if ('header' in p) header = new TextDecoder().decode(p.header);
    else pieces.push({ text: new TextDecoder().decode(p.bytes), records: p.records });
  }
  return { header, pieces };
}

const FILE = '\uFEFFa,"b ""x""",c\r\n1,"deux\r\nlignes",3\r\n4,"a ""quoted"", comma",6\r\n7,8,9\r\n"10","11\n","12"';

test('every source chunk size and piece size gives the same records, each piece whole', async () => {
  for (const sourceChunk of [1, 2, 3, 5, 7, 64, 4096]) {
    for (const size of [1, 10, 30, 1_000_000]) {
      const { header, pieces } = await cut(FILE, sourceChunk, size);
      assert.equal(header, 'a,"b ""x""",c');
      assert.deepEqual(parseRecord(header, ','), ['a', 'b "x"', 'c']);
      assert.equal(pieces.map((p) => p.text).join(''), FILE.slice(FILE.indexOf('\n') + 1), `${sourceChunk}/${size}`);
      assert.equal(
        pieces.reduce((n, p) => n + p.records, 0),
        4,
        `${sourceChunk}/${size}`,
      );
      // A piece never ends inside quotes: its quotes are balanced.
      for (const p of pieces) assert.equal((p.text.match(/"/g) ?? []).length % 2, 0);
    }
  }
});

test('blank trailing lines are no record; a header alone gives no piece', async () => {
  const { pieces } = await cut('a,b\n1,2\n\n\r\n', 3, 100);
  assert.equal(
    pieces.reduce((n, p) => n + p.records, 0),
    1,
  );
  const alone = await cut('a,b', 1, 100);
  assert.equal(alone.header, 'a,b');
  assert.equal(alone.pieces.length, 0);
});

// The PDF writer: structure checked byte by byte (every xref offset lands on its object), and the text
// read back with poppler's pdftotext when it is installed (apt-get install poppler-utils).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { renderPdf, wrapText } from './pdf-layout.ts';
import { textWidth, toWinAnsi } from './pdf-fonts.ts';

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

/** Checks the file structure the way a strict reader does; returns the objects by number. */
function parseStructure(pdf: Buffer): Map<number, string> {
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.4\n'), 'header');
  assert.ok(text.endsWith('%%EOF\n'), 'trailer ends with %%EOF');
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
  assert.equal(text.slice(startxref, startxref + 5), 'xref\n', 'startxref points at the xref table');
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(startxref))!;
  const count = Number(header[1]);
  const entriesStart = startxref + header[0].length;
  const objects = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const entry = text.slice(entriesStart + 20 * i, entriesStart + 20 * (i + 1));
    assert.equal(entry.length, 20);
    if (i === 0) {
      assert.equal(entry, '0000000000 65535 f \n');
      continue;
    }
    assert.match(entry, /^\d{10} 00000 n \n$/);
    const offset = Number(entry.slice(0, 10));
    assert.ok(text.startsWith(`${i} 0 obj\n`, offset), `object ${i} at its xref offset`);
    const end = text.indexOf('\nendobj\n', offset);
    objects.set(i, text.slice(offset, end));
  }
  assert.match(text.slice(entriesStart + 20 * count), new RegExp(`^trailer\\n<< /Size ${count} /Root 1 0 R`));
  return objects;
}

function pdfToText(pdf: Buffer): { text: string; stderr: string } {
  const run = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], { input: pdf });
  return { text: run.stdout.toString('utf8'), stderr: run.stderr.toString('utf8') };
}

const FRENCH = 'Accusé de réception : « Œuvre » élève à l’école, garçon, naïf, où, çà, Noël, 12 € – ÉTÉ — fin…';

test('a one-page PDF is well formed and its French text reads back exactly', () => {
  const pdf = renderPdf({
    title: 'Reçu n° 42',
    blocks: [
      { type: 'title', text: FRENCH },
      { type: 'field', label: 'Prénom', value: 'Zoé (dite "Zo") \\ test' },
    ],
    footer: 'Métropole de démo',
  });
  const objects = parseStructure(pdf);
  assert.match(objects.get(2)!, /\/Count 1/);
  assert.match(objects.get(3)!, /\/BaseFont \/Helvetica \/Encoding \/WinAnsiEncoding/);
  if (hasPdftotext) {
    const { text, stderr } = pdfToText(pdf);
    assert.equal(stderr, '', 'poppler reports no syntax error');
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes('Accusé de réception : « Œuvre » élève à l’école, garçon, naïf, où, çà, Noël, 12 € – ÉTÉ — fin…'), flat);
    assert.ok(flat.includes('Zoé (dite "Zo") \\ test'));
    assert.ok(flat.includes('Métropole de démo'));
  }
});

test('the content stream holds the WinAnsi bytes when uncompressed, and inflates when compressed', () => {
  const plain = renderPdf({ title: 't', blocks: [{ type: 'paragraph', text: 'éàç (x)' }], compress: false });
  const objects = parseStructure(plain);
  assert.ok(objects.get(7)!.includes('(\\351\\340\\347 \\(x\\)) Tj'), objects.get(7));
  const packed = renderPdf({ title: 't', blocks: [{ type: 'paragraph', text: 'éàç (x)' }] });
  const stream = packed.subarray(packed.indexOf('stream\n') + 7, packed.lastIndexOf('\nendstream'));
  assert.ok(inflateSync(stream).toString('latin1').includes('(\\351\\340\\347 \\(x\\)) Tj'));
});

test('long documents flow onto several numbered pages and no line exceeds the margin', () => {
  const blocks = Array.from({ length: 120 }, (_, i) => ({
    type: 'field' as const,
    label: `Question ${i + 1}`,
    value: `Réponse numéro ${i + 1} : ${'très '.repeat(30)}longue.`,
  }));
  const pdf = renderPdf({ title: 'Long', blocks, pageLabel: (n, t) => `Page ${n} sur ${t}` });
  const objects = parseStructure(pdf);
  const pages = Number(/\/Count (\d+)/.exec(objects.get(2)!)![1]);
  assert.ok(pages >= 5, `pages: ${pages}`);
  if (hasPdftotext) {
    const { text, stderr } = pdfToText(pdf);
    assert.equal(stderr, '');
    assert.ok(text.includes(`Page ${pages} sur ${pages}`));
    assert.ok(text.includes('Question 120'));
    assert.equal(text.split('\f').filter((p) => p.trim()).length, pages);
  }
  const width = 595.28 - 2 * 56;
  const wrapped = wrapText(`${'mot '.repeat(200)}${'x'.repeat(400)}`, 'Helvetica', 10.5, width);
  for (const line of wrapped) assert.ok(textWidth(line, 'Helvetica', 10.5) <= width);
  // Nothing lost or added: the words in order, the over-long one cut into pieces that each fill a line.
  const words = wrapped.map((l) => l.toString('latin1'));
  assert.equal(words.join(' ').replace(/x /g, 'x'), `${'mot '.repeat(200)}${'x'.repeat(400)}`);
  const cut = words.filter((l) => l.startsWith('x'));
  assert.ok(cut.length >= 2);
  for (const piece of cut.slice(0, -1)) assert.ok(textWidth(Buffer.from(`${piece}x`, 'latin1'), 'Helvetica', 10.5) > width, 'a piece fills its line');
  // Greedy filling: a line of words is full (the next word would not have fitted on it).
  const first = words[0]!;
  assert.ok(textWidth(Buffer.from(`${first} mot`, 'latin1'), 'Helvetica', 10.5) > width);
  assert.deepEqual(
    wrapText('Déjà vu\n\nà la ligne', 'Helvetica-Bold', 12, width).map((l) => l.toString('latin1')),
    ['Déjà vu', '', 'à la ligne'],
  );
});

test('characters outside WinAnsi degrade readably', () => {
  assert.equal(toWinAnsi('Łódź ő 日').toString('latin1'), '?ódz o ?');
  assert.equal(toWinAnsi('1\u202f000').toString('latin1'), '1\u00a0000');
  assert.equal(toWinAnsi('a → b ≤ c').toString('latin1'), 'a -> b <= c');
});

// The PDF writer: PDF/A-2u structure checked byte by byte (every xref offset lands on its object; XMP with
// pdfaid part 2 and conformance U saying what the information dictionary says; an sRGB OutputIntent; every
// font an embedded TrueType subset with a ToUnicode map and widths equal to the font program's; a file ID),
// and the text read back with poppler's pdftotext when it is installed (apt-get install poppler-utils;
// pdffonts and qpdf --check too). veraPDF, the reference PDF/A validator, is a Java download this machine
// cannot fetch: these structural checks stand in for it (docs/procedures-operations.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { renderPdf, wrapText } from './pdf-layout.ts';
import { fontOf, shown, textWidth } from './pdf-fonts.ts';
import { TrueTypeFont } from './pdf-truetype.ts';
import { receiptPdf } from './documents.ts';
import { operationsSettings } from '../operations/settings.ts';
import type { DossierSnapshot } from '../operations/dossier-snapshot.ts';

const has = (tool: string, arg = '-v') => spawnSync(tool, [arg]).status === 0;
const hasPdftotext = has('pdftotext');
const hasPdffonts = has('pdffonts');
const hasQpdf = has('qpdf', '--version');

/** Checks the file structure the way a strict reader does; returns the objects by number. */
function parseStructure(pdf: Buffer): Map<number, string> {
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'), 'header, then a comment of four bytes over 127');
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
    objects.set(i, text.slice(offset + `${i} 0 obj\n`.length, end));
  }
  assert.match(
    text.slice(entriesStart + 20 * count),
    new RegExp(`^trailer\\n<< /Size ${count} /Root 1 0 R /Info \\d+ 0 R /ID \\[<([0-9A-F]{32})> <\\1>\\] >>`),
  );
  return objects;
}

const ref = (body: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(body)?.[1]);

/** A stream object's bytes, inflated when it says FlateDecode; its Length checked. */
function streamOf(body: string): Buffer {
  const start = body.indexOf('stream\n') + 7;
  const end = body.lastIndexOf('\nendstream');
  const raw = Buffer.from(body.slice(start, end), 'latin1');
  assert.equal(raw.length, Number(/\/Length (\d+)/.exec(body)![1]), 'Length is the stream’s byte count');
  return body.slice(0, start).includes('/FlateDecode') ? inflateSync(raw) : raw;
}

/** The PDF/A-2u requirements a validator checks, on the structure: returns the XMP and the fonts' base names. */
function checkPdfA(pdf: Buffer, info: { title: string; author?: string }): { xmp: string; fonts: string[] } {
  const objects = parseStructure(pdf);
  const catalog = objects.get(1)!;
  assert.match(catalog, /\/Type \/Catalog/);
  // XMP: not compressed, PDF/A-2u, the same title, author and dates as the information dictionary.
  const metadata = objects.get(ref(catalog, 'Metadata'))!;
  assert.match(metadata, /^<< \/Type \/Metadata \/Subtype \/XML \/Length \d+ >>/);
  assert.doesNotMatch(metadata.slice(0, metadata.indexOf('stream')), /Filter/);
  const xmp = streamOf(metadata).toString('utf8');
  assert.match(xmp, /<pdfaid:part>2<\/pdfaid:part><pdfaid:conformance>U<\/pdfaid:conformance>/);
  assert.ok(xmp.includes(`<rdf:li xml:lang="x-default">${info.title}</rdf:li>`), xmp);
  if (info.author) assert.ok(xmp.includes(`<dc:creator><rdf:Seq><rdf:li>${info.author}</rdf:li></rdf:Seq></dc:creator>`));
  const trailer = pdf.toString('latin1').slice(pdf.lastIndexOf('trailer'));
  const infoDict = objects.get(Number(/\/Info (\d+) 0 R/.exec(trailer)![1]))!;
  const created = /\/CreationDate \(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\+00'00'\)/.exec(infoDict)!;
  assert.ok(xmp.includes(`<xmp:CreateDate>${created[1]}-${created[2]}-${created[3]}T${created[4]}:${created[5]}:${created[6]}+00:00</xmp:CreateDate>`));
  assert.match(infoDict, /\/Producer \(Bastide\)/);
  assert.ok(xmp.includes('<pdf:Producer>Bastide</pdf:Producer>'));
  // OutputIntent: GTS_PDFA1 with an RGB ICC profile (N 3) that is a real profile.
  assert.match(catalog, /\/OutputIntents \[<< \/Type \/OutputIntent \/S \/GTS_PDFA1 /);
  const icc = streamOf(objects.get(ref(catalog, 'DestOutputProfile'))!);
  assert.match(objects.get(ref(catalog, 'DestOutputProfile'))!, /^<< \/N 3 /);
  assert.equal(icc.toString('latin1', 36, 40), 'acsp', 'an ICC profile signature');
  assert.equal(icc.toString('latin1', 16, 19), 'RGB');
  // Fonts: every one a Type0 / CIDFontType2 subset, embedded (FontFile2), with ToUnicode; no standard font.
  const text = pdf.toString('latin1');
  assert.doesNotMatch(text, /\/Subtype \/Type1|\/Helvetica|\/WinAnsiEncoding/);
  const fonts: string[] = [];
  for (const [, body] of objects) {
    if (!/^<< \/Type \/Font \/Subtype \/Type0 /.test(body)) continue;
    const base = /\/BaseFont \/([A-Z]{6}\+[A-Za-z-]+)/.exec(body)![1]!;
    fonts.push(base);
    assert.match(body, /\/Encoding \/Identity-H/);
    const toUnicode = streamOf(objects.get(ref(body, 'ToUnicode'))!).toString('latin1');
    assert.match(toUnicode, /beginbfchar/);
    const cid = objects.get(Number(/\/DescendantFonts \[(\d+) 0 R\]/.exec(body)![1]))!;
    assert.match(cid, /\/Subtype \/CIDFontType2 .*\/CIDToGIDMap \/Identity/);
    const descriptor = objects.get(ref(cid, 'FontDescriptor'))!;
    const program = streamOf(objects.get(ref(descriptor, 'FontFile2'))!);
    assert.equal(program.length, Number(/\/Length1 (\d+)/.exec(objects.get(ref(descriptor, 'FontFile2'))!)![1]));
    // The embedded program is a TrueType font whose widths are the ones the PDF declares (PDF/A 6.2.11.5).
    const subset = new TrueTypeFont(program);
    const widths = /\/W \[0 \[([^\]]*)\]\]/.exec(cid)![1]!.split(' ').map(Number);
    assert.equal(widths.length, subset.numGlyphs);
    widths.forEach((w, g) => assert.ok(Math.abs(w - subset.width(g)) < 0.01, `width of CID ${g}`));
  }
  assert.ok(fonts.length >= 1);
  return { xmp, fonts };
}

function pdfToText(pdf: Buffer): { text: string; stderr: string } {
  const run = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], { input: pdf });
  return { text: run.stdout.toString('utf8'), stderr: run.stderr.toString('utf8') };
}

function externalChecks(pdf: Buffer): void {
  if (hasPdffonts) {
    const run = spawnSync('pdffonts', ['-'], { input: pdf });
    const rows = run.stdout.toString('utf8').split('\n').slice(2).filter(Boolean);
    assert.ok(rows.length >= 1);
    // name, type, encoding, emb, sub, uni: every font embedded, subset, with a Unicode map.
    for (const row of rows) assert.match(row, /CID TrueType\s+Identity-H\s+yes yes yes/, row);
  }
  if (hasQpdf) {
    // qpdf reads files only (it seeks).
    const dir = mkdtempSync(join(tmpdir(), 'bastide-pdf-'));
    try {
      writeFileSync(join(dir, 'f.pdf'), pdf);
      const run = spawnSync('qpdf', ['--check', join(dir, 'f.pdf')]);
      assert.equal(run.status, 0, run.stdout.toString() + run.stderr.toString());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const FRENCH = 'Accusé de réception : « Œuvre » élève à l’école, garçon, naïf, où, çà, Noël, 12 € – ÉTÉ — fin…';

test('a one-page PDF/A-2u: well formed, fonts embedded, XMP and OutputIntent, and its French text reads back exactly', () => {
  const pdf = renderPdf({
    title: 'Reçu n° 42',
    author: 'Métropole de démo',
    blocks: [
      { type: 'title', text: FRENCH },
      { type: 'field', label: 'Prénom', value: 'Zoé (dite "Zo") \\ test' },
    ],
    footer: 'Métropole de démo',
  });
  const { fonts } = checkPdfA(pdf, { title: 'Reçu n° 42', author: 'Métropole de démo' });
  assert.deepEqual(fonts.map((f) => f.split('+')[1]).sort(), ['LiberationSans', 'LiberationSans-Bold']);
  externalChecks(pdf);
  if (hasPdftotext) {
    const { text, stderr } = pdfToText(pdf);
    assert.equal(stderr, '', 'poppler reports no syntax error');
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes(FRENCH), flat);
    assert.ok(flat.includes('Zoé (dite "Zo") \\ test'));
    assert.ok(flat.includes('Métropole de démo'));
  }
});

test('a receipt for Łukasz Żółć Nguyễn Thị prints every letter of the name', () => {
  const name = 'Łukasz Żółć Nguyễn Thị';
  const d: DossierSnapshot = {
    id: '01900000-0000-7000-8000-000000000001',
    number: '2026-000042',
    state: 'submitted',
    procedureId: '01900000-0000-7000-8000-000000000002',
    procedureSlug: 'inscription',
    procedureTitle: 'Inscription à la médiathèque — Ștefan & Şule',
    revision: 1,
    fields: [
      { key: 'nom', label: 'Nom et prénom', type: 'text' },
      { key: 'ville', label: 'Ville de naissance', type: 'text' },
    ],
    data: { nom: name, ville: 'Kraków (Polska) / Hà Nội' },
    motivation: null,
    applicantEmail: null,
    groupName: null,
    assigneeEmail: null,
    labels: [],
    createdAt: new Date('2026-12-06T09:00:00Z'),
    submittedAt: new Date('2026-12-06T09:05:00Z'),
    decidedAt: null,
    tenantSlug: 'nantes-metropole',
    tenantName: 'Nantes Métropole',
    settings: operationsSettings(null),
    mediation: null,
    hasTrackingCode: false,
  };
  const pdf = receiptPdf(d, 'fr');
  checkPdfA(pdf, { title: 'Accusé de réception — Dossier 2026-000042', author: 'Nantes Métropole' });
  externalChecks(pdf);
  // The letters are in the fonts: none stands in for another.
  for (const ch of name + 'Kraków Hà Nội Ștefan Şule') assert.equal(shown(ch, 'regular').text, ch, ch);
  if (hasPdftotext) {
    const flat = pdfToText(pdf).text.replace(/\s+/g, ' ');
    assert.ok(flat.includes(name), flat);
    assert.ok(flat.includes('Kraków (Polska) / Hà Nội'), flat);
    assert.ok(flat.includes('Ștefan & Şule'), flat);
  }
});

test('the content stream shows CIDs of the subset, compressed or not; the subset holds only the glyphs used', () => {
  const plain = renderPdf({ title: 't', blocks: [{ type: 'paragraph', text: 'éàç (x)' }], compress: false });
  const objects = parseStructure(plain);
  const content = [...objects.values()].find((b) => b.includes(' Tj'))!;
  assert.match(content, /BT 0 g \/F1 10\.5 Tf [\d.]+ [\d.]+ Td\n<[0-9A-F]+> Tj\nET/);
  const packed = renderPdf({ title: 't', blocks: [{ type: 'paragraph', text: 'éàç (x)' }] });
  const shownText = [...parseStructure(packed).values()].filter((b) => b.includes('/FlateDecode')).map((b) => streamOf(b).toString('latin1'));
  assert.ok(
    shownText.some((s) => /<[0-9A-F]+> Tj/.test(s)),
    'the compressed content stream inflates to the same operators',
  );
  const { fonts } = checkPdfA(packed, { title: 't' });
  // "éàç (x)" and the page number "1 / 1": .notdef, the glyphs shown, and the components the accented
  // letters are drawn from (e and acute, a and grave, c and cedilla) — not the font's 2,620 glyphs.
  const regular = fontOf('regular');
  const used = new Set([...'éàç (x)1 / 1'].map((c) => regular.glyphOf(c.codePointAt(0)!)));
  const program = [...parseStructure(packed).values()].find((b) => b.includes('/Length1'))!;
  const glyphs = new TrueTypeFont(streamOf(program)).numGlyphs;
  assert.ok(glyphs >= used.size + 1 && glyphs <= used.size + 1 + 6, `${fonts.join()}: ${glyphs} glyphs`);
  assert.ok(packed.length < 20_000, `a short document stays small: ${packed.length} bytes`);
});

test('long documents flow onto several numbered pages and no line exceeds the margin', () => {
  const blocks = Array.from({ length: 120 }, (_, i) => ({
    type: 'field' as const,
    label: `Question ${i + 1}`,
    value: `Réponse numéro ${i + 1} : ${'très '.repeat(30)}longue.`,
  }));
  const pdf = renderPdf({ title: 'Long', blocks, pageLabel: (n, t) => `Page ${n} sur ${t}` });
  checkPdfA(pdf, { title: 'Long' });
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
  const wrapped = wrapText(`${'mot '.repeat(200)}${'x'.repeat(400)}`, 'regular', 10.5, width);
  for (const line of wrapped) assert.ok(textWidth(line, 'regular', 10.5) <= width);
  // Nothing lost or added: the words in order, the over-long one cut into pieces that each fill a line.
  assert.equal(wrapped.join(' ').replace(/x /g, 'x'), `${'mot '.repeat(200)}${'x'.repeat(400)}`);
  const cut = wrapped.filter((l) => l.startsWith('x'));
  assert.ok(cut.length >= 2);
  for (const piece of cut.slice(0, -1)) assert.ok(textWidth(`${piece}x`, 'regular', 10.5) > width, 'a piece fills its line');
  // Greedy filling: a line of words is full (the next word would not have fitted on it).
  assert.ok(textWidth(`${wrapped[0]!} mot`, 'regular', 10.5) > width);
  assert.deepEqual(wrapText('Déjà vu\n\nà la ligne', 'bold', 12, width), ['Déjà vu', '', 'à la ligne']);
});

test('characters the font lacks stand in readably, never as the empty .notdef glyph', () => {
  // Liberation Sans has no CJK: "?" (PDF/A forbids showing .notdef). A circled digit is its digit, a
  // black-letter capital its letter (their compatibility forms); what the font has is itself.
  assert.deepEqual(
    [...'日①ℌ\u202f→≤'].map((c) => shown(c, 'regular').text),
    ['?', '1', 'H', '\u202f', '→', '≤'],
  );
  for (const c of '日①ℌ\u0001') assert.notEqual(shown(c, 'bold').glyph, 0);
  const pdf = renderPdf({ title: '日本', blocks: [{ type: 'paragraph', text: 'Nom : 山田 Taro' }] });
  checkPdfA(pdf, { title: '日本' });
  if (hasPdftotext) assert.ok(pdfToText(pdf).text.includes('Nom : ?? Taro'));
});

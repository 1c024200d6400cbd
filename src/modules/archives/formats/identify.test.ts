// The identifier against files built for each signature it knows, and hostile containers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identifyFile } from './identify.ts';
import { exif, jfif, odf, ooxml, pdf, png, tiff, zip } from '../../../../test/support/archives/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'bastide-identify-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function id(bytes: Buffer | string, filename = 'file') {
  const path = join(dir, `f${++n}`);
  writeFileSync(path, bytes);
  return identifyFile(path, filename);
}

test('PDF versions by header, PDF/A parts and conformance by the XMP pdfaid properties', async () => {
  for (const [v, puid] of Object.entries({
    '1.0': 'fmt/14',
    '1.3': 'fmt/17',
    '1.4': 'fmt/18',
    '1.5': 'fmt/19',
    '1.6': 'fmt/20',
    '1.7': 'fmt/276',
    '2.0': 'fmt/1129',
  }))
    assert.equal((await id(pdf(v))).puid, puid, v);
  for (const [a, puid] of Object.entries({
    '1A': 'fmt/95',
    '1B': 'fmt/354',
    '2A': 'fmt/476',
    '2B': 'fmt/477',
    '2U': 'fmt/478',
    '3A': 'fmt/479',
    '3B': 'fmt/480',
    '3U': 'fmt/481',
  })) {
    assert.equal((await id(pdf('1.7', a))).puid, puid, a);
    assert.equal((await id(pdf('1.4', a, true))).puid, puid, `${a} element form`);
  }
  // XMP far beyond the first window (a large PDF): still found.
  const big = await id(pdf('1.7', '2B', false, 20_000));
  assert.deepEqual(big, { puid: 'fmt/477', mime: 'application/pdf', name: 'PDF/A-2b' });
  // The name claims nothing: a PDF called .txt is a PDF.
  assert.equal((await id(pdf('1.4'), 'notes.txt')).mime, 'application/pdf');
});

test('ODF by the mimetype entry and office:version; OOXML by [Content_Types].xml and its main part; plain ZIP', async () => {
  assert.equal((await id(odf('text', '1.2'))).puid, 'fmt/291');
  assert.equal((await id(odf('text', '1.0'))).puid, 'fmt/136');
  assert.equal((await id(odf('text', '1.1'))).puid, 'fmt/290');
  assert.equal((await id(odf('spreadsheet', '1.2'))).puid, 'fmt/295');
  assert.equal((await id(odf('presentation', '1.2'))).puid, 'fmt/293');
  assert.equal((await id(odf('graphics', '1.1'))).puid, 'fmt/296');
  assert.equal((await id(odf('spreadsheet', null))).puid, 'fmt/294', 'no version: the 1.1 signature, as DROID falls back');
  assert.deepEqual(await id(odf('text', '1.3')), { puid: null, mime: 'application/vnd.oasis.opendocument.text', name: 'OpenDocument Text 1.3' });
  assert.equal((await id(ooxml('word/document.xml'))).puid, 'fmt/412');
  assert.equal((await id(ooxml('xl/workbook.xml'))).puid, 'fmt/214');
  assert.equal((await id(ooxml('ppt/presentation.xml'))).puid, 'fmt/215');
  assert.equal((await id(zip([{ name: 'a.txt', data: 'hello' }]))).puid, 'x-fmt/263');
});

test('images: PNG versions by their chunks, JPEG JFIF and Exif versions, raw JPEG, TIFF', async () => {
  assert.equal((await id(png())).puid, 'fmt/11');
  assert.equal((await id(png(['sRGB']))).puid, 'fmt/12');
  assert.equal((await id(png(['iTXt']))).puid, 'fmt/13');
  assert.equal((await id(jfif(0))).puid, 'fmt/42');
  assert.equal((await id(jfif(1))).puid, 'fmt/43');
  assert.equal((await id(jfif(2))).puid, 'fmt/44');
  assert.equal((await id(exif('0220'))).puid, 'x-fmt/391');
  assert.equal((await id(exif('0210'))).puid, 'x-fmt/390');
  assert.equal((await id(exif('0231'))).puid, 'fmt/41');
  assert.equal((await id(tiff())).puid, 'fmt/353');
});

test('text: XML, CSV (by its shape, or a one-line file named .csv), plain text; binary is unknown', async () => {
  assert.equal((await id('\uFEFF<?xml version="1.0"?><a/>')).puid, 'fmt/101');
  assert.equal((await id('nom;montant\nA;1\nB;2\n')).puid, 'x-fmt/18');
  assert.equal((await id('a,b\n', 'x.csv')).puid, 'x-fmt/18');
  assert.equal((await id('Compte rendu de séance.\nLe conseil a délibéré.\n')).puid, 'x-fmt/111');
  assert.deepEqual(await id(Buffer.from([0, 1, 2, 3, 0xff])), { puid: null, mime: 'application/octet-stream', name: 'Unknown' });
});

test('hostile containers: a truncated or lying ZIP, a deflate bomb in meta.xml, a PNG chunk length past the end', async () => {
  const good = odf('text', '1.2');
  assert.equal((await id(good.subarray(0, 100))).mime, 'application/vnd.oasis.opendocument.text', 'no central directory: type from mimetype, version unknown');
  const bomb = zip([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
    { name: 'meta.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) },
  ]);
  const r = await id(bomb);
  assert.equal(r.mime, 'application/vnd.oasis.opendocument.text');
  const lying = Buffer.from(zip([{ name: 'a', data: 'x' }]));
  lying.writeUInt32LE(0xfffffff0, lying.length - 6); // central directory offset past the end
  assert.equal((await id(lying)).puid, 'x-fmt/263');
  const p = png();
  p.writeUInt32BE(0x7fffffff, 8);
  assert.equal((await id(p)).puid, 'fmt/11');
});

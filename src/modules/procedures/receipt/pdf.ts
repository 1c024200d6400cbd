// A small PDF writer for the records Bastide writes and keeps (receipts, dossier prints, elimination
// certificates): PDF/A-2u, so that an archive can keep them for decades and any reader shows them alike.
// - Fonts embedded as subsets (Type0 / CIDFontType2, Identity-H), each with a ToUnicode map: every glyph
//   has its Unicode text (the "u" of PDF/A-2u), so text can be searched and copied.
// - XMP metadata (pdfaid:part 2, conformance U) saying what the document information dictionary says.
// - An OutputIntent with the sRGB ICC profile (assets/sRGB.icc): the grey levels the pages use are defined.
// - A file identifier (/ID), no encryption, no transparency, no external content.
// Each object is written once, its byte offset recorded, and the cross-reference table lists those offsets
// exactly (20-byte entries) so that every reader opens the file without "repairing" it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fontOf, POSTSCRIPT_NAMES, shown, type FontName } from './pdf-fonts.ts';

export interface PdfInfo {
  title: string;
  author?: string;
  subject?: string;
  creationDate?: Date;
}

export const PAGE_WIDTH = 595.28; // A4 in points
export const PAGE_HEIGHT = 841.89;

/** Resource names used by content streams. */
export const FONT_RESOURCE: Record<FontName, string> = { regular: 'F1', bold: 'F2' };

/** A page's content: PDF operators, and text to show (`<CIDs> Tj`) once the fonts' subsets are known. */
export type PageOp = string | { show: string; font: FontName };

/** A text string for the document information (any Unicode): UTF-16BE with its byte order mark, in hex. */
function infoString(text: string): string {
  const units: string[] = ['FEFF'];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase());
  return `<${units.join('')}>`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function pdfDate(d: Date): string {
  return `D:${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}+00'00'`;
}

function xmpDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XMP packet: PDF/A-2u identification and the document information, said the same way. */
export function xmpMetadata(info: PdfInfo, created: Date): string {
  const date = xmpDate(created);
  const dc = [`<dc:format>application/pdf</dc:format>`, `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.title)}</rdf:li></rdf:Alt></dc:title>`];
  if (info.author) dc.push(`<dc:creator><rdf:Seq><rdf:li>${xml(info.author)}</rdf:li></rdf:Seq></dc:creator>`);
  if (info.subject) dc.push(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.subject)}</rdf:li></rdf:Alt></dc:description>`);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance></rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">${dc.join('')}</rdf:Description>`,
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>Bastide</pdf:Producer></rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>Bastide</xmp:CreatorTool><xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate><xmp:MetadataDate>${date}</xmp:MetadataDate></rdf:Description>`,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

let icc: Buffer | null = null;
/** The sRGB profile, compressed once. */
function iccProfile(): Buffer {
  return (icc ??= deflateSync(readFileSync(new URL('./assets/sRGB.icc', import.meta.url))));
}

const HEX4: string[] = [];
const hex4 = (n: number) => (n < 4096 ? (HEX4[n] ??= n.toString(16).padStart(4, '0').toUpperCase()) : n.toString(16).padStart(4, '0').toUpperCase());

function utf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/** The CMap from CIDs to Unicode text (PDF 32000 §9.10.3), 100 entries per block as the syntax requires. */
function toUnicodeCMap(entries: Array<[number, string]>): string {
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([cid, text]) => `<${hex4(cid)}> <${utf16Hex(text)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** What one font draws in the document: glyphs used (old numbers) and the text each one shows. */
class FontUse {
  readonly glyphs = new Map<number, string>();
  cids: Map<number, number> | null = null;

  record(text: string, name: FontName): void {
    for (const ch of text.normalize('NFC')) {
      const s = shown(ch, name);
      if (!this.glyphs.has(s.glyph)) this.glyphs.set(s.glyph, s.text);
    }
  }

  encode(text: string, name: FontName): string {
    let out = '<';
    for (const ch of text.normalize('NFC')) out += hex4(this.cids!.get(shown(ch, name).glyph)!);
    return `${out}>`;
  }
}

/** A stream object: its dictionary entries, then its bytes, compressed unless told otherwise. */
function stream(entries: string, data: Buffer, compress = true): Buffer {
  const body = compress ? deflateSync(data) : data;
  return Buffer.concat([
    Buffer.from(`<< ${entries}${entries ? ' ' : ''}/Length ${body.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`, 'latin1'),
    body,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/**
 * Assembles a PDF/A-2u file from pages of operators and text. Content streams, font programs and their
 * Unicode maps are compressed with Flate unless `compress` is false (a test reads the output; a mail
 * attachment is made faster); the colour profile always is (once per process).
 */
export function writePdf(pages: PageOp[][], info: PdfInfo, options: { compress?: boolean } = {}): Buffer {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const compress = options.compress ?? true;
  const created = info.creationDate ?? new Date();

  // The glyphs each font draws, then their subsets (numbered anew: the CIDs).
  const uses = new Map<FontName, FontUse>();
  for (const page of pages) {
    for (const op of page) {
      if (typeof op === 'string') continue;
      let use = uses.get(op.font);
      if (!use) uses.set(op.font, (use = new FontUse()));
      use.record(op.show, op.font);
    }
  }

  const objects: Buffer[] = [];
  const reserve = () => objects.push(Buffer.alloc(0));
  const set = (id: number, body: string | Buffer) => {
    objects[id - 1] = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  };
  const catalog = reserve();
  const pagesId = reserve();
  const metadata = reserve();
  const profile = reserve();
  const infoId = reserve();

  const fontRefs: string[] = [];
  for (const [name, use] of uses) {
    const font = fontOf(name);
    const { font: program, glyphMap } = font.subset(use.glyphs.keys());
    use.cids = glyphMap;
    // The subset's tag: six capitals from its glyphs, so that the same subset always has the same name.
    const digest = createHash('sha256').update(name).update(program).digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
    const baseFont = `${tag}+${POSTSCRIPT_NAMES[name]}`;
    const [type0, cidFont, descriptor, file, toUnicode] = [reserve(), reserve(), reserve(), reserve(), reserve()];
    const m = font.metrics;
    const scale = (v: number) => Math.round((v * 1000) / m.unitsPerEm);
    const byCid = [...glyphMap].sort((a, b) => a[1] - b[1]);
    const widths = byCid.map(([glyph]) => Math.round(font.width(glyph) * 1000) / 1000);
    set(type0, `<< /Type /Font /Subtype /Type0 /BaseFont /${baseFont} /Encoding /Identity-H /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
    set(
      cidFont,
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseFont} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ` +
        `/FontDescriptor ${descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [${widths.join(' ')}]] >>`,
    );
    set(
      descriptor,
      `<< /Type /FontDescriptor /FontName /${baseFont} /Flags 32 /FontBBox [${m.bbox.map(scale).join(' ')}] /ItalicAngle ${m.italicAngle} ` +
        `/Ascent ${scale(m.ascent)} /Descent ${scale(m.descent)} /CapHeight ${scale(m.capHeight)} /StemV ${m.weight >= 600 ? 140 : 80} /FontWeight ${m.weight} /FontFile2 ${file} 0 R >>`,
    );
    // Not compressed either when the caller asked for speed (the receipt attached to a mail): deflating
    // costs more than laying the page out, for a few kilobytes.
    set(file, stream(`/Length1 ${program.length}`, program, compress));
    set(toUnicode, stream('', Buffer.from(toUnicodeCMap(byCid.map(([glyph, cid]) => [cid, use.glyphs.get(glyph) ?? '?'])), 'latin1'), compress));
    fontRefs.push(`/${FONT_RESOURCE[name]} ${type0} 0 R`);
  }

  const pageIds: number[] = [];
  for (const page of pages) {
    const pageId = reserve();
    const contents = reserve();
    pageIds.push(pageId);
    const ops = page.map((op) => (typeof op === 'string' ? op : `${uses.get(op.font)!.encode(op.show, op.font)} Tj`));
    set(
      pageId,
      `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << ${fontRefs.join(' ')} >> >> /Contents ${contents} 0 R >>`,
    );
    set(contents, stream('', Buffer.from(`${ops.join('\n')}\n`, 'latin1'), compress));
  }

  set(
    catalog,
    `<< /Type /Catalog /Pages ${pagesId} 0 R /Metadata ${metadata} 0 R /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 ` +
      `/OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /DestOutputProfile ${profile} 0 R >>] >>`,
  );
  set(pagesId, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);
  // PDF/A: the metadata stream is not compressed, so that any tool reads it.
  set(metadata, stream('/Type /Metadata /Subtype /XML', Buffer.from(xmpMetadata(info, created), 'utf8'), false));
  set(
    profile,
    Buffer.concat([
      Buffer.from(`<< /N 3 /Length ${iccProfile().length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
      iccProfile(),
      Buffer.from('\nendstream', 'latin1'),
    ]),
  );
  const infoEntries = [
    `/Title ${infoString(info.title)}`,
    '/Producer (Bastide)',
    '/Creator (Bastide)',
    `/CreationDate (${pdfDate(created)})`,
    `/ModDate (${pdfDate(created)})`,
  ];
  if (info.author) infoEntries.push(`/Author ${infoString(info.author)}`);
  if (info.subject) infoEntries.push(`/Subject ${infoString(info.subject)}`);
  set(infoId, `<< ${infoEntries.join(' ')} >>`);

  // The binary comment line tells transfer tools the file is binary (PDF 32000 §7.5.2; PDF/A asks for it).
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  const id = createHash('md5');
  for (const [i, body] of objects.entries()) {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    id.update(chunk);
    chunks.push(chunk);
    offset += chunk.length;
  }
  // The file identifier (required by PDF/A): a digest of the content, the same in both halves of a new file.
  const fileId = id.digest('hex').toUpperCase();
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n'];
  for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoId} 0 R /ID [<${fileId}> <${fileId}>] >>\nstartxref\n${offset}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(chunks);
}

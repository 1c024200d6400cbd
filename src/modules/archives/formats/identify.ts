// Format identification from content (never from the name or the sender's claim), with PRONOM
// identifiers where one applies: what Vitam asks Siegfried for at ingest, for the formats a collectivité
// keeps. Signature-based like DROID/Siegfried, on the same evidence their signature files use (PRONOM
// identifiers checked against a DROID-derived signature file; see docs/archives.md §formats):
//   PDF 1.0–1.7 and 2.0 (header), PDF/A-1a/1b/2a/2b/2u/3a/3b/3u (XMP pdfaid:part + pdfaid:conformance),
//   ODF 1.0/1.1/1.2 (the stored `mimetype` entry, office:version in meta.xml), OOXML ([Content_Types].xml
//   and the main part), ZIP, XML, CSV and plain text (UTF-8), JPEG (JFIF 1.00–1.02, Exif 2.0–2.2, raw),
//   PNG (1.0/1.1/1.2 by the chunks each version introduced), TIFF.
// Reads at most a few windows of the file; a hostile file costs bounded memory (zip entries are
// inflated through a capped window).
import { open, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { inflateRawSync, constants as zlib } from 'node:zlib';

export interface FormatIdentity {
  /** PRONOM unique identifier (fmt/…, x-fmt/…), or null when no PRONOM format applies. */
  puid: string | null;
  mime: string;
  /** Human-readable name with version. */
  name: string;
}

const HEAD = 64 * 1024;
/** PDF/A's XMP may sit anywhere: scanned whole up to this size, head and tail beyond it. */
const PDF_SCAN_LIMIT = 256 * 1024 * 1024;
const UNKNOWN: FormatIdentity = { puid: null, mime: 'application/octet-stream', name: 'Unknown' };

const PDF_VERSIONS: Record<string, string> = {
  '1.0': 'fmt/14',
  '1.1': 'fmt/15',
  '1.2': 'fmt/16',
  '1.3': 'fmt/17',
  '1.4': 'fmt/18',
  '1.5': 'fmt/19',
  '1.6': 'fmt/20',
  '1.7': 'fmt/276',
  '2.0': 'fmt/1129',
};
const PDFA: Record<string, string> = {
  '1A': 'fmt/95',
  '1B': 'fmt/354',
  '2A': 'fmt/476',
  '2B': 'fmt/477',
  '2U': 'fmt/478',
  '3A': 'fmt/479',
  '3B': 'fmt/480',
  '3U': 'fmt/481',
};
// ODF by document type and version: 1.0, 1.1 (also DROID's fallback when no version is found), 1.2.
const ODF: Record<string, { label: string; v10: string; v11: string; v12: string }> = {
  text: { label: 'OpenDocument Text', v10: 'fmt/136', v11: 'fmt/290', v12: 'fmt/291' },
  spreadsheet: { label: 'OpenDocument Spreadsheet', v10: 'fmt/137', v11: 'fmt/294', v12: 'fmt/295' },
  presentation: { label: 'OpenDocument Presentation', v10: 'fmt/138', v11: 'fmt/292', v12: 'fmt/293' },
  graphics: { label: 'OpenDocument Graphics', v10: 'fmt/139', v11: 'fmt/296', v12: 'fmt/297' },
};
const OOXML: Array<{ part: string; puid: string; mime: string; name: string }> = [
  {
    part: 'word/document.xml',
    puid: 'fmt/412',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    name: 'Microsoft Word for Windows 2007 onwards',
  },
  {
    part: 'xl/workbook.xml',
    puid: 'fmt/214',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    name: 'Microsoft Excel for Windows 2007 onwards',
  },
  {
    part: 'ppt/presentation.xml',
    puid: 'fmt/215',
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    name: 'Microsoft PowerPoint for Windows 2007 onwards',
  },
];

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await fh.read(buf, 0, buf.length, position);
  return buf.subarray(0, bytesRead);
}

/**
 * What the first bytes alone tell (`head`: the first 64 KiB, or the whole file when smaller), or null
 * when the file itself must be read (PDF/A's XMP, a ZIP's directory, PNG chunks).
 */
export function identifyHead(head: Buffer, size: number, filename = ''): FormatIdentity | null {
  if (size === 0) return UNKNOWN;
  if (/%PDF-\d\.\d/.test(head.subarray(0, 1024).toString('latin1'))) return null;
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return null;
  if (head[0] === 0x89 && head.subarray(1, 8).toString('latin1') === 'PNG\r\n\x1a\n') return null;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return identifyJpeg(head);
  const tiff = head.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\x00' || tiff === 'MM\x00*') return { puid: 'fmt/353', mime: 'image/tiff', name: 'Tagged Image File Format' };
  return identifyText(head, size, filename);
}

/** Identifies the file at `path`; `head` (its first bytes, already read by the caller) spares a read when it suffices. */
export async function identifyFile(path: string, filename = '', known?: { head: Buffer; size: number }): Promise<FormatIdentity> {
  if (known) {
    const quick = identifyHead(known.head, known.size, filename);
    if (quick) return quick;
  }
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = await readAt(fh, 0, Math.min(HEAD, size));
    return await identify(fh, size, head, filename);
  } finally {
    await fh.close();
  }
}

async function identify(fh: FileHandle, size: number, head: Buffer, filename: string): Promise<FormatIdentity> {
  if (size === 0) return UNKNOWN;
  const pdf = /%PDF-(\d\.\d)/.exec(head.subarray(0, 1024).toString('latin1'));
  if (pdf) return identifyPdf(fh, size, head, pdf[1]!, pdf.index);
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return identifyZip(fh, size, head);
  if (head[0] === 0x89 && head.subarray(1, 8).toString('latin1') === 'PNG\r\n\x1a\n') return identifyPng(fh, size);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return identifyJpeg(head);
  const tiff = head.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\x00' || tiff === 'MM\x00*') return { puid: 'fmt/353', mime: 'image/tiff', name: 'Tagged Image File Format' };
  return identifyText(head, size, filename);
}

// ---- PDF ------------------------------------------------------------------------------------------

async function identifyPdf(fh: FileHandle, size: number, head: Buffer, version: string, offset: number): Promise<FormatIdentity> {
  // DROID accepts a header within the first 1,024 bytes for the PDF/A signatures only when it starts the
  // file or follows at most 144 bytes of junk; the plain-version signatures want it at offset 0.
  const pdfa = await findPdfA(fh, size, head);
  if (pdfa && offset <= 144) {
    const puid = PDFA[pdfa];
    if (puid) return { puid, mime: 'application/pdf', name: `PDF/A-${pdfa.toLowerCase()}` };
  }
  const puid = offset === 0 ? (PDF_VERSIONS[version] ?? null) : null;
  return { puid, mime: 'application/pdf', name: pdfa ? `PDF/A-${pdfa.toLowerCase()} (PDF ${version})` : `PDF ${version}` };
}

const PDFAID_PART = /pdfaid:part(?:="|='|>)\s*(\d)/;
const PDFAID_CONFORMANCE = /pdfaid:conformance(?:="|='|>)\s*([A-Za-z])/;

/** `1B`, `2U`… from the XMP packet's pdfaid properties (attribute or element form), or null. */
export function pdfaidOf(text: string): string | null {
  const at = text.indexOf('http://www.aiim.org/pdfa/ns/id');
  if (at < 0) return null;
  const window = text.slice(at, at + 4096);
  const part = PDFAID_PART.exec(window);
  const conformance = PDFAID_CONFORMANCE.exec(window);
  if (!part) return null;
  return `${part[1]}${conformance ? conformance[1]!.toUpperCase() : ''}`;
}

async function findPdfA(fh: FileHandle, size: number, head: Buffer): Promise<string | null> {
  const inHead = pdfaidOf(head.toString('latin1'));
  if (inHead || size <= head.length) return inHead;
  const CHUNK = 1024 * 1024;
  const OVERLAP = 8192;
  const ranges: Array<[number, number]> =
    size <= PDF_SCAN_LIMIT
      ? [[0, size]]
      : [
          [0, 16 * CHUNK],
          [size - 16 * CHUNK, size],
        ];
  for (const [from, to] of ranges) {
    for (let pos = from; pos < to; pos += CHUNK) {
      const buf = await readAt(fh, Math.max(from, pos - OVERLAP), Math.min(CHUNK + OVERLAP, to - Math.max(from, pos - OVERLAP)));
      const found = pdfaidOf(buf.toString('latin1'));
      if (found) return found;
    }
  }
  return null;
}

// ---- ZIP containers: ODF, OOXML, plain ZIP --------------------------------------------------------

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory's entries (at most 10,000 read), or null when the file has none we can read. */
async function zipEntries(fh: FileHandle, size: number): Promise<ZipEntry[] | null> {
  const tailLength = Math.min(size, 65_557);
  const tail = await readAt(fh, size - tailLength, tailLength);
  const eocd = tail.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (eocd < 0 || eocd + 22 > tail.length) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize > size || cdSize > 16 * 1024 * 1024) return null;
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < Math.min(count, 10_000) && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) break;
    const nameLength = cd.readUInt16LE(p + 28);
    const extra = cd.readUInt16LE(p + 30);
    const comment = cd.readUInt16LE(p + 32);
    entries.push({
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
    });
    p += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** The first bytes of an entry (stored or deflated), at most `max` of them; null when unreadable. */
async function entryHead(fh: FileHandle, size: number, entry: ZipEntry, max: number): Promise<Buffer | null> {
  const local = await readAt(fh, entry.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) return null;
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const data = await readAt(fh, start, Math.min(entry.compressedSize, max, Math.max(0, size - start)));
  if (entry.method === 0) return data.subarray(0, max);
  if (entry.method !== 8) return null;
  try {
    // A window of the compressed bytes, flushed as far as it goes: bounded whatever the entry claims.
    return inflateRawSync(data, { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: max * 4 }).subarray(0, max);
  } catch {
    return null;
  }
}

async function identifyZip(fh: FileHandle, size: number, head: Buffer): Promise<FormatIdentity> {
  const zip: FormatIdentity = { puid: 'x-fmt/263', mime: 'application/zip', name: 'ZIP Format' };
  // ODF: the first entry is `mimetype`, stored, its content the media type (ODF 1.2 part 3 §3.3).
  if (head.length > 38 && head.toString('latin1', 30, 38) === 'mimetype') {
    const nameLength = head.readUInt16LE(26);
    const extra = head.readUInt16LE(28);
    const length = head.readUInt32LE(18);
    const mime = head.toString('latin1', 30 + nameLength + extra, 30 + nameLength + extra + Math.min(length, 100));
    const kind = /^application\/vnd\.oasis\.opendocument\.(text|spreadsheet|presentation|graphics)$/.exec(mime)?.[1];
    if (kind) {
      const entries = (await zipEntries(fh, size)) ?? [];
      const meta = entries.find((e) => e.name === 'meta.xml') ?? entries.find((e) => e.name === 'content.xml');
      const xml = meta ? ((await entryHead(fh, size, meta, 16 * 1024))?.toString('utf8') ?? '') : '';
      const version = /office:version="(\d\.\d)"/.exec(xml)?.[1];
      const odf = ODF[kind]!;
      const puid = version === '1.0' ? odf.v10 : version === '1.2' ? odf.v12 : version === undefined || version === '1.1' ? odf.v11 : null;
      return { puid, mime, name: `${odf.label}${version ? ` ${version}` : ''}` };
    }
  }
  const entries = await zipEntries(fh, size);
  if (!entries) return zip;
  const names = new Set(entries.map((e) => e.name));
  if (names.has('[Content_Types].xml')) {
    const match = OOXML.find((o) => names.has(o.part));
    if (match) return { puid: match.puid, mime: match.mime, name: match.name };
  }
  return zip;
}

// ---- Images ---------------------------------------------------------------------------------------

async function identifyPng(fh: FileHandle, size: number): Promise<FormatIdentity> {
  // Walk the chunks (type names only): iTXt came with PNG 1.2, iCCP/sPLT/sRGB with 1.1.
  const seen = new Set<string>();
  let pos = 8;
  for (let i = 0; i < 10_000 && pos + 8 <= size; i++) {
    const header = await readAt(fh, pos, 8);
    if (header.length < 8) break;
    const type = header.toString('latin1', 4, 8);
    seen.add(type);
    if (type === 'IEND') break;
    pos += 12 + header.readUInt32BE(0);
  }
  if (seen.has('iTXt')) return { puid: 'fmt/13', mime: 'image/png', name: 'Portable Network Graphics 1.2' };
  if (['iCCP', 'sPLT', 'sRGB'].some((t) => seen.has(t))) return { puid: 'fmt/12', mime: 'image/png', name: 'Portable Network Graphics 1.1' };
  return { puid: 'fmt/11', mime: 'image/png', name: 'Portable Network Graphics 1.0' };
}

function identifyJpeg(head: Buffer): FormatIdentity {
  if (head[3] === 0xe0 && head.toString('latin1', 6, 11) === 'JFIF\x00' && head[11] === 1) {
    const puid = ({ 0: 'fmt/42', 1: 'fmt/43', 2: 'fmt/44' } as Record<number, string>)[head[12]!];
    if (puid) return { puid, mime: 'image/jpeg', name: `JPEG File Interchange Format 1.0${head[12]}` };
  }
  if (head[3] === 0xe1 && head.toString('latin1', 6, 12) === 'Exif\x00\x00') {
    // The ExifVersion tag (0x9000, type UNDEFINED, count 4) in either byte order.
    const big = head.indexOf(Buffer.from([0x90, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04]));
    const little = head.indexOf(Buffer.from([0x00, 0x90, 0x07, 0x00, 0x04, 0x00, 0x00, 0x00]));
    const at = big >= 0 ? big : little;
    const v = at >= 0 ? head.toString('latin1', at + 8, at + 12) : undefined;
    const puid = v ? ({ '0200': 'x-fmt/398', '0210': 'x-fmt/390', '0220': 'x-fmt/391' } as Record<string, string | undefined>)[v] : undefined;
    if (puid && v) return { puid, mime: 'image/jpeg', name: `Exchangeable Image File Format (Compressed) ${v[1]}.${v[2]}` };
  }
  return { puid: 'fmt/41', mime: 'image/jpeg', name: 'Raw JPEG Stream' };
}

// ---- Text: XML, CSV, plain ------------------------------------------------------------------------

function identifyText(head: Buffer, size: number, filename: string): FormatIdentity {
  // A multi-byte character cut at the end of the window is not a reason to call the file binary.
  if (head.includes(0)) return UNKNOWN;
  let sample = head;
  if (size > head.length) for (let cut = 0; cut < 4 && !isUtf8(sample); cut++) sample = head.subarray(0, head.length - cut - 1);
  if (!isUtf8(sample)) return UNKNOWN;
  const text = sample.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*<\?xml[\s?]/.test(text)) return { puid: 'fmt/101', mime: 'application/xml', name: 'Extensible Markup Language 1.0' };
  if (looksLikeCsv(text, /\.csv$/i.test(filename))) return { puid: 'x-fmt/18', mime: 'text/csv', name: 'Comma Separated Values' };
  return { puid: 'x-fmt/111', mime: 'text/plain', name: 'Plain Text File' };
}

/** Two or more lines with the same non-zero count of one delimiter (quoted parts ignored). */
function looksLikeCsv(text: string, named: boolean): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(0, 20);
  if (lines.length < 2) return named && lines.length === 1 && /[;,\t]/.test(lines[0]!);
  for (const d of [';', ',', '\t']) {
    const counts = lines.slice(0, -1).map((l) => l.replace(/"[^"]*"/g, '').split(d).length - 1);
    if (counts[0]! > 0 && counts.every((c) => c === counts[0])) return true;
  }
  return false;
}

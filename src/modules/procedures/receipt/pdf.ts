// A minimal PDF 1.4 writer: pages of text in the two standard Helvetica fonts, nothing embedded, no
// external service. Just enough for receipts and dossier prints, and small enough to check by reading:
// each object is written once, its byte offset recorded, and the cross-reference table lists those
// offsets exactly (20-byte entries) so that every reader opens the file without "repairing" it.
import { deflateSync } from 'node:zlib';

export interface PdfInfo {
  title: string;
  author?: string;
  subject?: string;
  creationDate?: Date;
}

export const PAGE_WIDTH = 595.28; // A4 in points
export const PAGE_HEIGHT = 841.89;

/** Resource names used by content streams: /F1 Helvetica, /F2 Helvetica-Bold. */
export const FONT_RESOURCE = { Helvetica: 'F1', 'Helvetica-Bold': 'F2' } as const;

/** A PDF literal string of already-encoded bytes: ( ) \ escaped, non-printable bytes as octal. */
export function pdfString(bytes: Buffer): string {
  let out = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

/** A text string for the document information (any Unicode): UTF-16BE with its byte order mark, in hex. */
function infoString(text: string): string {
  const units: string[] = ['FEFF'];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase());
  return `<${units.join('')}>`;
}

function pdfDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
}

/**
 * Assembles a PDF from page content streams (PDF operators; strings in them encoded with pdfString).
 * Streams are compressed with Flate unless `compress` is false (handy to read a test's output).
 */
export function writePdf(pageStreams: Buffer[], info: PdfInfo, options: { compress?: boolean } = {}): Buffer {
  if (pageStreams.length === 0) throw new Error('a PDF needs at least one page');
  const compress = options.compress ?? true;
  const firstPage = 6;
  const pageIds = pageStreams.map((_, i) => firstPage + 2 * i);
  const objects: Buffer[] = [];
  const add = (body: string | Buffer) => objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);

  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const infoEntries = [`/Title ${infoString(info.title)}`, '/Producer (Bastide)', `/CreationDate (${pdfDate(info.creationDate ?? new Date())})`];
  if (info.author) infoEntries.push(`/Author ${infoString(info.author)}`);
  if (info.subject) infoEntries.push(`/Subject ${infoString(info.subject)}`);
  add(`<< ${infoEntries.join(' ')} >>`);
  for (const [i, stream] of pageStreams.entries()) {
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`,
    );
    const data = compress ? deflateSync(stream) : stream;
    add(
      Buffer.concat([
        Buffer.from(`<< /Length ${data.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  }

  // The binary comment line tells transfer tools the file is binary (PDF 1.4 §3.4.1).
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  }
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n'];
  for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(chunks);
}

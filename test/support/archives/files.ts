// Test files built in memory: a minimal ZIP writer (stored or deflated entries, central directory), and
// the smallest PDF, PNG, JPEG and TIFF headers the identifier needs to see.
import { deflateRawSync, crc32 } from 'node:zlib';

export function zip(entries: Array<{ name: string; data: string | Buffer; store?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const data = e.store ? raw : deflateRawSync(raw);
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function odf(kind: string, version: string | null): Buffer {
  const meta = `<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"${version ? ` office:version="${version}"` : ''}><office:meta/></office:document-meta>`;
  return zip([
    { name: 'mimetype', data: `application/vnd.oasis.opendocument.${kind}`, store: true },
    { name: 'meta.xml', data: meta },
    { name: 'content.xml', data: '<x/>' },
  ]);
}

export function ooxml(part: string): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: part, data: '<x/>' },
  ]);
}

/** A small PDF; with `pdfa` ('2B'…), an XMP packet declaring it (attribute form, or element form). */
export function pdf(version: string, pdfa?: string, elementForm = false, padding = 0): Buffer {
  const xmp = pdfa
    ? elementForm
      ? `<rdf:Description xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>${pdfa[0]}</pdfaid:part><pdfaid:conformance>${pdfa[1]}</pdfaid:conformance></rdf:Description>`
      : `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="${pdfa[0]}" pdfaid:conformance="${pdfa[1]}"/>`
    : '';
  return Buffer.from(
    `%PDF-${version}\n%\xe2\xe3\xcf\xd3\n${'% filler\n'.repeat(padding)}1 0 obj\n<< /Type /Metadata /Subtype /XML >>\nstream\n${xmp}\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n`,
    'latin1',
  );
}

function pngChunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function png(extra: string[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', ihdr),
    ...extra.map((t) => pngChunk(t, Buffer.from('x'))),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    pngChunk('IEND'),
  ]);
}

export function jfif(minor: number): Buffer {
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, minor, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}

export function exif(version: string): Buffer {
  // APP1 Exif, little-endian TIFF header, one IFD entry: ExifVersion (0x9000, UNDEFINED, 4, value inline).
  const tiff = Buffer.concat([
    Buffer.from('II*\x00\x08\x00\x00\x00\x01\x00', 'latin1'),
    Buffer.from([0x00, 0x90, 0x07, 0x00, 0x04, 0x00, 0x00, 0x00]),
    Buffer.from(version, 'latin1'),
    Buffer.alloc(4),
  ]);
  const app1 = Buffer.concat([Buffer.from('Exif\x00\x00', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(app1.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), len, app1, Buffer.from([0xff, 0xd9])]);
}

export const tiff = (): Buffer => Buffer.concat([Buffer.from('II*\x00\x08\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(8)]);

// Just enough of TrueType to embed a font in a PDF: the character map (Unicode → glyph), the advance widths,
// the metrics a FontDescriptor needs, and a subset — the glyphs a document uses (and the components of
// composite glyphs), numbered anew, so a receipt carries a few kilobytes of font, not 400. The PDF's CIDs
// are the new glyph numbers (CIDToGIDMap /Identity). Hinting instructions are left out (see unhinted);
// cmap, name, OS/2 and post are not needed by a CIDFontType2 and are left out too.
// The fonts are Bastide's own files (assets/), read once; a corrupt font is a programming error.

export interface FontMetrics {
  unitsPerEm: number;
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  weight: number;
}

interface Table {
  offset: number;
  length: number;
}

const KEPT_TABLES = ['head', 'hhea', 'maxp'];

export class TrueTypeFont {
  readonly metrics: FontMetrics;
  readonly numGlyphs: number;
  private readonly data: Buffer;
  private readonly tables = new Map<string, Table>();
  private readonly cmap = new Map<number, number>();
  private readonly advances: Uint16Array;
  private readonly loca: Uint32Array;

  constructor(data: Buffer) {
    this.data = data;
    const count = data.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const at = 12 + 16 * i;
      this.tables.set(data.toString('latin1', at, at + 4), { offset: data.readUInt32BE(at + 8), length: data.readUInt32BE(at + 12) });
    }
    const head = this.table('head');
    const hhea = this.table('hhea');
    const os2 = this.tables.get('OS/2');
    const post = this.tables.get('post');
    this.numGlyphs = data.readUInt16BE(this.table('maxp').offset + 4);
    const unitsPerEm = data.readUInt16BE(head.offset + 18);
    this.metrics = {
      unitsPerEm,
      bbox: [data.readInt16BE(head.offset + 36), data.readInt16BE(head.offset + 38), data.readInt16BE(head.offset + 40), data.readInt16BE(head.offset + 42)],
      ascent: data.readInt16BE(hhea.offset + 4),
      descent: data.readInt16BE(hhea.offset + 6),
      capHeight: os2 && data.readUInt16BE(os2.offset) >= 2 ? data.readInt16BE(os2.offset + 88) : data.readInt16BE(hhea.offset + 4),
      italicAngle: post ? data.readInt32BE(post.offset + 4) / 65536 : 0,
      weight: os2 ? data.readUInt16BE(os2.offset + 4) : 400,
    };
    // Advance widths: numberOfHMetrics pairs, the last advance repeated for the glyphs after them.
    const hmtx = this.table('hmtx');
    const long = data.readUInt16BE(hhea.offset + 34);
    this.advances = new Uint16Array(this.numGlyphs);
    for (let g = 0; g < this.numGlyphs; g++) this.advances[g] = data.readUInt16BE(hmtx.offset + 4 * Math.min(g, long - 1));
    const loca = this.table('loca');
    const longLoca = data.readInt16BE(head.offset + 50) === 1;
    this.loca = new Uint32Array(this.numGlyphs + 1);
    for (let g = 0; g <= this.numGlyphs; g++) this.loca[g] = longLoca ? data.readUInt32BE(loca.offset + 4 * g) : 2 * data.readUInt16BE(loca.offset + 2 * g);
    this.readCmap();
  }

  private table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`TrueType font without a ${tag} table`);
    return t;
  }

  /** The Unicode subtable: format 12 (all planes) when there is one, else format 4 (the BMP). */
  private readCmap(): void {
    const d = this.data;
    const cmap = this.tables.get('cmap');
    if (!cmap) return; // a subset (this module's own output): glyphs are reached by number
    const count = d.readUInt16BE(cmap.offset + 2);
    let best: { offset: number; format: number } | null = null;
    for (let i = 0; i < count; i++) {
      const at = cmap.offset + 4 + 8 * i;
      const platform = d.readUInt16BE(at);
      const encoding = d.readUInt16BE(at + 2);
      const offset = cmap.offset + d.readUInt32BE(at + 4);
      const format = d.readUInt16BE(offset);
      const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
      if (unicode && (format === 12 || (format === 4 && best?.format !== 12))) best = { offset, format };
    }
    if (!best) throw new Error('TrueType font without a Unicode cmap');
    const o = best.offset;
    if (best.format === 12) {
      const groups = d.readUInt32BE(o + 12);
      for (let i = 0; i < groups; i++) {
        const at = o + 16 + 12 * i;
        const start = d.readUInt32BE(at);
        const end = d.readUInt32BE(at + 4);
        const glyph = d.readUInt32BE(at + 8);
        for (let c = start; c <= end && c <= 0x10ffff; c++) this.cmap.set(c, glyph + (c - start));
      }
      return;
    }
    const segments = d.readUInt16BE(o + 6) / 2;
    const ends = o + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const ranges = deltas + 2 * segments;
    for (let s = 0; s < segments; s++) {
      const end = d.readUInt16BE(ends + 2 * s);
      const start = d.readUInt16BE(starts + 2 * s);
      const delta = d.readInt16BE(deltas + 2 * s);
      const range = d.readUInt16BE(ranges + 2 * s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (range === 0) glyph = (c + delta) & 0xffff;
        else {
          const g = d.readUInt16BE(ranges + 2 * s + range + 2 * (c - start));
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph) this.cmap.set(c, glyph);
      }
    }
  }

  /** The glyph of a code point, 0 (.notdef) when the font has none. */
  glyphOf(codePoint: number): number {
    return this.cmap.get(codePoint) ?? 0;
  }

  /** Advance width in 1/1000 em (PDF text space). */
  width(glyph: number): number {
    return (this.advances[glyph]! * 1000) / this.metrics.unitsPerEm;
  }

  /** The components a composite glyph is drawn from. */
  private components(glyph: number): number[] {
    const start = this.loca[glyph]!;
    if (this.loca[glyph + 1]! <= start) return [];
    const d = this.data;
    let at = this.table('glyf').offset + start;
    if (d.readInt16BE(at) >= 0) return [];
    at += 10;
    const out: number[] = [];
    for (;;) {
      const flags = d.readUInt16BE(at);
      out.push(d.readUInt16BE(at + 2));
      at += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) at += 2;
      else if (flags & 0x0040) at += 4;
      else if (flags & 0x0080) at += 8;
      if (!(flags & 0x0020)) return out;
    }
  }

  /** Offset in the glyf table of each component's glyph number, in a composite glyph's data. */
  private componentOffsets(piece: Buffer): number[] {
    if (piece.length < 10 || piece.readInt16BE(0) >= 0) return [];
    const out: number[] = [];
    let at = 10;
    for (;;) {
      const flags = piece.readUInt16BE(at);
      out.push(at + 2);
      at += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) at += 2;
      else if (flags & 0x0040) at += 4;
      else if (flags & 0x0080) at += 8;
      if (!(flags & 0x0020)) return out;
    }
  }

  /**
   * A font program holding only `glyphs` (with .notdef and the components of composite glyphs), numbered
   * anew from 0 in the order of their old numbers; `glyphMap` gives each old number its new one (the CID
   * a PDF content stream writes, with CIDToGIDMap /Identity).
   */
  subset(glyphs: Iterable<number>): { font: Buffer; glyphMap: Map<number, number> } {
    const keep = new Set<number>([0]);
    const todo = [...glyphs];
    while (todo.length) {
      const g = todo.pop()!;
      if (keep.has(g) || g < 0 || g >= this.numGlyphs) continue;
      keep.add(g);
      todo.push(...this.components(g));
    }
    const order = [...keep].sort((x, y) => x - y);
    const glyphMap = new Map(order.map((g, i) => [g, i]));
    const count = order.length;
    const d = this.data;
    const glyf = this.table('glyf');
    const hmtx = this.table('hmtx');
    const longMetrics = d.readUInt16BE(this.table('hhea').offset + 34);
    const pieces: Buffer[] = [];
    const loca = Buffer.alloc(4 * (count + 1));
    const metrics = Buffer.alloc(4 * count);
    let size = 0;
    order.forEach((g, i) => {
      loca.writeUInt32BE(size, 4 * i);
      metrics.writeUInt16BE(this.advances[g]!, 4 * i);
      const lsb = g < longMetrics ? hmtx.offset + 4 * g + 2 : hmtx.offset + 4 * longMetrics + 2 * (g - longMetrics);
      metrics.writeInt16BE(d.readInt16BE(lsb), 4 * i + 2);
      const start = this.loca[g]!;
      const end = this.loca[g + 1]!;
      if (end <= start) return;
      const piece = unhinted(d.subarray(glyf.offset + start, glyf.offset + end));
      // A composite glyph names its components by number: renumbered too.
      for (const at of this.componentOffsets(piece)) piece.writeUInt16BE(glyphMap.get(piece.readUInt16BE(at)) ?? 0, at);
      pieces.push(piece);
      size += piece.length;
      const pad = (4 - (piece.length % 4)) % 4;
      if (pad) {
        pieces.push(Buffer.alloc(pad));
        size += pad;
      }
    });
    loca.writeUInt32BE(size, 4 * count);
    const tables = new Map<string, Buffer>();
    for (const tag of KEPT_TABLES) {
      const t = this.tables.get(tag);
      if (t) tables.set(tag, Buffer.from(d.subarray(t.offset, t.offset + t.length)));
    }
    tables.set('glyf', Buffer.concat(pieces));
    tables.set('loca', loca);
    tables.set('hmtx', metrics);
    tables.get('hhea')!.writeUInt16BE(count, 34);
    tables.get('maxp')!.writeUInt16BE(count, 4);
    const head = tables.get('head')!;
    head.writeInt16BE(1, 50); // long loca offsets
    head.writeUInt32BE(0, 8); // checkSumAdjustment, computed below
    return { font: assemble(tables), glyphMap };
  }
}

/**
 * A glyph's data without its hinting instructions (a copy): PDF viewers rasterise at print and zoom sizes
 * where hints change nothing visible, and instructions are most of a hinted font's bytes. The hinting
 * tables (fpgm, prep, cvt) go with them.
 */
function unhinted(glyph: Buffer): Buffer {
  if (glyph.length < 10) return Buffer.from(glyph);
  const contours = glyph.readInt16BE(0);
  if (contours >= 0) {
    const at = 10 + 2 * contours;
    const length = glyph.readUInt16BE(at);
    const out = Buffer.concat([glyph.subarray(0, at), Buffer.alloc(2), glyph.subarray(at + 2 + length)]);
    return out;
  }
  // Composite: the instructions follow the last component when it says WE_HAVE_INSTRUCTIONS (0x0100).
  const out = Buffer.from(glyph);
  let at = 10;
  for (;;) {
    const flags = out.readUInt16BE(at);
    const next = at + 4 + (flags & 0x0001 ? 4 : 2) + (flags & 0x0008 ? 2 : flags & 0x0040 ? 4 : flags & 0x0080 ? 8 : 0);
    if (!(flags & 0x0020)) {
      if (!(flags & 0x0100)) return out;
      out.writeUInt16BE(flags & ~0x0100, at);
      return out.subarray(0, next);
    }
    at = next;
  }
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** A TrueType file from its tables (sorted by tag, 4-byte aligned, checksums and head's adjustment set). */
function assemble(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const entrySelector = Math.floor(Math.log2(n));
  const header = Buffer.alloc(12 + 16 * n);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(16 * 2 ** entrySelector, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(16 * n - 16 * 2 ** entrySelector, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const at = 12 + 16 * i;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    const pad = (4 - (data.length % 4)) % 4;
    bodies.push(data, Buffer.alloc(pad));
    offset += data.length + pad;
  });
  const file = Buffer.concat([header, ...bodies]);
  const headAt = header.readUInt32BE(12 + 16 * tags.indexOf('head') + 8);
  file.writeUInt32BE((0xb1b0afba - checksum(file)) >>> 0, headAt + 8);
  return file;
}

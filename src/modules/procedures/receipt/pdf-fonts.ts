// The two standard PDF fonts we use (Helvetica, Helvetica-Bold) need no embedding: every PDF reader has
// them. Text is written in WinAnsiEncoding (Windows-1252), which holds every letter French needs
// (é è ê ë à â ç î ï ô ù û ü ÿ œ æ, their capitals, « » ’ – — € …). Widths come from Adobe's published
// font metrics (1/1000 em) and are only used to wrap lines, so a character outside the table falls back to
// the width of a wide letter rather than overflowing the margin.

export type FontName = 'Helvetica' | 'Helvetica-Bold';

// Widths of the printable ASCII characters 0x20..0x7E, in order.
const ASCII_REGULAR = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
const ASCII_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
  611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333,
  584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280,
  389, 584,
];

// Windows-1252 bytes 0x80..0x9F that differ from Latin-1, by Unicode code point.
const WIN_ANSI_SPECIALS: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
};

// Widths [regular, bold] of the non-ASCII characters whose width is not that of their base letter.
const SPECIAL_WIDTHS: Record<number, [number, number]> = {
  0x80: [556, 556],
  0x82: [222, 278],
  0x83: [556, 556],
  0x84: [333, 500],
  0x85: [1000, 1000],
  0x86: [556, 556],
  0x87: [556, 556],
  0x88: [333, 333],
  0x89: [1000, 1000],
  0x8b: [333, 333],
  0x8c: [1000, 1000],
  0x91: [222, 278],
  0x92: [222, 278],
  0x93: [333, 500],
  0x94: [333, 500],
  0x95: [350, 350],
  0x96: [556, 556],
  0x97: [1000, 1000],
  0x98: [333, 333],
  0x99: [1000, 1000],
  0x9b: [333, 333],
  0x9c: [944, 944],
  0xa0: [278, 278],
  0xa1: [333, 333],
  0xa2: [556, 556],
  0xa3: [556, 556],
  0xa4: [556, 556],
  0xa5: [556, 556],
  0xa6: [260, 280],
  0xa7: [556, 556],
  0xa8: [333, 333],
  0xa9: [737, 737],
  0xaa: [370, 370],
  0xab: [556, 556],
  0xac: [584, 584],
  0xad: [333, 333],
  0xae: [737, 737],
  0xaf: [333, 333],
  0xb0: [400, 400],
  0xb1: [584, 584],
  0xb2: [333, 333],
  0xb3: [333, 333],
  0xb4: [333, 333],
  0xb5: [556, 611],
  0xb6: [537, 556],
  0xb7: [278, 278],
  0xb8: [333, 333],
  0xb9: [333, 333],
  0xba: [365, 365],
  0xbb: [556, 556],
  0xbc: [834, 834],
  0xbd: [834, 834],
  0xbe: [834, 834],
  0xbf: [611, 611],
  0xc6: [1000, 1000],
  0xd0: [722, 722],
  0xd7: [584, 584],
  0xd8: [778, 778],
  0xde: [667, 667],
  0xdf: [611, 611],
  0xe6: [889, 889],
  0xec: [278, 278],
  0xed: [278, 278],
  0xee: [278, 278],
  0xef: [278, 278],
  0xf0: [556, 611],
  0xf7: [584, 584],
  0xf8: [611, 611],
  0xfe: [556, 611],
};

/** Maps one Unicode character to its WinAnsi byte, or null when the encoding has no such character. */
function winAnsiByte(ch: string): number | null {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x20 && cp <= 0x7e) return cp;
  if (cp >= 0xa0 && cp <= 0xff) return cp;
  return WIN_ANSI_SPECIALS[cp] ?? null;
}

/** Common symbols WinAnsi lacks, written the way one would type them. */
const ASCII_STAND_INS: Record<string, string> = { '→': '->', '←': '<-', '⇒': '=>', '≤': '<=', '≥': '>=', '≠': '!=' };

/**
 * Encodes text for a PDF string in WinAnsi. Typographic spaces become no-break spaces, control characters
 * spaces; a letter the encoding lacks loses its accents (ő → o) and anything else becomes "?", so the
 * text stays readable instead of showing garbage.
 */
export function toWinAnsi(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const ascii = ASCII_STAND_INS[ch];
    if (ascii) {
      for (const c of ascii) bytes.push(c.charCodeAt(0));
      continue;
    }
    if (cp === 0x202f || cp === 0x2009 || cp === 0x2007) {
      bytes.push(0xa0);
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      bytes.push(0x20);
      continue;
    }
    const direct = winAnsiByte(ch);
    if (direct !== null) {
      bytes.push(direct);
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const fallback = base.length === 1 ? winAnsiByte(base) : null;
    bytes.push(fallback ?? 0x3f);
  }
  return Buffer.from(bytes);
}

function byteWidth(byte: number, bold: boolean): number {
  if (byte >= 0x20 && byte <= 0x7e) return (bold ? ASCII_BOLD : ASCII_REGULAR)[byte - 0x20]!;
  const special = SPECIAL_WIDTHS[byte];
  if (special) return special[bold ? 1 : 0];
  // Accented Latin-1 letters (and Š Ž š ž Ÿ) are as wide as their base letter.
  const ch =
    byte >= 0xa0 ? String.fromCharCode(byte) : String.fromCodePoint(Number(Object.entries(WIN_ANSI_SPECIALS).find(([, b]) => b === byte)?.[0] ?? 0x57));
  const base = ch.normalize('NFD')[0]!.charCodeAt(0);
  if (base >= 0x20 && base <= 0x7e) return (bold ? ASCII_BOLD : ASCII_REGULAR)[base - 0x20]!;
  return 1000;
}

/** Width in points of WinAnsi-encoded text at a font size. */
// The width of every WinAnsi byte, worked out once per font (byteWidth normalises accented letters,
// too slow to run for every byte of every receipt).
const WIDTH_TABLES = {
  regular: Array.from({ length: 256 }, (_, byte) => byteWidth(byte, false)),
  bold: Array.from({ length: 256 }, (_, byte) => byteWidth(byte, true)),
};

export function textWidth(encoded: Buffer, font: FontName, size: number): number {
  const widths = font === 'Helvetica-Bold' ? WIDTH_TABLES.bold : WIDTH_TABLES.regular;
  let units = 0;
  for (const byte of encoded) units += widths[byte]!;
  return (units * size) / 1000;
}

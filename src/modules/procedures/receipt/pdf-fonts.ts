// The fonts of the documents Bastide writes: Liberation Sans, regular and bold (assets/, SIL Open Font
// License), embedded as subsets so that every PDF is self-contained (PDF/A) and prints every applicant's name:
// Latin with all its accents (Łukasz Żółć, Nguyễn Thị, Ștefan, Ğ), Greek, Cyrillic. Metric-compatible with
// Helvetica, which the documents used before, so the layout did not move. A character the font cannot draw
// is replaced by its base letter (NFKD without its marks) or by "?": never by the empty .notdef box, which
// PDF/A forbids.
import { readFileSync } from 'node:fs';
import { TrueTypeFont } from './pdf-truetype.ts';

export type FontName = 'regular' | 'bold';

const FILES: Record<FontName, string> = { regular: 'LiberationSans-Regular.ttf', bold: 'LiberationSans-Bold.ttf' };
export const POSTSCRIPT_NAMES: Record<FontName, string> = { regular: 'LiberationSans', bold: 'LiberationSans-Bold' };

const loaded = new Map<FontName, TrueTypeFont>();

/** The font, read from assets/ on first use (about 1 ms each) and kept. */
export function fontOf(name: FontName): TrueTypeFont {
  let font = loaded.get(name);
  if (!font) loaded.set(name, (font = new TrueTypeFont(readFileSync(new URL(`./assets/${FILES[name]}`, import.meta.url)))));
  return font;
}

export interface Shown {
  glyph: number;
  /** What the glyph shows (the character, its base letter, or "?"): the text a reader extracts. */
  text: string;
}

const shownCache: Record<FontName, Map<string, Shown>> = { regular: new Map(), bold: new Map() };

/** How one character (a code point) is drawn in a font. */
export function shown(ch: string, name: FontName): Shown {
  const cache = shownCache[name];
  let s = cache.get(ch);
  if (s) return s;
  const font = fontOf(name);
  let glyph = font.glyphOf(ch.codePointAt(0)!);
  let text = ch;
  if (!glyph) {
    // A compatibility form or a letter with marks the font lacks: its base (U+202F → space, ǆ → dž…).
    const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    const chars = [...base];
    if (chars.length >= 1 && chars.every((c) => font.glyphOf(c.codePointAt(0)!))) {
      // Several letters for one (ǆ → dž) are drawn as the first: rare enough not to need more.
      glyph = font.glyphOf(chars[0]!.codePointAt(0)!);
      text = chars[0]!;
    } else {
      glyph = font.glyphOf(0x3f);
      text = '?';
    }
  }
  s = { glyph, text };
  if (cache.size < 10_000) cache.set(ch, s);
  return s;
}

/** Width of a text in points at `size` (no kerning: what the writer draws). */
export function textWidth(text: string, name: FontName, size: number): number {
  const font = fontOf(name);
  let units = 0;
  for (const ch of text.normalize('NFC')) units += font.width(shown(ch, name).glyph);
  return (units * size) / 1000;
}

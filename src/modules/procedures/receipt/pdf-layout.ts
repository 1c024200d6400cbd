// Lays out simple documents (title, headings, paragraphs, label/value pairs) on A4 pages: wraps lines to
// the measured width of the text, starts a new page when one is full, and numbers the pages in the footer
// ("Page 2 / 3", which needs the total, so pages are laid out first and written afterwards).
import { type FontName, textWidth } from './pdf-fonts.ts';
import { FONT_RESOURCE, PAGE_HEIGHT, PAGE_WIDTH, writePdf, type PageOp, type PdfInfo } from './pdf.ts';

export type PdfBlock =
  | { type: 'title'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string; size?: number; bold?: boolean }
  | { type: 'field'; label: string; value: string }
  | { type: 'rule' }
  | { type: 'space'; height?: number };

export interface PdfDocumentInput extends PdfInfo {
  blocks: PdfBlock[];
  /** Left part of every page's footer (the page number is on the right). */
  footer?: string;
  /** Footer page label, e.g. (n, total) => `Page ${n} / ${total}`. */
  pageLabel?: (page: number, total: number) => string;
  compress?: boolean;
}

const MARGIN_X = 56;
const MARGIN_TOP = 64;
const MARGIN_BOTTOM = 64;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

interface Line {
  text: string;
  font: FontName;
  size: number;
  x: number;
  gray: number;
}

// Width of one character as drawn (its glyph, or the one standing in for it), per font.
const charWidths = { regular: new Map<string, number>(), bold: new Map<string, number>() } satisfies Record<FontName, Map<string, number>>;

/** Width in text-space units of 1000 per em (sizes multiply it afterwards). */
function unitsOf(text: string, font: FontName): number {
  const cache = charWidths[font];
  let units = 0;
  for (const ch of text) {
    let w = cache.get(ch);
    if (w === undefined) {
      w = textWidth(ch, font, 1000);
      if (cache.size < 10_000) cache.set(ch, w);
    }
    units += w;
  }
  return units;
}

/**
 * Splits text into lines no wider than `width`; explicit newlines are kept; over-long words are cut.
 * Widths add up character by character (no kerning), so each word is measured once and each line
 * encoded once.
 */
export function wrapText(text: string, font: FontName, size: number, width: number): string[] {
  const lines: string[] = [];
  const max = (width * 1000) / size;
  const space = unitsOf(' ', font);
  for (const paragraph of text.normalize('NFC').replace(/\r\n?/g, '\n').split('\n')) {
    let current = '';
    let currentUnits = 0;
    for (const word of paragraph.split(/[ \t]+/).filter((w) => w !== '')) {
      const units = unitsOf(word, font);
      const candidate = current ? currentUnits + space + units : units;
      if (candidate <= max) {
        current = current ? `${current} ${word}` : word;
        currentUnits = candidate;
        continue;
      }
      if (current) lines.push(current);
      let rest = word;
      let restUnits = units;
      while (restUnits > max) {
        // The longest start of the word that fits (at least one character, so that the loop ends).
        const chars = [...rest];
        let cut = 1;
        let cutUnits = unitsOf(chars[0]!, font);
        while (cut < chars.length && cutUnits + unitsOf(chars[cut]!, font) <= max) cutUnits += unitsOf(chars[cut++]!, font);
        lines.push(chars.slice(0, cut).join(''));
        rest = chars.slice(cut).join('');
        restUnits = unitsOf(rest, font);
      }
      current = rest;
      currentUnits = restUnits;
    }
    lines.push(current);
  }
  return lines;
}

class PageBuilder {
  pages: PageOp[][] = [[]];
  private y = PAGE_HEIGHT - MARGIN_TOP;

  private get ops(): PageOp[] {
    return this.pages[this.pages.length - 1]!;
  }

  private ensure(height: number): void {
    if (this.y - height >= MARGIN_BOTTOM) return;
    this.pages.push([]);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  space(height: number): void {
    this.y -= height;
  }

  line(line: Line, keepWithNext = 0): void {
    const leading = line.size * 1.35;
    this.ensure(leading + keepWithNext);
    this.y -= leading;
    this.ops.push(
      `BT ${line.gray} g /${FONT_RESOURCE[line.font]} ${line.size} Tf ${line.x.toFixed(2)} ${(this.y + line.size * 0.3).toFixed(2)} Td`,
      { show: line.text, font: line.font },
      'ET',
    );
  }

  rule(): void {
    this.ensure(12);
    this.y -= 6;
    this.ops.push(`0.75 G 0.5 w ${MARGIN_X} ${this.y.toFixed(2)} m ${(PAGE_WIDTH - MARGIN_X).toFixed(2)} ${this.y.toFixed(2)} l S`);
    this.y -= 6;
  }
}

function addText(b: PageBuilder, text: string, font: FontName, size: number, options: { x?: number; gray?: number; keepWithNext?: number } = {}): void {
  const x = MARGIN_X + (options.x ?? 0);
  const lines = wrapText(text, font, size, CONTENT_WIDTH - (options.x ?? 0));
  lines.forEach((l, i) => b.line({ text: l, font, size, x, gray: options.gray ?? 0 }, i === 0 ? (options.keepWithNext ?? 0) : 0));
}

export function layoutPages(input: PdfDocumentInput): PageOp[][] {
  const b = new PageBuilder();
  for (const block of input.blocks) {
    switch (block.type) {
      case 'title':
        addText(b, block.text, 'bold', 18);
        b.space(6);
        break;
      case 'heading':
        b.space(8);
        addText(b, block.text, 'bold', 13, { keepWithNext: 30 });
        b.space(2);
        break;
      case 'paragraph':
        addText(b, block.text, block.bold ? 'bold' : 'regular', block.size ?? 10.5);
        b.space(4);
        break;
      case 'field':
        // A label is never left alone at the bottom of a page: keep room for its first value line.
        addText(b, block.label, 'bold', 9.5, { gray: 0.3, keepWithNext: 16 });
        addText(b, block.value === '' ? '—' : block.value, 'regular', 10.5, { x: 8 });
        b.space(5);
        break;
      case 'rule':
        b.rule();
        break;
      case 'space':
        b.space(block.height ?? 10);
        break;
    }
  }
  const total = b.pages.length;
  return b.pages.map((ops, i) => {
    const footer: PageOp[] = [];
    if (input.footer) footer.push(`BT 0.4 g /F1 8 Tf ${MARGIN_X} 36 Td`, { show: input.footer.replace(/\s+/g, ' '), font: 'regular' }, 'ET');
    const label = (input.pageLabel ?? ((n, t) => `${n} / ${t}`))(i + 1, total);
    const x = PAGE_WIDTH - MARGIN_X - textWidth(label, 'regular', 8);
    footer.push(`BT 0.4 g /F1 8 Tf ${x.toFixed(2)} 36 Td`, { show: label, font: 'regular' }, 'ET');
    return [...ops, ...footer];
  });
}

/** A whole PDF file from blocks of text. */
export function renderPdf(input: PdfDocumentInput): Buffer {
  return writePdf(layoutPages(input), input, { compress: input.compress });
}

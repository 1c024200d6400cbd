// Lays out simple documents (title, headings, paragraphs, label/value pairs) on A4 pages: wraps lines to
// the measured width of the text, starts a new page when one is full, and numbers the pages in the footer
// ("Page 2 / 3", which needs the total, so pages are laid out first and written afterwards).
import { type FontName, textWidth, toWinAnsi } from './pdf-fonts.ts';
import { FONT_RESOURCE, PAGE_HEIGHT, PAGE_WIDTH, pdfString, writePdf, type PdfInfo } from './pdf.ts';

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
  text: Buffer;
  font: FontName;
  size: number;
  x: number;
  gray: number;
}

/**
 * Splits text into lines no wider than `width`; explicit newlines are kept; over-long words are cut.
 * Widths add up byte by byte (no kerning), so each word is encoded and measured once.
 */
export function wrapText(text: string, font: FontName, size: number, width: number): Buffer[] {
  const lines: Buffer[] = [];
  const SPACE = Buffer.from(' ', 'latin1');
  const spaceWidth = textWidth(SPACE, font, size);
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let current: Buffer[] = [];
    let currentWidth = 0;
    const flush = () => {
      lines.push(Buffer.concat(current.flatMap((word, i) => (i ? [SPACE, word] : [word]))));
      current = [];
      currentWidth = 0;
    };
    for (const word of paragraph.split(/[ \t]+/).filter((w) => w !== '')) {
      let rest = toWinAnsi(word);
      let restWidth = textWidth(rest, font, size);
      const candidate = current.length ? currentWidth + spaceWidth + restWidth : restWidth;
      if (candidate <= width) {
        current.push(rest);
        currentWidth = candidate;
        continue;
      }
      if (current.length) flush();
      while (restWidth > width) {
        // The longest start of the word that fits (at least one byte, so that the loop ends).
        let cut = 1;
        while (cut < rest.length && textWidth(rest.subarray(0, cut + 1), font, size) <= width) cut += 1;
        lines.push(rest.subarray(0, cut));
        rest = rest.subarray(cut);
        restWidth = textWidth(rest, font, size);
      }
      current = [rest];
      currentWidth = restWidth;
    }
    flush();
  }
  return lines;
}

class PageBuilder {
  pages: string[][] = [[]];
  private y = PAGE_HEIGHT - MARGIN_TOP;

  private get ops(): string[] {
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
    this.ops.push(`BT ${line.gray} g /${FONT_RESOURCE[line.font]} ${line.size} Tf ${line.x.toFixed(2)} ${(this.y + line.size * 0.3).toFixed(2)} Td ${pdfString(line.text)} Tj ET`);
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
  lines.forEach((l, i) => b.line({ text: l, font, size, x, gray: options.gray ?? 0 }, i === 0 ? options.keepWithNext ?? 0 : 0));
}

export function layoutPages(input: PdfDocumentInput): Buffer[] {
  const b = new PageBuilder();
  for (const block of input.blocks) {
    switch (block.type) {
      case 'title': addText(b, block.text, 'Helvetica-Bold', 18); b.space(6); break;
      case 'heading': b.space(8); addText(b, block.text, 'Helvetica-Bold', 13, { keepWithNext: 30 }); b.space(2); break;
      case 'paragraph': addText(b, block.text, block.bold ? 'Helvetica-Bold' : 'Helvetica', block.size ?? 10.5); b.space(4); break;
      case 'field':
        // A label is never left alone at the bottom of a page: keep room for its first value line.
        addText(b, block.label, 'Helvetica-Bold', 9.5, { gray: 0.3, keepWithNext: 16 });
        addText(b, block.value === '' ? '—' : block.value, 'Helvetica', 10.5, { x: 8 });
        b.space(5);
        break;
      case 'rule': b.rule(); break;
      case 'space': b.space(block.height ?? 10); break;
    }
  }
  const total = b.pages.length;
  return b.pages.map((ops, i) => {
    const footer: string[] = [];
    if (input.footer) {
      footer.push(`BT 0.4 g /F1 8 Tf ${MARGIN_X} 36 Td ${pdfString(toWinAnsi(input.footer))} Tj ET`);
    }
    const label = toWinAnsi((input.pageLabel ?? ((n, t) => `${n} / ${t}`))(i + 1, total));
    const x = PAGE_WIDTH - MARGIN_X - textWidth(label, 'Helvetica', 8);
    footer.push(`BT 0.4 g /F1 8 Tf ${x.toFixed(2)} 36 Td ${pdfString(label)} Tj ET`);
    return Buffer.from([...ops, ...footer].join('\n') + '\n', 'latin1');
  });
}

/** A whole PDF file from blocks of text. */
export function renderPdf(input: PdfDocumentInput): Buffer {
  return writePdf(layoutPages(input), input, { compress: input.compress });
}

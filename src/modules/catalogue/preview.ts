// The first rows of a CSV resource, for the dataset page's preview: at most 64 KiB are read from the
// blob, decoded (UTF-8, else Windows-1252), and cut into at most `rows` records of at most 30 columns.
// An XLSX or ODS resource: the first rows of its first sheet (spreadsheet/), for files up to
// PREVIEW_SPREADSHEET_BYTES (the page reads the zip on each view: a larger one shows no preview).
import { openBlob } from '../../core/files/send.ts';
import { DEFAULT_LIMITS, spreadsheetFormat, spreadsheetPreview, type SheetLimits } from './spreadsheet/index.ts';

const MAX_BYTES = 64 * 1024;
const MAX_COLUMNS = 30;
export const PREVIEW_SPREADSHEET_BYTES = 4 * 1024 * 1024;
/**
 * A public page reads the zip on every view: tighter bounds than validation's, so that a file built to
 * inflate (a sheet of 500 MB of XML in 4 MB) costs a page view little; such a file shows no preview.
 */
const PREVIEW_LIMITS: SheetLimits = {
  ...DEFAULT_LIMITS,
  fileBytes: PREVIEW_SPREADSHEET_BYTES,
  partBytes: 16 * 1024 * 1024,
  totalBytes: 32 * 1024 * 1024,
  sharedChars: 4 * 1024 * 1024,
};

/** Whether a version of this type can be previewed. */
export function previewable(contentType: string): boolean {
  return contentType === 'text/csv' || spreadsheetFormat(contentType) !== null;
}

export interface Preview {
  header: string[];
  rows: string[][];
}

function decode(bytes: Buffer): string {
  // The cut may split a character: decode without the incomplete tail.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    } catch {
      return new TextDecoder('windows-1252').decode(bytes);
    }
  }
}

/** Records of CSV text (quotes, doubled quotes, CRLF); the last one is dropped when the text was cut. */
export function parseCsvPreview(text: string, delimiter: string | null, maxRows: number, cut: boolean): Preview | null {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.search(/\r?\n/) >>> 0);
  const delim = delimiter ?? [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  for (; i < src.length && records.length <= maxRows; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delim) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      records.push(record.slice(0, MAX_COLUMNS));
      record = [];
    } else field += c;
  }
  if (i >= src.length && !cut && (field !== '' || record.length)) {
    record.push(field);
    records.push(record.slice(0, MAX_COLUMNS));
  }
  const [header, ...rows] = records.filter((r) => r.some((v) => v !== ''));
  if (!header) return null;
  return { header, rows: rows.slice(0, maxRows) };
}

export async function previewOf(
  config: { dataDir: string },
  tenantId: string,
  sha256: string,
  delimiter: string | null,
  maxRows = 10,
  contentType = 'text/csv',
): Promise<Preview | null> {
  const opened = await openBlob({ config }, tenantId, sha256);
  if (!opened) return null;
  const format = spreadsheetFormat(contentType);
  if (format) {
    if (opened.size > PREVIEW_SPREADSHEET_BYTES) {
      opened.stream.destroy();
      return null;
    }
    return spreadsheetPreview(opened.stream as AsyncIterable<Uint8Array>, format, maxRows, MAX_COLUMNS, PREVIEW_LIMITS);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BYTES) break;
  }
  opened.stream.destroy();
  const bytes = Buffer.concat(chunks).subarray(0, MAX_BYTES);
  return parseCsvPreview(decode(bytes), delimiter, maxRows, opened.size > bytes.length);
}

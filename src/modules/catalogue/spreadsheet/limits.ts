// The bounds of reading a spreadsheet: every XLSX/ODS comes from someone who may want to exhaust the
// server (a zip bomb, a sheet of a million repeated columns, a billion-character cell). Tests lower them.
export interface SheetLimits {
  /** The file itself (it is read into memory: a zip is read from its end). */
  fileBytes: number;
  /** Entries in the zip. */
  entries: number;
  /** One part's uncompressed bytes. */
  partBytes: number;
  /** All parts read, uncompressed. */
  totalBytes: number;
  /** Rows of the sheet, blank ones between rows included (Excel's own maximum). */
  rows: number;
  /** The last column holding a value. */
  columns: number;
  /** Cells written out, repeated ones counted. */
  cells: number;
  /** Characters of one cell, of one shared string. */
  cellChars: number;
  /** Shared strings of an XLSX (held in memory while the sheet is read) and their characters. */
  sharedStrings: number;
  sharedChars: number;
}

export const DEFAULT_LIMITS: SheetLimits = {
  fileBytes: 32 * 1024 * 1024,
  entries: 10_000,
  partBytes: 512 * 1024 * 1024,
  totalBytes: 1024 * 1024 * 1024,
  rows: 1_048_576,
  columns: 1_024,
  cells: 50_000_000,
  cellChars: 1_000_000,
  sharedStrings: 2_000_000,
  sharedChars: 64 * 1024 * 1024,
};

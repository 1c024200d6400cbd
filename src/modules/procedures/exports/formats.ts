// CSV and JSON lines of an export. CSV follows RFC 4180 (quotes doubled, fields with a separator, quote
// or line break quoted, CRLF line ends) and starts with a UTF-8 byte order mark so spreadsheet programs
// read accents right. The default separator is ';' because French Excel and LibreOffice expect it (a
// comma-separated file opens as a single column there); `?sep=comma` gives the comma form for tools.
import type { FieldDefinition } from '../fields/definition.ts';
import { exportCell, exportColumns } from '../receipt/answers.ts';
import type { ExportRow } from './rows.ts';

export type CsvSeparator = ';' | ',';

const FIXED_HEADERS = ['numero', 'etat', 'depose_le', 'instruit_le', 'decide_le', 'groupe', 'instructeur', 'etiquettes', 'motivation', 'revision'];

export function csvCell(value: string, sep: CsvSeparator): string {
  let v = value;
  // A cell a spreadsheet would run as a formula (=, +, -, @ at the start) is neutralised with a quote
  // mark: answers come from the public, and the export is opened by agents (CSV injection). Numbers
  // such as -12.5 stay numbers.
  if (/^[=+\-@\t\r]/.test(v) && !/^[+-]?\d+([.,]\d+)?$/.test(v)) v = `'${v}`;
  return v.includes(sep) || v.includes('"') || v.includes('\n') || v.includes('\r') ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: string[], sep: CsvSeparator): string {
  return `${cells.map((c) => csvCell(c, sep)).join(sep)}\r\n`;
}

export function csvHeader(fields: FieldDefinition[], sep: CsvSeparator): string {
  return `\ufeff${csvLine([...FIXED_HEADERS, ...exportColumns(fields).map((f) => f.label)], sep)}`;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '');

export function csvRow(row: ExportRow, fields: FieldDefinition[], sep: CsvSeparator): string {
  return csvLine(
    [
      row.number,
      row.state,
      iso(row.submitted_at),
      iso(row.instructed_at),
      iso(row.decided_at),
      row.group_name ?? '',
      row.assignee_email ?? '',
      row.labels.join(' | '),
      row.motivation ?? '',
      String(row.revision),
      ...exportColumns(fields).map((f) => exportCell(f, row.data?.[f.key])),
    ],
    sep,
  );
}

export function jsonItem(row: ExportRow): string {
  return JSON.stringify({
    number: Number(row.number),
    state: row.state,
    revision: row.revision,
    created_at: iso(row.created_at),
    submitted_at: row.submitted_at ? iso(row.submitted_at) : null,
    instructed_at: row.instructed_at ? iso(row.instructed_at) : null,
    decided_at: row.decided_at ? iso(row.decided_at) : null,
    group: row.group_name,
    assignee: row.assignee_email,
    labels: row.labels,
    motivation: row.motivation,
    data: row.data,
  });
}

// The columns of a loaded resource: the file's header, each name's type in the dataset's Table Schema,
// and the SQL that reads it. A loaded table holds every cell as text (COPY writes the file's bytes as they
// are); sorting and comparing use a typed expression per column, the same in the indexes the load builds
// and in the queries (so the planner matches them). No name from the file or the schema ever reaches SQL:
// columns are c1…cN, and the only schema values written into SQL (a number's decimal or group character)
// are single characters checked here and quoted.
import type { CompiledSchema } from '../validation/index.ts';

/** How a column compares: as a number, as ISO date text (sorts as text), or as text. */
export type ColumnKind = 'number' | 'date' | 'text';

export interface TabularColumn {
  /** The header of the file (what the API calls the column). */
  name: string;
  /** The SQL column: c1, c2, … in the file's order. */
  column: string;
  /** The Table Schema type (string when the schema does not name the column). */
  type: string;
  kind: ColumnKind;
  decimalChar?: string;
  groupChar?: string;
}

const NUMERIC_TYPES = new Set(['number', 'integer', 'year']);
const ISO_TYPES = new Set(['date', 'datetime']);

/** A single character that is safe to quote into SQL (not a quote, backslash, letter or digit). */
function safeChar(c: unknown): string | undefined {
  return typeof c === 'string' && c.length === 1 && !/[\p{L}\p{N}'\\]/u.test(c) ? c : undefined;
}

export function columnsOf(header: string[], schema: CompiledSchema | null): TabularColumn[] {
  return header.map((name, i) => {
    const field = schema?.byName.get(name);
    const type = field?.type ?? 'string';
    const d = (field?.descriptor ?? {}) as { format?: string; decimalChar?: unknown; groupChar?: unknown; bareNumber?: unknown };
    let kind: ColumnKind = 'text';
    const col: TabularColumn = { name, column: `c${i + 1}`, type, kind };
    if (NUMERIC_TYPES.has(type) && d.bareNumber !== false) {
      const decimalChar = d.decimalChar === undefined ? undefined : safeChar(d.decimalChar);
      const groupChar = d.groupChar === undefined ? undefined : safeChar(d.groupChar);
      // A schema character we cannot quote safely: the column compares as text rather than wrongly as a number.
      if ((d.decimalChar === undefined || decimalChar) && (d.groupChar === undefined || groupChar)) {
        kind = 'number';
        if (decimalChar && decimalChar !== '.') col.decimalChar = decimalChar;
        if (groupChar) col.groupChar = groupChar;
      }
    } else if (ISO_TYPES.has(type) && (d.format === undefined || d.format === 'default')) {
      kind = 'date';
    }
    col.kind = kind;
    return col;
  });
}

/** Reads the stored list back (a load's `columns`), keeping only well-formed entries. */
export function parseColumns(value: unknown): TabularColumn[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).filter((entry): entry is TabularColumn => {
    if (!entry || typeof entry !== 'object') return false;
    const c = entry as Record<string, unknown>;
    return (
      typeof c.name === 'string' &&
      typeof c.column === 'string' &&
      /^c[1-9][0-9]{0,3}$/.test(c.column) &&
      ['number', 'date', 'text'].includes(c.kind as string) &&
      (c.decimalChar === undefined || safeChar(c.decimalChar) !== undefined) &&
      (c.groupChar === undefined || safeChar(c.groupChar) !== undefined)
    );
  });
}

const quote = (c: string) => `'${c}'`;

// A plain decimal number (what a validated number cell is once its decimal and group characters are
// normalised); anything else reads as null, so a hostile or odd cell never makes a cast fail.
// With at most 60 characters (checked beside it: a bounded repetition such as {1,200} makes PostgreSQL's
// regular expressions thirty times slower, measured on COPY) and a two-digit exponent, the cast can neither
// overflow nor underflow a double.
const NUMBER_RE = '^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,2})?$';
const NUMBER_MAX_LENGTH = 60;

/**
 * The stored key a number column sorts and compares by: a generated `double precision` column n1…nN beside
 * the text. Why a column and not an expression: under row-level security PostgreSQL uses an index for a
 * condition only when its operators are leakproof (they could otherwise reveal rows the policy hides), and
 * `numeric` comparisons and regular expressions are not, while `float8` and `text` comparisons are. A
 * `numeric` expression index was measured unused by the application role (a sequential scan, 0.5 s for
 * 100,000 rows, against 9 ms with the index).
 */
export function numberKey(c: TabularColumn): string {
  return `n${c.column.slice(1)}`;
}

/** The generated column's definition (number columns): the cell normalised, then cast when it reads as a number. */
export function numberKeyDefinition(c: TabularColumn): string {
  let text = c.column;
  if (c.groupChar) text = `replace(${text}, ${quote(c.groupChar)}, '')`;
  if (c.decimalChar) text = `replace(${text}, ${quote(c.decimalChar)}, '.')`;
  return `${numberKey(c)} double precision generated always as (case when length(${text}) <= ${NUMBER_MAX_LENGTH} and ${text} ~ '${NUMBER_RE}' then (${text})::double precision end) stored`;
}

/**
 * The SQL a column sorts and compares by: its number key; an ISO date's text in the "C" collation (the
 * same order as any collation for digits and dashes, and an index on it builds without the locale's rules);
 * other text as it is.
 */
export function sortExpression(c: TabularColumn): string {
  if (c.kind === 'number') return numberKey(c);
  if (c.kind === 'date') return `(${c.column} collate "C")`;
  return c.column;
}

/** A filter value for a number column, normalised as the expression normalises cells; null when it is not a number. */
export function numberValue(c: TabularColumn, raw: string): string | null {
  let v = raw.trim();
  if (c.groupChar) v = v.split(c.groupChar).join('');
  if (c.decimalChar) v = v.split(c.decimalChar).join('.');
  // A comma as decimal separator is what a French user types, whatever the file says.
  if (!c.decimalChar && /^[-+]?[0-9]+,[0-9]+$/.test(v)) v = v.replace(',', '.');
  return v.length <= NUMBER_MAX_LENGTH && new RegExp(NUMBER_RE).test(v) ? v : null;
}

/** Whether the load builds an index for this column (the typed ones: amounts, dates, years). */
export function indexed(c: TabularColumn): boolean {
  return c.kind !== 'text';
}

/** A cell as the JSON answer gives it: numbers as numbers when they read as such, empty cells as null. */
export function cellValue(c: TabularColumn, text: string | null): string | number | null {
  if (text === null || text === '') return null;
  if (c.kind === 'number') {
    const v = numberValue(c, text);
    if (v !== null) {
      const n = Number(v);
      if (Number.isFinite(n) && (Number.isSafeInteger(n) || !/^[-+]?[0-9]{16,}/.test(v))) return n;
    }
  }
  return text;
}

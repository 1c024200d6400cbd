// A dossier's answers as text, field by field in the order of its revision: what the receipt PDF, the
// dossier PDF, the exports and the email placeholders show. Display-only fields are skipped (sections
// become headings for documents), hidden answers are simply absent from the data.
import { numberFormatter, type Locale } from '../../../core/i18n/i18n.ts';
import { optionsOf, type FieldDefinition } from '../fields/definition.ts';
import { territoryLabel } from '../fields/territory-lookup.ts';

export interface AnswerRow {
  /** 'section' rows carry a title and no value. */
  kind: 'answer' | 'section';
  key: string;
  label: string;
  value: string;
}

export interface FormatOptions {
  locale: Locale;
  /** Exports keep machine-friendly forms: ISO dates, official codes, numbers unformatted. */
  raw?: boolean;
}

// Not `toLocaleString`, which builds a new formatter on every call.
const numberFormat = numberFormatter({ maximumFractionDigits: 10 });

const YES = { fr: 'Oui', en: 'Yes' };
const NO = { fr: 'Non', en: 'No' };

function isoToDisplay(value: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return value;
  const day = locale === 'fr' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
  return m[4] ? `${day} ${m[4]}:${m[5]}` : day;
}

/** One answer as text (repetitions are flattened by answerRows, not here). */
export function formatAnswer(field: FieldDefinition, value: unknown, options: FormatOptions): string {
  if (value === undefined || value === null || value === '') return '';
  const { locale, raw } = options;
  switch (field.type) {
    case 'yes_no':
    case 'checkbox':
      return value === true ? (raw ? 'oui' : YES[locale]) : value === false ? (raw ? 'non' : NO[locale]) : String(value);
    case 'choice':
    case 'dropdown':
    case 'multiple_choice': {
      const labels = new Map(optionsOf(field).map((o) => [o.value, o.label]));
      const list = Array.isArray(value) ? value : [value];
      return list.map((v) => labels.get(String(v)) ?? String(v)).join(raw ? ' | ' : ', ');
    }
    case 'commune':
    case 'epci':
    case 'departement':
      return raw ? String(value) : (territoryLabel(field.type, String(value)) ?? String(value));
    case 'date':
    case 'datetime':
      return raw ? String(value) : isoToDisplay(String(value), locale);
    case 'decimal':
    case 'integer':
      return raw || typeof value !== 'number' ? String(value) : numberFormat(locale).format(value);
    case 'file': {
      const list = (Array.isArray(value) ? value : [value]) as Array<{ filename?: string; size?: number }>;
      return list
        .map((f) => (raw ? String(f?.filename ?? '') : `${f?.filename ?? '?'} (${Math.max(1, Math.round((f?.size ?? 0) / 1024))} Ko)`))
        .join(raw ? ' | ' : ', ');
    }
    case 'address':
      if (typeof value === 'object') {
        const v = value as Record<string, unknown>;
        return String(v.label ?? v.text ?? JSON.stringify(value));
      }
      return String(value);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Rows for documents: sections as headings, repeated blocks numbered ("Enfant 2 — Prénom"). */
export function answerRows(fields: FieldDefinition[], data: Record<string, unknown>, options: FormatOptions, prefix = ''): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const field of fields) {
    if (field.type === 'explanation') continue;
    if (field.type === 'section') {
      rows.push({ kind: 'section', key: field.key, label: field.label, value: '' });
      continue;
    }
    const value = data[field.key];
    if (field.type === 'repetition') {
      const blocks = Array.isArray(value) ? value : [];
      blocks.forEach((block, i) => {
        const sub = typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : {};
        rows.push(...answerRows(field.fields ?? [], sub, options, `${prefix}${field.label} ${i + 1} — `));
      });
      continue;
    }
    if (value === undefined) continue;
    rows.push({ kind: 'answer', key: field.key, label: `${prefix}${field.label}`, value: formatAnswer(field, value, options) });
  }
  return rows;
}

/** Export columns: one per collecting top-level field of a revision; repetitions as JSON in one cell. */
export function exportColumns(fields: FieldDefinition[]): FieldDefinition[] {
  return fields.filter((f) => f.type !== 'section' && f.type !== 'explanation');
}

export function exportCell(field: FieldDefinition, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'repetition') return JSON.stringify(value);
  return formatAnswer(field, value, { locale: 'fr', raw: true });
}

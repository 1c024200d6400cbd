// One answer checked against its field: type, bounds, pattern, checksum. Returns the normalised value
// (what is stored) or localised messages. Never throws, whatever the input (fuzzed in values.test.ts).
import type { Translate } from '../../../core/i18n/i18n.ts';
import { findCommune, findDepartement, findEpci } from '../../../core/territory/cog.ts';
import { optionsOf, type FieldDefinition } from './definition.ts';
import { normaliseIban, normalisePhone, normaliseSiret } from './identifiers.ts';
import { matchesWhole, type PatternBudget } from './patterns.ts';

/** A file answer: set by the server from an upload it checked, never taken from a client's JSON. */
export interface FileAnswer {
  sha256: string;
  filename: string;
  size: number;
  content_type: string;
}

export type Checked = { value: unknown } | { errors: string[] };

export const DEFAULT_MAX_LENGTH: Partial<Record<FieldDefinition['type'], number>> = { text: 500, textarea: 10_000, address: 500 };
/** No text answer is longer, whatever a definition says (checked when it is saved, and here for older ones). */
export const MAX_TEXT_LENGTH = 10_000;

/** The length an answer to a text field may have: its `maxLength`, its type's default, never over MAX_TEXT_LENGTH. */
export function maxLengthOf(field: FieldDefinition): number {
  return Math.min(field.maxLength ?? DEFAULT_MAX_LENGTH[field.type] ?? 500, MAX_TEXT_LENGTH);
}
const MAX_CHOICES = 500;

export function isEmptyAnswer(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** Strings the database and people can read: well-formed Unicode, no control characters but tab and newlines. */
function cleanString(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.isWellFormed() && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}

function text(field: FieldDefinition, raw: unknown, t: Translate, budget?: PatternBudget): Checked {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { errors: [t('procedures.field.not_text')] };
  const value = String(raw).trim();
  if (!cleanString(value)) return { errors: [t('procedures.field.bad_characters')] };
  const max = maxLengthOf(field);
  const errors: string[] = [];
  if (value.length > max) errors.push(t('procedures.field.too_long', { max }));
  if (field.minLength && value.length < field.minLength) errors.push(t('procedures.field.too_short', { min: field.minLength }));
  if (field.pattern && errors.length === 0) {
    // RE2, whole value (patterns.ts). A pattern that cannot be evaluated safely refuses the answer
    // rather than letting it through unchecked.
    const ok = matchesWhole(field.pattern, value, budget);
    if (ok === null) errors.push(t('procedures.field.pattern_unchecked'));
    else if (!ok) errors.push(t('procedures.field.pattern'));
  }
  return errors.length ? { errors } : { value };
}

function numberOf(raw: unknown, integer: boolean): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && (!integer || Number.isSafeInteger(raw)) ? raw : null;
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!(integer ? /^[-+]?\d+$/ : /^[-+]?(\d+(\.\d*)?|\.\d+)$/).test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && (!integer || Number.isSafeInteger(n)) ? n : null;
}

function number(field: FieldDefinition, raw: unknown, t: Translate): Checked {
  const integer = field.type === 'integer';
  const n = numberOf(raw, integer);
  if (n === null) return { errors: [t(integer ? 'procedures.field.integer' : 'procedures.field.decimal')] };
  if (typeof field.min === 'number' && n < field.min) return { errors: [t('procedures.field.min', { min: field.min })] };
  if (typeof field.max === 'number' && n > field.max) return { errors: [t('procedures.field.max', { max: field.max })] };
  return { value: n };
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1000 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** ISO (from date inputs) or French DD/MM/YYYY (typed where the browser has no date input). */
export function parseDate(raw: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (m) return validDate(+m[1]!, +m[2]!, +m[3]!) ? raw : null;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (m && validDate(+m[3]!, +m[2]!, +m[1]!)) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return null;
}

function dateOrDatetime(field: FieldDefinition, raw: unknown, t: Translate): Checked {
  const s = typeof raw === 'string' ? raw.trim() : '';
  let value: string | null = null;
  if (field.type === 'date') value = s.length <= 10 ? parseDate(s) : null;
  else {
    const m = /^(.{8,10})[T ](\d{2}):(\d{2})(?::\d{2})?$/.exec(s);
    const day = m ? parseDate(m[1]!) : null;
    if (m && day && +m[2]! < 24 && +m[3]! < 60) value = `${day}T${m[2]}:${m[3]}`;
  }
  if (!value) return { errors: [t(field.type === 'date' ? 'procedures.field.date' : 'procedures.field.datetime')] };
  if (typeof field.min === 'string' && value < field.min) return { errors: [t('procedures.field.date_min', { min: field.min })] };
  if (typeof field.max === 'string' && value > field.max) return { errors: [t('procedures.field.date_max', { max: field.max })] };
  return { value };
}

function bool(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw).trim().toLowerCase();
  if (['true', 'oui', 'yes', '1', 'on'].includes(s)) return true;
  if (['false', 'non', 'no', '0', 'off'].includes(s)) return false;
  return null;
}

function choice(field: FieldDefinition, raw: unknown, t: Translate): Checked {
  const values = optionsOf(field).map((o) => o.value);
  if (field.type === 'multiple_choice') {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length > MAX_CHOICES || list.some((v) => typeof v !== 'string' || !values.includes(v))) return { errors: [t('procedures.field.choice')] };
    const unique = [...new Set(list as string[])];
    if (typeof field.min === 'number' && unique.length < field.min) return { errors: [t('procedures.field.choices_min', { min: field.min })] };
    if (typeof field.max === 'number' && unique.length > field.max) return { errors: [t('procedures.field.choices_max', { max: field.max })] };
    return { value: unique };
  }
  return typeof raw === 'string' && values.includes(raw) ? { value: raw } : { errors: [t('procedures.field.choice')] };
}

function territory(field: FieldDefinition, raw: unknown, t: Translate): Checked {
  const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().toUpperCase() : '';
  if (code.length > 0 && code.length <= 9) {
    if (field.type === 'commune' && /^(\d{5}|2[AB]\d{3})$/.test(code) && findCommune(code)) return { value: code };
    if (field.type === 'epci' && /^\d{9}$/.test(code) && findEpci(code)) return { value: code };
    if (field.type === 'departement' && /^(\d{2,3}|2[AB])$/.test(code) && findDepartement(code)) return { value: code };
  }
  return { errors: [t(`procedures.field.${field.type}`)] };
}

function file(field: FieldDefinition, raw: unknown, t: Translate): Checked {
  const list = (Array.isArray(raw) ? raw : [raw]) as FileAnswer[];
  if (list.length > 20) return { errors: [t('procedures.field.file_count')] };
  const errors: string[] = [];
  for (const f of list) {
    if (!f || typeof f !== 'object' || typeof f.sha256 !== 'string' || typeof f.size !== 'number') return { errors: [t('procedures.field.file')] };
    if (field.maxBytes && f.size > field.maxBytes) errors.push(t('procedures.field.file_size', { name: f.filename, max: Math.ceil(field.maxBytes / 1024) }));
    if (field.accept?.length && !field.accept.includes(f.content_type)) errors.push(t('procedures.field.file_type', { name: f.filename }));
  }
  return errors.length ? { errors } : { value: list.map((f) => ({ sha256: f.sha256, filename: f.filename, size: f.size, content_type: f.content_type })) };
}

/** Checks one non-empty answer of a collecting field (not repetition: see answers.ts). */
export function checkValue(field: FieldDefinition, raw: unknown, t: Translate, budget?: PatternBudget): Checked {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'address':
      return text(field, raw, t, budget);
    case 'integer':
    case 'decimal':
      return number(field, raw, t);
    case 'date':
    case 'datetime':
      return dateOrDatetime(field, raw, t);
    case 'email': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      return s.length <= 254 && /^[^\s@"<>()[\],;:\\]+@[^\s@"<>()[\],;:\\]+\.[^\s@"<>()[\],;:\\]{2,}$/.test(s) && cleanString(s)
        ? { value: s }
        : { errors: [t('procedures.field.email')] };
    }
    case 'phone': {
      const p = typeof raw === 'string' && raw.length <= 40 ? normalisePhone(raw) : null;
      return p ? { value: p } : { errors: [t('procedures.field.phone')] };
    }
    case 'yes_no':
    case 'checkbox': {
      const b = bool(raw);
      return b === null ? { errors: [t('procedures.field.boolean')] } : { value: b };
    }
    case 'choice':
    case 'dropdown':
    case 'multiple_choice':
      return choice(field, raw, t);
    case 'commune':
    case 'epci':
    case 'departement':
      return territory(field, raw, t);
    case 'siret': {
      const s = typeof raw === 'string' && raw.length <= 40 ? normaliseSiret(raw) : null;
      return s ? { value: s } : { errors: [t('procedures.field.siret')] };
    }
    case 'iban': {
      const s = typeof raw === 'string' && raw.length <= 60 ? normaliseIban(raw) : null;
      return s ? { value: s } : { errors: [t('procedures.field.iban')] };
    }
    case 'file':
      return file(field, raw, t);
    default:
      return { errors: [t('procedures.field.unknown_type')] };
  }
}

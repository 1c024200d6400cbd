// Table Schema types: from a cell's text to a value, or INVALID. The rules follow the Table Schema v1
// specification as frictionless-py 4 (Validata's engine) reads it: number with decimalChar/groupChar/
// bareNumber and Python's Decimal syntax (NaN, INF, exponents), integer of any size (BigInt beyond 2^53),
// booleans through trueValues/falseValues, dates in ISO form by default, `any`, or a strptime pattern,
// geopoints longitude first. Values are what constraints and custom checks compare: numbers, bigints,
// ISO strings for dates and times (they order as the dates do), booleans, parsed JSON.
import type { Params } from './messages.ts';

export const INVALID: unique symbol = Symbol('invalid');
export type Cast = (raw: string) => unknown;

export interface FieldDescriptor {
  name: string;
  type?: string;
  format?: string;
  trueValues?: string[];
  falseValues?: string[];
  decimalChar?: string;
  groupChar?: string;
  bareNumber?: boolean;
  constraints?: Record<string, unknown>;
  description?: string;
  example?: unknown;
  [key: string]: unknown;
}

export const TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
] as const;

export class TypeDefinitionError extends Error {}

export interface TypeInfo {
  cast: Cast;
  /** The message key and parameters of a type error on `raw`. */
  error(raw: string): { key: string; params: Params };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const FRENCH_DATE_RE = /^([0-3]\d)\/([0-1]\d)\/([12]\d{3})$/;
const DATETIME_LIKE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const INTEGER_RE = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const NUMBER_RE = /^\s*[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*|\d+(?:_\d+)*\.)(?:[eE][+-]?\d+)?\s*$/;
const SPECIAL_NUMBER_RE = /^\s*[+-]?(?:inf(?:inity)?|s?nan)\s*$/i;
const DURATION_RE =
  /^P(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$/;
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+[A-Za-z\u00a1-\uffff]{2,63}$/;
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]*$/;
const HEX32_RE = /^[0-9a-fA-F]{32}$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

function validTime(h: number, mi: number, se: number): boolean {
  return h <= 23 && mi <= 59 && se <= 59;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A strptime pattern (%d/%m/%Y…) as a regular expression with named parts, and its human form. */
interface StrpFormat {
  re: RegExp;
  human: [fr: string, en: string];
}

const MONTHS_EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_FULL_EN = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function strptimeFormat(format: string): StrpFormat {
  let re = '';
  let fr = '';
  let en = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      fr += c;
      en += c;
      continue;
    }
    const d = format[++i];
    const part: Record<string, [string, string, string]> = {
      Y: ['(?<Y>\\d{4})', 'aaaa', 'yyyy'],
      y: ['(?<y>\\d{2})', 'aa', 'yy'],
      m: ['(?<m>\\d{1,2})', 'mm', 'mm'],
      d: ['(?<d>\\d{1,2})', 'jj', 'dd'],
      H: ['(?<H>\\d{1,2})', 'hh', 'hh'],
      I: ['(?<I>\\d{1,2})', 'hh', 'hh'],
      M: ['(?<M>\\d{1,2})', 'mm', 'mm'],
      S: ['(?<S>\\d{1,2})', 'ss', 'ss'],
      f: ['(?<f>\\d{1,6})', 'ffffff', 'ffffff'],
      p: ['(?<p>AM|PM|am|pm)', 'AM', 'AM'],
      z: ['(?<z>Z|[+-]\\d{2}:?\\d{2})', '+hhmm', '+hhmm'],
      b: [`(?<b>${MONTHS_EN.join('|')})`, 'mois', 'Mon'],
      B: [`(?<B>${MONTHS_FULL_EN.join('|')})`, 'mois', 'Month'],
      j: ['(?<j>\\d{1,3})', 'jjj', 'ddd'],
      '%': ['%', '%', '%'],
    };
    const p = d ? part[d] : undefined;
    if (!p) throw new TypeDefinitionError(`unsupported date directive %${d ?? ''} in format "${format}"`);
    if (d !== '%' && re.includes(`(?<${d}>`)) throw new TypeDefinitionError(`directive %${d} twice in format "${format}"`);
    re += p[0];
    fr += p[1];
    en += p[2];
  }
  return { re: new RegExp(`^${re}$`, 'i'), human: [fr, en] };
}

/** Reads a strptime match into ISO text, or INVALID for an impossible date or time. */
function strptimeValue(m: RegExpExecArray, kind: 'date' | 'time' | 'datetime'): unknown {
  const g = m.groups ?? {};
  let year = g.Y ? Number(g.Y) : g.y ? (Number(g.y) < 69 ? 2000 : 1900) + Number(g.y) : 1900;
  let month = g.m ? Number(g.m) : g.b ? MONTHS_EN.indexOf(g.b.toLowerCase()) + 1 : g.B ? MONTHS_FULL_EN.indexOf(g.B.toLowerCase()) + 1 : 1;
  let day = g.d ? Number(g.d) : 1;
  if (g.j) {
    const date = new Date(Date.UTC(year, 0, Number(g.j)));
    if (Number(g.j) < 1 || Number(g.j) > 366 || date.getUTCFullYear() !== year) return INVALID;
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  let hour = g.H ? Number(g.H) : g.I ? (Number(g.I) % 12) + (g.p && g.p.toLowerCase() === 'pm' ? 12 : 0) : 0;
  if (g.I && (Number(g.I) < 1 || Number(g.I) > 12)) return INVALID;
  const minute = g.M ? Number(g.M) : 0;
  const second = g.S ? Number(g.S) : 0;
  if (!validDate(year, month, day) || !validTime(hour, minute, second)) return INVALID;
  year = Math.trunc(year);
  hour = Math.trunc(hour);
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return kind === 'date' ? date : kind === 'time' ? time : `${date}T${time}${g.z ? (g.z === 'Z' ? 'Z' : g.z) : ''}`;
}

/** Lenient reading for format "any": the ISO forms, and day-first dates as French files write them. */
function anyDate(raw: string): unknown {
  const v = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(v);
  if (m) return validDate(+m[1]!, +m[2]!, +m[3]!) ? `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}` : INVALID;
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(v);
  if (m) return validDate(+m[3]!, +m[2]!, +m[1]!) ? `${m[3]}-${pad(+m[2]!)}-${pad(+m[1]!)}` : INVALID;
  return INVALID;
}

function dateCast(field: FieldDescriptor): TypeInfo {
  const format = field.format ?? 'default';
  let cast: Cast;
  let human: [string, string] = ['aaaa-mm-jj', 'yyyy-mm-dd'];
  if (format === 'default') {
    cast = (raw) => {
      const m = DATE_RE.exec(raw);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) ? raw : INVALID;
    };
  } else if (format === 'any') {
    cast = anyDate;
  } else {
    const f = strptimeFormat(format.replace(/^fmt:/, ''));
    human = f.human;
    cast = (raw) => {
      const m = f.re.exec(raw);
      return m ? strptimeValue(m, 'date') : INVALID;
    };
  }
  return {
    cast,
    error(raw): { key: string; params: Params } {
      // Validata's hints: a French date, or a date and time, where the ISO date was expected.
      if (format === 'default') {
        const fm = FRENCH_DATE_RE.exec(raw);
        if (fm && validDate(+fm[3]!, +fm[2]!, +fm[1]!)) return { key: 'type-error.date', params: { iso: `${fm[3]}-${fm[2]}-${fm[1]}` } };
        if (DATETIME_LIKE_RE.test(raw)) return { key: 'type-error.date', params: { iso: raw.slice(0, raw.indexOf('T')) } };
      }
      return { key: 'type-error.date', params: { form: human[0], formEn: human[1] } };
    },
  };
}

function timeCast(field: FieldDescriptor, kind: 'time' | 'datetime'): TypeInfo {
  const format = field.format ?? 'default';
  let cast: Cast;
  let human: [string, string] = kind === 'time' ? ['hh:mm:ss', 'hh:mm:ss'] : ['aaaa-mm-jjThh:mm:ssZ', 'yyyy-mm-ddThh:mm:ssZ'];
  if (format === 'default' || format === 'any') {
    cast =
      kind === 'time'
        ? (raw) => {
            const m = TIME_RE.exec(format === 'any' ? raw.trim() : raw);
            return m && validTime(+m[1]!, +m[2]!, +m[3]!) ? m[0] : INVALID;
          }
        : (raw) => {
            const v = format === 'any' ? raw.trim() : raw;
            const m = DATETIME_RE.exec(v);
            if (!m || (format === 'default' && v[10] !== 'T')) return INVALID;
            return validDate(+m[1]!, +m[2]!, +m[3]!) && validTime(+m[4]!, +m[5]!, +m[6]!) ? v.replace(' ', 'T') : INVALID;
          };
  } else {
    const f = strptimeFormat(format.replace(/^fmt:/, ''));
    human = f.human;
    cast = (raw) => {
      const m = f.re.exec(raw);
      return m ? strptimeValue(m, kind) : INVALID;
    };
  }
  return { cast, error: () => ({ key: `type-error.${kind}`, params: { form: human[0], formEn: human[1] } }) };
}

function numberCast(field: FieldDescriptor, integer: boolean): TypeInfo {
  const decimalChar = field.decimalChar ?? '.';
  const groupChar = field.groupChar ?? '';
  const bare = field.bareNumber !== false;
  if (typeof decimalChar !== 'string' || decimalChar.length === 0) throw new TypeDefinitionError('decimalChar must be a non-empty string');
  if (typeof groupChar !== 'string') throw new TypeDefinitionError('groupChar must be a string');
  const prepare = (raw: string): string => {
    let v = raw;
    if (groupChar) v = v.split(groupChar).join('');
    if (!integer && decimalChar !== '.') v = v.split(decimalChar).join('.');
    if (!bare) v = v.replace(/^\D+/, '').replace(/\D+$/, '');
    return v;
  };
  const simple = groupChar === '' && decimalChar === '.' && bare;
  const cast: Cast = integer
    ? (raw) => {
        const v = simple ? raw : prepare(raw);
        if (!INTEGER_RE.test(v)) return INVALID;
        const t = v.includes('_') ? v.trim().replace(/_/g, '') : v.trim();
        const n = Number(t);
        return Number.isSafeInteger(n) ? n : BigInt(t);
      }
    : (raw) => {
        const v = simple ? raw : prepare(raw);
        if (NUMBER_RE.test(v)) return Number(v.includes('_') ? v.replace(/_/g, '') : v);
        if (SPECIAL_NUMBER_RE.test(v)) {
          const t = v.trim().toLowerCase().replace(/^\+/, '');
          return t.includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
        }
        return INVALID;
      };
  return {
    cast,
    error(raw): { key: string; params: Params } {
      if (integer) return { key: 'type-error.integer', params: {} };
      // A comma where the schema wants a point: Validata suggests the corrected number.
      if (decimalChar === '.' && raw.includes(',')) return { key: 'type-error.number', params: { suggestion: raw.replace(/,/g, '.') } };
      return { key: 'type-error.number', params: {} };
    },
  };
}

function booleanCast(field: FieldDescriptor): TypeInfo {
  const trueValues = field.trueValues ?? ['true', 'True', 'TRUE', '1'];
  const falseValues = field.falseValues ?? ['false', 'False', 'FALSE', '0'];
  if (!Array.isArray(trueValues) || !trueValues.every((v) => typeof v === 'string')) throw new TypeDefinitionError('trueValues must be a list of strings');
  if (!Array.isArray(falseValues) || !falseValues.every((v) => typeof v === 'string')) throw new TypeDefinitionError('falseValues must be a list of strings');
  const t = new Set(trueValues);
  const f = new Set(falseValues);
  // Validata lists `true` and `false` only when the schema sets no values of its own.
  const shownTrue = (field.trueValues ?? ['true']).map((v) => `\`${v}\``);
  const shownFalse = (field.falseValues ?? ['false']).map((v) => `\`${v}\``);
  const params = {
    trueFr: etJoinLocal(shownTrue, 'et'),
    falseFr: etJoinLocal(shownFalse, 'et'),
    trueEn: etJoinLocal(shownTrue, 'and'),
    falseEn: etJoinLocal(shownFalse, 'and'),
  };
  return {
    cast: (raw) => (t.has(raw) ? true : f.has(raw) ? false : INVALID),
    error: () => ({ key: 'type-error.boolean', params }),
  };
}

function etJoinLocal(values: string[], and: string): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} ${and} ${values[values.length - 1]}`;
}

function stringCast(field: FieldDescriptor): TypeInfo {
  const format = field.format ?? 'default';
  let cast: Cast;
  switch (format) {
    case 'email':
      cast = (raw) => (EMAIL_RE.test(raw) ? raw : INVALID);
      break;
    case 'uri':
      cast = (raw) => (URI_RE.test(raw) ? raw : INVALID);
      break;
    case 'uuid':
      // As Python's uuid.UUID: braces, a urn:uuid: prefix and hyphens anywhere are accepted.
      cast = (raw) =>
        HEX32_RE.test(
          raw
            .replace(/^urn:uuid:/i, '')
            .replace(/^\{(.*)\}$/, '$1')
            .replace(/-/g, ''),
        )
          ? raw
          : INVALID;
      break;
    case 'binary':
      cast = (raw) => (BASE64_RE.test(raw) ? raw : INVALID);
      break;
    default:
      cast = (raw) => raw;
  }
  return { cast, error: () => ({ key: 'type-error.string', params: { format } }) };
}

function geopointCast(field: FieldDescriptor): TypeInfo {
  const format = field.format ?? 'default';
  const point = (lon: unknown, lat: unknown): unknown => {
    const x = typeof lon === 'number' ? lon : typeof lon === 'string' && NUMBER_RE.test(lon) ? Number(lon) : NaN;
    const y = typeof lat === 'number' ? lat : typeof lat === 'string' && NUMBER_RE.test(lat) ? Number(lat) : NaN;
    if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) return INVALID;
    return { lon: x, lat: y };
  };
  let cast: Cast;
  let form: [string, string];
  if (format === 'array') {
    form = ['`[longitude, latitude]`', '`[longitude, latitude]`'];
    cast = (raw) => {
      const v = parseJson(raw);
      return Array.isArray(v) && v.length === 2 ? point(v[0], v[1]) : INVALID;
    };
  } else if (format === 'object') {
    form = ['`{"lon": longitude, "lat": latitude}`', '`{"lon": longitude, "lat": latitude}`'];
    cast = (raw) => {
      const v = parseJson(raw) as { lon?: unknown; lat?: unknown } | null;
      return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 2 ? point(v.lon, v.lat) : INVALID;
    };
  } else {
    form = ['« longitude, latitude » (par exemple `2.35, 48.85`)', '“longitude, latitude” (for example `2.35, 48.85`)'];
    cast = (raw) => {
      const parts = raw.split(',');
      return parts.length === 2 ? point(parts[0]!.trim(), parts[1]!.trim()) : INVALID;
    };
  }
  return { cast, error: () => ({ key: 'type-error.geopoint', params: { form: form[0], formEn: form[1] } }) };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return INVALID;
  }
}

function jsonCast(type: 'object' | 'array' | 'geojson'): TypeInfo {
  const cast: Cast = (raw) => {
    const v = parseJson(raw);
    if (type === 'array') return Array.isArray(v) ? v : INVALID;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return INVALID;
    if (type === 'geojson' && typeof (v as { type?: unknown }).type !== 'string') return INVALID;
    return v;
  };
  return { cast, error: () => ({ key: 'type-error.json', params: { type: type === 'array' ? 'array' : 'object' } }) };
}

/** The cast of a field, or a TypeDefinitionError naming what is wrong with its definition. */
export function typeInfo(field: FieldDescriptor): TypeInfo {
  const type = field.type ?? 'string';
  switch (type) {
    case 'string':
      return stringCast(field);
    case 'number':
      return numberCast(field, false);
    case 'integer':
      return numberCast(field, true);
    case 'boolean':
      return booleanCast(field);
    case 'date':
      return dateCast(field);
    case 'time':
      return timeCast(field, 'time');
    case 'datetime':
      return timeCast(field, 'datetime');
    case 'year':
      return {
        cast: (raw) => (/^\d{4}$/.test(raw) ? Number(raw) : INVALID),
        error: () => ({ key: 'type-error.year', params: {} }),
      };
    case 'yearmonth':
      return {
        cast: (raw) => {
          const m = /^(\d{4})-(\d{1,2})$/.exec(raw);
          return m && +m[2]! >= 1 && +m[2]! <= 12 ? `${m[1]}-${pad(+m[2]!)}` : INVALID;
        },
        error: () => ({ key: 'type-error.yearmonth', params: {} }),
      };
    case 'duration':
      return { cast: (raw) => (DURATION_RE.test(raw) ? raw : INVALID), error: () => ({ key: 'type-error.duration', params: {} }) };
    case 'geopoint':
      return geopointCast(field);
    case 'object':
    case 'array':
    case 'geojson':
      return jsonCast(type);
    case 'any':
      return { cast: (raw) => raw, error: () => ({ key: 'type-error.string', params: {} }) };
    default:
      throw new TypeDefinitionError(`unknown type "${type}"`);
  }
}

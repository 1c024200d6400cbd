// Validata's custom checks, declared by a schema as `custom_checks: [{name, params}]`. Semantics restated
// from validata-table 0.10.1 (custom_checks/*.py; no code carried over):
// - one-column checks skip an absent column and an empty cell;
// - multi-column checks (compare, sum) do nothing when all their columns are absent, report each absent
//   one as a check error when only some are, and skip a row where any of their cells is empty or of the
//   wrong type; cohesive-columns-value and one-of-required look at empty cells on purpose;
// - values are the typed cells (a cell that failed its type counts as empty), messages show the text.
// Unknown check names are a warning here, not an error as in Validata: a newer schema should not make every
// file invalid because Bastide does not know one of its checks.
import type { Params } from './messages.ts';
import { pyRepr } from './messages.ts';
import { luhnValid } from '../../../core/territory/luhn.ts';

export interface CustomCheckDescriptor {
  name: string;
  params: Record<string, unknown>;
}

/** An error a check finds; `field` null for a table-level one. */
export interface CheckFinding {
  code: string;
  key: string;
  params: Params;
  field: string | null;
  value: string | null;
}

export interface RowView {
  /** The typed value of a schema field's cell; null when empty, of the wrong type, or the column is absent. */
  value(field: string): unknown;
  /** The text of the cell; null when the column is absent. */
  text(field: string): string | null;
}

export interface ActiveCheck {
  row(view: RowView, out: CheckFinding[]): void;
}

export interface CheckSetup {
  checks: ActiveCheck[];
  /** Table-level findings (both one-of-required columns absent, some columns of a check absent). */
  start: CheckFinding[];
  /** Names of unknown checks. */
  unknown: string[];
}

const KNOWN: Record<string, (p: Record<string, unknown>) => string | null> = {
  'french-siret-value': (p) => needString(p, 'column'),
  'french-siren-value': (p) => needString(p, 'column'),
  'nomenclature-actes-value': (p) => needString(p, 'column'),
  'french-gps-coordinates': (p) => needString(p, 'column'),
  'year-interval-value': (p) =>
    needString(p, 'column') ?? (p['allow-year-only'] !== undefined && typeof p['allow-year-only'] !== 'string' ? '"allow-year-only" must be a string' : null),
  'one-of-required': (p) => needString(p, 'column1') ?? needString(p, 'column2'),
  'compare-columns-value': (p) =>
    needString(p, 'column') ??
    needString(p, 'column2') ??
    needString(p, 'op') ??
    (OPERATORS[p.op as string] ? null : `L'opérateur ${pyRepr(String(p.op))} n'est pas géré.`),
  'sum-columns-value': (p) => needString(p, 'column') ?? needStrings(p, 'columns', 2),
  'cohesive-columns-value': (p) => needString(p, 'column') ?? needStrings(p, 'othercolumns', 1),
};

function needString(p: Record<string, unknown>, key: string): string | null {
  return typeof p[key] === 'string' && p[key] !== '' ? null : `parameter "${key}" must be a column name`;
}

function needStrings(p: Record<string, unknown>, key: string, min: number): string | null {
  const v = p[key];
  return Array.isArray(v) && v.length >= min && v.every((s) => typeof s === 'string')
    ? null
    : `parameter "${key}" must be a list of at least ${min} column name(s)`;
}

/** The problem with a schema's custom_checks, or null. */
export function checkCustomChecks(list: unknown): string | null {
  if (!Array.isArray(list)) return '"custom_checks" must be a list';
  for (const [i, c] of list.entries()) {
    if (typeof c !== 'object' || c === null || typeof (c as CustomCheckDescriptor).name !== 'string') return `custom check ${i + 1} has no name`;
    const params = (c as CustomCheckDescriptor).params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      return `custom check "${(c as CustomCheckDescriptor).name}": params must be an object`;
    const validate = KNOWN[(c as CustomCheckDescriptor).name];
    const problem = validate ? validate(params as Record<string, unknown>) : null;
    if (problem) return `custom check "${(c as CustomCheckDescriptor).name}": ${problem}`;
  }
  return null;
}

// ---- SIRET / SIREN (as python-stdnum: Luhn, and La Poste's establishments whose digits add up to a multiple of 5)

const compactId = (v: string) => v.replace(/[ .]/g, '').trim();

export function isSiren(value: string): boolean {
  const n = compactId(value);
  return /^\d{9}$/.test(n) && luhnValid(n);
}

export function isSiret(value: string): boolean {
  const n = compactId(value);
  if (!/^\d{14}$/.test(n)) return false;
  if (n.startsWith('356000000') && n !== '35600000000048') {
    let sum = 0;
    for (const c of n) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0;
  }
  return luhnValid(n) && luhnValid(n.slice(0, 9));
}

// ---- GPS: bounding boxes of mainland France and the five DROM (Validata's, points strictly inside)

const FRANCE_BOXES: Array<[xMin: number, yMin: number, xMax: number, yMax: number]> = [
  [-61.809839, 15.832041, -61.001959, 16.514488], // Guadeloupe
  [-61.229033, 14.388646, -60.809655, 14.878723], // Martinique
  [-54.60239, 2.111055, -51.619041, 5.748138], // Guyane
  [55.216526, -21.389631, 55.836654, -20.8718], // La Réunion
  [45.01833, -13.005254, 45.299985, -12.63659], // Mayotte
  [-5.141277, 41.333571, 9.560091, 51.088989], // France métropolitaine
];

export function inFrance(x: number, y: number): boolean {
  return FRANCE_BOXES.some(([a, b, c, d]) => x > a && x < c && y > b && y < d);
}

// ---- Actes nomenclature

const ACTES = [
  'Commande publique',
  'Urbanisme',
  'Domaine et patrimoine',
  'Fonction publique',
  'Institutions et vie politique',
  'Libertés publiques et pouvoirs de police',
  'Finances locales',
  'Domaines de compétences par thèmes',
  'Autres domaines de compétences',
];
const normActes = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
const ACTES_NORM = new Set(ACTES.map(normActes));

// ---- comparisons

const OPERATORS: Record<string, { fr: string; en: string; test: (a: number | string, b: number | string) => boolean }> = {
  '>': { fr: 'supérieure', en: 'greater than', test: (a, b) => a > b },
  '>=': { fr: 'supérieure ou égale', en: 'greater than or equal to', test: (a, b) => a >= b },
  '==': { fr: 'égale', en: 'equal to', test: (a, b) => a === b },
  '<=': { fr: 'inférieure ou égale', en: 'less than or equal to', test: (a, b) => a <= b },
  '<': { fr: 'inférieure', en: 'less than', test: (a, b) => a < b },
};

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Validata's comparison: numbers (or numeric text) numerically, values of one type as text, others not at all. */
function comparable(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && NUMERIC_TEXT.test(v)) return Number(v);
  return null;
}

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** The checks of a schema, for a file whose header holds `present` (schema field names). */
export function setupChecks(list: CustomCheckDescriptor[], present: ReadonlySet<string>): CheckSetup {
  const checks: ActiveCheck[] = [];
  const start: CheckFinding[] = [];
  const unknown: string[] = [];
  const checkError = (name: string, fr: string, en: string): CheckFinding => ({
    code: 'check-error',
    key: 'check-error',
    params: { fr: `${pyRepr(name)}: ${fr}`, en: `${pyRepr(name)}: ${en}` },
    field: null,
    value: null,
  });

  for (const { name, params: p = {} } of list) {
    const column = p.column as string;
    const single = (test: (value: unknown, text: string) => CheckFinding | null): void => {
      if (!present.has(column)) return;
      checks.push({
        row(view, out) {
          const value = view.value(column);
          if (empty(value) || value === false || value === 0) return;
          const finding = test(value, view.text(column) ?? '');
          if (finding) out.push(finding);
        },
      });
    };
    const cellFinding = (code: string, key: string, params: Params, text: string): CheckFinding => ({ code, key, params, field: column, value: text });
    switch (name) {
      case 'french-siret-value':
        single((v, t) => (isSiret(String(v)) ? null : cellFinding(name, name, { cell: t }, t)));
        break;
      case 'french-siren-value':
        single((v, t) => (isSiren(String(v)) ? null : cellFinding(name, name, { cell: t }, t)));
        break;
      case 'year-interval-value': {
        const yearOnly = p['allow-year-only'] === 'true' || p['allow-year-only'] === 'yes';
        single((v, t) => {
          const s = String(v);
          const m = /^(\d{4})\/(\d{4})$/.exec(s);
          if (!m) {
            if (yearOnly) return /^\d{4}$/.test(s) ? null : cellFinding(name, name, { cell: t, note: 'year-or-interval' }, t);
            return cellFinding(name, name, { cell: t, note: 'interval' }, t);
          }
          const y1 = Number(m[1]);
          const y2 = Number(m[2]);
          if (y1 === y2) return cellFinding(name, name, { cell: t, note: 'same' }, t);
          if (y1 > y2) return cellFinding(name, name, { cell: t, note: 'order', y1, y2 }, t);
          return null;
        });
        break;
      }
      case 'nomenclature-actes-value':
        single((v, t) => {
          const s = String(v);
          const slash = s.indexOf('/');
          if (slash === -1) return cellFinding(name, name, { cell: t, note: 'slash' }, t);
          const prefix = s.slice(0, slash);
          if (ACTES_NORM.has(normActes(prefix)) && !s.includes('/ ')) return null;
          if (ACTES_NORM.has(normActes(prefix.trimEnd())) || s.includes('/ ')) return cellFinding(name, name, { cell: t, note: 'space' }, t);
          return cellFinding(name, name, { cell: t, note: 'prefix', prefix }, t);
        });
        break;
      case 'french-gps-coordinates':
        single((v, t) => {
          const point = v as { lon?: number; lat?: number };
          if (typeof point !== 'object' || typeof point.lon !== 'number' || typeof point.lat !== 'number') return null;
          if (inFrance(point.lon, point.lat)) return null;
          const code = inFrance(point.lat, point.lon) ? 'reversed-french-gps-coordinates' : 'french-gps-coordinates';
          return cellFinding(code, code, { cell: t }, t);
        });
        break;
      case 'one-of-required': {
        const a = p.column1 as string;
        const b = p.column2 as string;
        if (!present.has(a) && !present.has(b)) {
          start.push({ code: name, key: 'one-of-required.table', params: { a, b }, field: null, value: null });
          break;
        }
        checks.push({
          row(view, out) {
            if (empty(view.value(a)) && empty(view.value(b))) out.push({ code: name, key: 'one-of-required.row', params: { a, b }, field: null, value: null });
          },
        });
        break;
      }
      case 'compare-columns-value': {
        const b = p.column2 as string;
        const op = OPERATORS[p.op as string]!;
        if (!present.has(column) && !present.has(b)) break;
        const missing = [column, b].filter((c) => !present.has(c));
        for (const c of missing) start.push(checkError(name, `La colonne ${c} n'est pas trouvée.`, `Column ${c} is not found.`));
        if (missing.length) break;
        checks.push({
          row(view, out) {
            const va = view.value(column);
            const vb = view.value(b);
            if (empty(va) || empty(vb)) return;
            const x = comparable(va);
            const y = comparable(vb);
            const params = { a: column, b, va: view.text(column) ?? '', vb: view.text(b) ?? '', opFr: op.fr, opEn: op.en };
            let ok: boolean;
            if (typeof x === 'number' && typeof y === 'number') ok = op.test(x, y);
            else if (typeof va === typeof vb) ok = op.test(String(va), String(vb));
            else {
              out.push({ code: name, key: 'compare-columns-value.incomparable', params, field: column, value: params.va });
              return;
            }
            if (!ok) out.push({ code: name, key: name, params, field: column, value: params.va });
          },
        });
        break;
      }
      case 'sum-columns-value': {
        const terms = p.columns as string[];
        const all = [column, ...terms];
        if (!all.some((c) => present.has(c))) break;
        const missing = all.filter((c) => !present.has(c));
        for (const c of missing) start.push(checkError(name, `la colonne ${c} n'est pas trouvée`, `column ${c} is not found`));
        if (missing.length) break;
        checks.push({
          row(view, out) {
            const values = all.map((c) => view.value(c));
            if (values.some(empty)) return;
            const ints = values.map((v) => Math.trunc(Number(v)));
            if (ints.some((n) => !Number.isFinite(n))) return;
            const sum = ints.slice(1).reduce((x, y) => x + y, 0);
            if (sum === ints[0]) return;
            const termsText = terms.map((c, i) => `${c} (${ints[i + 1]})`).join(', ');
            out.push({ code: name, key: name, params: { terms: termsText, sum, column, value: ints[0]! }, field: column, value: view.text(column) });
          },
        });
        break;
      }
      case 'cohesive-columns-value': {
        const others = p.othercolumns as string[];
        const all = [column, ...others];
        if (!all.some((c) => present.has(c))) break;
        if (!present.has(column)) {
          start.push(checkError(name, `La colonne ${pyRepr(column)} est manquante.`, `Column ${pyRepr(column)} is missing.`));
          break;
        }
        const missing = others.filter((c) => !present.has(c));
        for (const c of missing) start.push(checkError(name, `La colonne à comparer ${pyRepr(c)} est manquante`, `Column ${pyRepr(c)} to compare is missing`));
        if (missing.length) break;
        checks.push({
          row(view, out) {
            const status = !empty(view.value(column));
            if (others.some((c) => !empty(view.value(c)) !== status)) {
              out.push({ code: name, key: name, params: { columns: all.join(', ') }, field: column, value: view.text(column) });
            }
          },
        });
        break;
      }
      default:
        unknown.push(name);
    }
  }
  return { checks, start, unknown };
}

// A procedure definition checked before it is stored: what the designer saves, what the API receives,
// what an imported JSON brings. Reasons are keyed by path (`fields.2.options`) and localised.
import type { Translate } from '../../../core/i18n/i18n.ts';
import { DISPLAY_ONLY, FIELD_TYPES, type Condition, type FieldDefinition, type ProcedureDefinition } from './definition.ts';
import { conditionFields } from './conditions.ts';
import { MAX_PATTERN_LENGTH, patternProblem } from './patterns.ts';
import { MAX_TEXT_LENGTH, maxLengthOf } from './values.ts';

export type DefinitionResult = { ok: true; definition: ProcedureDefinition } | { ok: false; errors: Record<string, string[]> };

export const MAX_FIELDS = 300;
const KEY = /^[a-z][a-z0-9_]{0,62}$/;
const CHOICE_TYPES = ['choice', 'multiple_choice', 'dropdown'];
const OPS = ['equals', 'not_equals', 'gt', 'lt', 'filled', 'empty'];
const KNOWN = new Set([
  'key',
  'label',
  'type',
  'required',
  'hint',
  'options',
  'min',
  'max',
  'minLength',
  'maxLength',
  'pattern',
  'visibleIf',
  'requiredIf',
  'fields',
  'accept',
  'maxBytes',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max && v.isWellFormed() && !v.includes('\u0000');

function conditionShapeOk(c: unknown, depth = 0): boolean {
  if (depth > 10 || !isRecord(c)) return false;
  if ('all' in c) return Array.isArray(c.all) && c.all.length <= 50 && c.all.every((x) => conditionShapeOk(x, depth + 1));
  if ('any' in c) return Array.isArray(c.any) && c.any.length <= 50 && c.any.every((x) => conditionShapeOk(x, depth + 1));
  if (typeof c.field !== 'string' || typeof c.op !== 'string' || !OPS.includes(c.op)) return false;
  if (c.op === 'filled' || c.op === 'empty') return true;
  return ['string', 'number', 'boolean'].includes(typeof c.value);
}

interface Scope {
  /** Keys answered before this field (conditions may only look backwards), with their types. */
  earlier: Map<string, string>;
}

function checkField(
  raw: unknown,
  path: string,
  scope: Scope,
  seen: Set<string>,
  nested: boolean,
  t: Translate,
  errors: Record<string, string[]>,
): FieldDefinition | null {
  const add = (p: string, key: string, params?: Record<string, string | number>) => (errors[p] ??= []).push(t(key, params));
  if (!isRecord(raw)) {
    add(path, 'procedures.definition.field_object');
    return null;
  }
  const f = raw as Record<string, unknown>;
  for (const k of Object.keys(f)) if (!KNOWN.has(k)) add(`${path}.${k}`, 'procedures.definition.unknown_property');
  if (typeof f.key !== 'string' || !KEY.test(f.key)) add(`${path}.key`, 'procedures.definition.key');
  else if (seen.has(f.key)) add(`${path}.key`, 'procedures.definition.duplicate_key', { key: f.key });
  if (!isText(f.label, 500)) add(`${path}.label`, 'procedures.definition.label');
  if (typeof f.type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(f.type)) {
    add(`${path}.type`, 'procedures.definition.type');
    return null;
  }
  const type = f.type as FieldDefinition['type'];
  if (f.required !== undefined && typeof f.required !== 'boolean') add(`${path}.required`, 'procedures.definition.boolean');
  if (f.hint !== undefined && !(typeof f.hint === 'string' && f.hint.length <= 2000)) add(`${path}.hint`, 'procedures.definition.hint');
  if (DISPLAY_ONLY.includes(type) && (f.required || f.requiredIf)) add(`${path}.required`, 'procedures.definition.display_required');
  if (CHOICE_TYPES.includes(type)) {
    const options = Array.isArray(f.options) ? f.options : null;
    const values = options?.map((o) => (typeof o === 'string' ? o : isRecord(o) && isText(o.label, 500) && isText(o.value, 200) ? o.value : null));
    if (!options || options.length === 0 || options.length > 500) add(`${path}.options`, 'procedures.definition.options');
    else if (values!.some((v) => v === null || (typeof v === 'string' && !isText(v, 500)))) add(`${path}.options`, 'procedures.definition.option');
    else if (new Set(values).size !== values!.length) add(`${path}.options`, 'procedures.definition.options_unique');
  } else if (f.options !== undefined) add(`${path}.options`, 'procedures.definition.no_options');
  for (const k of ['minLength', 'maxLength', 'maxBytes'] as const) {
    if (f[k] !== undefined && !(Number.isSafeInteger(f[k]) && (f[k] as number) >= 0)) add(`${path}.${k}`, 'procedures.definition.count');
    else if (k !== 'maxBytes' && typeof f[k] === 'number' && f[k] > MAX_TEXT_LENGTH)
      add(`${path}.${k}`, 'procedures.definition.length_cap', { max: MAX_TEXT_LENGTH });
  }
  for (const k of ['min', 'max'] as const) {
    const v = f[k];
    if (v === undefined) continue;
    const isoDate = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(v);
    if (!((typeof v === 'number' && Number.isFinite(v)) || isoDate)) add(`${path}.${k}`, 'procedures.definition.bound');
  }
  if (f.pattern !== undefined) {
    // RE2 syntax, evaluated in linear time (patterns.ts); what it costs on the longest answer allowed
    // is bounded here, so that a citizen never meets a pattern that cannot be checked.
    const declared = Number.isSafeInteger(f.maxLength) && (f.maxLength as number) >= 0 ? (f.maxLength as number) : undefined;
    const maxLength = maxLengthOf({ type, maxLength: declared } as FieldDefinition);
    const problem = typeof f.pattern === 'string' ? patternProblem(f.pattern, Math.max(maxLength, 1)) : 'syntax';
    if (problem)
      add(`${path}.pattern`, `procedures.definition.pattern${problem === 'syntax' ? '' : `_${problem}`}`, {
        max: problem === 'too_long' ? MAX_PATTERN_LENGTH : maxLength,
      });
  }
  if (f.accept !== undefined && !(Array.isArray(f.accept) && f.accept.every((a) => typeof a === 'string' && /^[a-z]+\/[a-z0-9.+-]+$/.test(a))))
    add(`${path}.accept`, 'procedures.definition.accept');
  for (const k of ['visibleIf', 'requiredIf'] as const) {
    if (f[k] === undefined) continue;
    if (!conditionShapeOk(f[k])) {
      add(`${path}.${k}`, 'procedures.definition.condition');
      continue;
    }
    for (const ref of conditionFields(f[k] as Condition)) {
      if (!scope.earlier.has(ref)) add(`${path}.${k}`, 'procedures.definition.condition_ref', { key: ref });
    }
  }
  let fields: FieldDefinition[] | undefined;
  if (type === 'repetition') {
    if (nested) add(`${path}.type`, 'procedures.definition.nested_repetition');
    else if (!Array.isArray(f.fields) || f.fields.length === 0 || f.fields.length > 50) add(`${path}.fields`, 'procedures.definition.block_fields');
    else fields = checkList(f.fields, `${path}.fields`, { earlier: new Map(scope.earlier) }, true, t, errors);
  } else if (f.fields !== undefined) add(`${path}.fields`, 'procedures.definition.no_fields');
  if (typeof f.key === 'string') {
    seen.add(f.key);
    if (!DISPLAY_ONLY.includes(type) && type !== 'repetition') scope.earlier.set(f.key, type);
  }
  return { ...(f as unknown as FieldDefinition), ...(fields ? { fields } : {}) };
}

function checkList(list: unknown[], path: string, scope: Scope, nested: boolean, t: Translate, errors: Record<string, string[]>): FieldDefinition[] {
  const seen = new Set<string>();
  const out: FieldDefinition[] = [];
  list.forEach((raw, i) => {
    const field = checkField(raw, `${path}.${i}`, scope, seen, nested, t, errors);
    if (field) out.push(field);
  });
  return out;
}

/** Checks a whole definition (title, description, fields). Never throws on any JSON value. */
export function validateDefinition(input: unknown, t: Translate): DefinitionResult {
  const errors: Record<string, string[]> = {};
  if (!isRecord(input)) return { ok: false, errors: { _: [t('procedures.definition.object')] } };
  if (!isText(input.title, 200)) (errors.title ??= []).push(t('procedures.definition.title'));
  if (input.description !== undefined && !(typeof input.description === 'string' && input.description.length <= 20_000 && input.description.isWellFormed())) {
    (errors.description ??= []).push(t('procedures.definition.description'));
  }
  let fields: FieldDefinition[] = [];
  if (!Array.isArray(input.fields) || input.fields.length > MAX_FIELDS) (errors.fields ??= []).push(t('procedures.definition.fields', { max: MAX_FIELDS }));
  else fields = checkList(input.fields, 'fields', { earlier: new Map() }, false, t, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const definition: ProcedureDefinition = { title: (input.title as string).trim(), fields };
  if (typeof input.description === 'string' && input.description) definition.description = input.description;
  return { ok: true, definition };
}

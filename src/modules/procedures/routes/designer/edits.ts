// Pure edits of a draft definition for the designer pages: find, add, move, delete and rebuild a field
// from its edit form. The result is validated by the update action (validate-definition.ts), which
// names what is wrong; these functions only reshape.
import { slugify } from '../../../../core/territory/cog.ts';
import type { Condition, FieldDefinition, FieldType, ProcedureDefinition } from '../../fields/definition.ts';
import { DISPLAY_ONLY, FIELD_TYPES } from '../../fields/definition.ts';
import type { FormBody } from '../../fields/parse-form.ts';
import { CONDITION_ROWS } from '../../views/designer-field.ts';

type Body = FormBody;

function list(body: Body, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim());
}

function one(body: Body, name: string): string {
  return list(body, name)[0] ?? '';
}

/** `3` → top-level field 3; `3.1` → field 1 of the repeated block 3. */
export function parsePath(path: string): number[] | null {
  return /^\d{1,3}(\.\d{1,3})?$/.test(path) ? path.split('.').map(Number) : null;
}

export function containerOf(def: ProcedureDefinition, path: number[]): FieldDefinition[] | null {
  if (path.length === 1) return def.fields;
  const parent = def.fields[path[0]!];
  return parent?.type === 'repetition' ? (parent.fields ??= []) : null;
}

export function fieldAt(def: ProcedureDefinition, path: number[]): FieldDefinition | null {
  return containerOf(def, path)?.[path[path.length - 1]!] ?? null;
}

/** Fields answered before the one at `path`: what its conditions may look at. */
export function earlierFields(def: ProcedureDefinition, path: number[]): FieldDefinition[] {
  const collecting = (f: FieldDefinition) => !DISPLAY_ONLY.includes(f.type) && f.type !== 'repetition';
  const top = def.fields.slice(0, path[0]).filter(collecting);
  if (path.length === 1) return top;
  return [...top, ...(def.fields[path[0]!]?.fields ?? []).slice(0, path[1]).filter(collecting)];
}

function allKeys(def: ProcedureDefinition): Set<string> {
  return new Set(def.fields.flatMap((f) => [f.key, ...(f.fields ?? []).map((s) => s.key)]));
}

/** A new field from a label and a type, with a free key and what its type needs to be valid. */
export function newField(def: ProcedureDefinition, label: string, type: string): FieldDefinition {
  const fieldType = ((FIELD_TYPES as readonly string[]).includes(type) ? type : 'text') as FieldType;
  const base = (
    slugify(label)
      .replace(/-/g, '_')
      .replace(/^[^a-z]+/, '') || 'champ'
  ).slice(0, 50);
  const taken = allKeys(def);
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
  const field: FieldDefinition = { key, label, type: fieldType };
  if (['choice', 'multiple_choice', 'dropdown'].includes(fieldType)) field.options = ['Option 1', 'Option 2'];
  if (fieldType === 'repetition') field.fields = [];
  return field;
}

export function moveField(def: ProcedureDefinition, path: number[], delta: -1 | 1): void {
  const container = containerOf(def, path);
  const i = path[path.length - 1]!;
  const j = i + delta;
  if (!container || j < 0 || j >= container.length) return;
  [container[i], container[j]] = [container[j]!, container[i]!];
}

export function deleteField(def: ProcedureDefinition, path: number[]): void {
  containerOf(def, path)?.splice(path[path.length - 1]!, 1);
}

function typedValue(earlier: FieldDefinition[], key: string, raw: string): string | number | boolean {
  const type = earlier.find((f) => f.key === key)?.type;
  if ((type === 'yes_no' || type === 'checkbox') && /^(true|false|oui|non)$/i.test(raw)) return /^(true|oui)$/i.test(raw);
  if ((type === 'integer' || type === 'decimal') && raw !== '' && Number.isFinite(Number(raw.replace(',', '.')))) return Number(raw.replace(',', '.'));
  return raw;
}

const OPS = ['equals', 'not_equals', 'gt', 'lt', 'filled', 'empty'];

/** One comparison from a row of selects, its value typed after the field it reads (yes/no, numbers). */
export function comparison(field: string, op: string, raw: string, earlier: FieldDefinition[]): Condition {
  const o = OPS.includes(op) ? op : 'equals';
  return o === 'filled' || o === 'empty' ? { field, op: o } : { field, op: o as 'equals', value: typedValue(earlier, field, raw) };
}

/** The condition of the rows posted (`visibleIf_field`, `_op`, `_value`, `_mode`), or the JSON fallback. */
export function conditionFrom(body: Body, name: 'visibleIf' | 'requiredIf', earlier: FieldDefinition[]): Condition | undefined | 'invalid' {
  const json = one(body, `${name}_json`);
  if (json) {
    try {
      return JSON.parse(json) as Condition;
    } catch {
      return 'invalid';
    }
  }
  const fields = list(body, `${name}_field`),
    ops = list(body, `${name}_op`),
    values = list(body, `${name}_value`);
  const rows: Condition[] = [];
  for (let i = 0; i < Math.min(fields.length, CONDITION_ROWS); i++) {
    if (!fields[i]) continue;
    rows.push(comparison(fields[i]!, ops[i] ?? 'equals', values[i] ?? '', earlier));
  }
  if (rows.length === 0) return undefined;
  if (rows.length === 1) return rows[0];
  return one(body, `${name}_mode`) === 'any' ? { any: rows } : { all: rows };
}

function numberOrText(raw: string): number | string | undefined {
  if (raw === '') return undefined;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) && /^-?[\d.,]+$/.test(raw) ? n : raw;
}

function count(raw: string): number | undefined {
  return raw === '' ? undefined : Number.isSafeInteger(Number(raw)) ? Number(raw) : (raw as unknown as number);
}

/** The field as edited in its form; `errors` gets what cannot even be read (a broken JSON condition). */
export function fieldFromForm(
  body: Body,
  old: FieldDefinition,
  earlier: FieldDefinition[],
  errors: Record<string, string[]>,
  invalidCondition: string,
): FieldDefinition {
  const type = ((FIELD_TYPES as readonly string[]).includes(one(body, 'type')) ? one(body, 'type') : old.type) as FieldType;
  const field: FieldDefinition = { key: one(body, 'key'), label: one(body, 'label'), type };
  const hint = one(body, 'hint');
  if (hint) field.hint = hint;
  if (!DISPLAY_ONLY.includes(type) && one(body, 'required') === 'true') field.required = true;
  if (['choice', 'multiple_choice', 'dropdown'].includes(type)) {
    const lines = (one(body, 'options') || (old.options ? '' : 'Option 1\nOption 2'))
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    field.options = lines.map((l) => {
      const m = /^(.+?)\s+=\s+(.+)$/.exec(l);
      return m ? { value: m[1]!, label: m[2]! } : l;
    });
  }
  for (const k of ['min', 'max'] as const) {
    const v = numberOrText(one(body, k));
    if (v !== undefined) field[k] = v;
  }
  for (const k of ['minLength', 'maxLength'] as const) {
    const v = count(one(body, k));
    if (v !== undefined) field[k] = v;
  }
  if (one(body, 'pattern')) field.pattern = one(body, 'pattern');
  if (type === 'file') {
    const accept = one(body, 'accept')
      .split(/[\s,;]+/)
      .filter(Boolean);
    if (accept.length) field.accept = accept;
    const mb = Number(one(body, 'maxBytes').replace(',', '.'));
    if (one(body, 'maxBytes') && Number.isFinite(mb) && mb > 0) field.maxBytes = Math.round(mb * 1024 * 1024);
  }
  if (type === 'repetition') field.fields = old.fields ?? [];
  for (const name of ['visibleIf', 'requiredIf'] as const) {
    if (name === 'requiredIf' && DISPLAY_ONLY.includes(type)) continue;
    const c = conditionFrom(body, name, earlier);
    if (c === 'invalid') errors[name] = [invalidCondition];
    else if (c) field[name] = c;
  }
  return field;
}

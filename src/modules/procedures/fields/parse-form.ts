// An HTML form body (urlencoded or multipart) → the answers object the actions validate, typed as the
// JSON API would send them (numbers, booleans, arrays, repeated blocks as arrays of objects). What cannot
// be read (a letter in a number, an unknown commune) is kept as the text typed, so that validation says
// what is wrong and the form shows it back unchanged.
import type { FieldDefinition } from './definition.ts';
import { DISPLAY_ONLY } from './definition.ts';
import { pathOf } from './names.ts';
import { resolveTerritory } from './territory-lookup.ts';

/** A form body: every control name with its values (repeated names give several). */
export type FormBody = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function all(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => v !== '');
}

/** One control's text → the typed answer; undefined when left empty. */
export function parseValue(field: FieldDefinition, raw: string | string[] | undefined): unknown {
  if (field.type === 'multiple_choice') {
    const list = all(raw);
    return list.length ? list : undefined;
  }
  if (field.type === 'checkbox') return ['true', 'on', '1', 'oui', 'yes'].includes(first(raw).toLowerCase());
  const text = first(raw).trim();
  if (text === '') return undefined;
  switch (field.type) {
    case 'integer': {
      const compact = text.replace(/[\s\u00a0\u202f]/g, '');
      return /^[-+]?\d{1,15}$/.test(compact) ? Number(compact) : text;
    }
    case 'decimal': {
      const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
      return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(compact) && Number.isFinite(Number(compact)) ? Number(compact) : text;
    }
    case 'yes_no':
      if (['true', 'oui', 'yes', '1'].includes(text.toLowerCase())) return true;
      if (['false', 'non', 'no', '0'].includes(text.toLowerCase())) return false;
      return text;
    case 'date': {
      const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
      return fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}` : text;
    }
    case 'datetime': {
      const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T]+(\d{1,2})[:h](\d{2})$/.exec(text);
      return fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}T${fr[4]!.padStart(2, '0')}:${fr[5]}` : text;
    }
    case 'siret':
      return text.replace(/[\s.\u00a0]/g, '');
    case 'iban':
      return text.replace(/\s+/g, '').toUpperCase();
    case 'commune':
    case 'epci':
    case 'departement':
      return resolveTerritory(field.type, text).code ?? text;
    default:
      return text;
  }
}

/** Indices of the blocks posted for a repetition named `prefix` (`prefix[3][x]` → 3), in order. */
function blockIndices(body: FormBody, prefix: string): number[] {
  const found = new Set<number>();
  const start = `${prefix}[`;
  for (const name of Object.keys(body)) {
    if (!name.startsWith(start)) continue;
    const index = Number(pathOf(name.slice(prefix.length))[0]);
    if (Number.isInteger(index) && index >= 0 && index < 1000) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}

function parseScope(fields: FieldDefinition[], body: FormBody, prefix: (key: string) => string, keepEmptyBlocks: boolean): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    if (DISPLAY_ONLY.includes(field.type) || field.type === 'file') continue;
    const name = prefix(field.key);
    if (field.type === 'repetition') {
      const blocks = blockIndices(body, name)
        .map((i) => parseScope(field.fields ?? [], body, (key) => `${name}[${i}][${key}]`, keepEmptyBlocks))
        // A block left entirely empty is no answer (people add one too many), except while the
        // person is still adding and removing blocks, where positions must stay as shown.
        .filter((block) => keepEmptyBlocks || Object.values(block).some((v) => v !== undefined && v !== false));
      if (blocks.length || keepEmptyBlocks) answers[field.key] = blocks;
      continue;
    }
    const value = parseValue(field, body[name]);
    if (value !== undefined) answers[field.key] = value;
  }
  return answers;
}

/** The answers of a posted form, for these fields; other controls (_csrf, email…) are ignored. */
export function answersFromForm(fields: FieldDefinition[], body: FormBody, options: { keepEmptyBlocks?: boolean } = {}): Record<string, unknown> {
  return parseScope(fields, body, (key) => key, options.keepEmptyBlocks ?? false);
}

/** True when the post is an "add another" / "remove" click rather than a save or a submission. */
export function isBlockAction(body: FormBody): boolean {
  return Boolean(first(body._add) || first(body._remove));
}

/** The repetition actions of a form without JavaScript: "add another" (`_add=key`) and "remove" (`_remove=key.2`). */
export function applyBlockActions(fields: FieldDefinition[], answers: Record<string, unknown>, body: FormBody): boolean {
  const add = first(body._add);
  const remove = first(body._remove);
  if (add) {
    const field = fields.find((f) => f.key === add && f.type === 'repetition');
    if (field) {
      const blocks = Array.isArray(answers[add]) ? (answers[add] as unknown[]) : [];
      const min = typeof field.min === 'number' ? Math.max(field.min, 1) : 1;
      while (blocks.length < min) blocks.push({});
      blocks.push({});
      answers[add] = blocks;
    }
    return true;
  }
  if (remove) {
    const [key, index] = pathOf(remove);
    const blocks = Array.isArray(answers[key!]) ? (answers[key!] as unknown[]) : [];
    if (index !== undefined) blocks.splice(Number(index), 1);
    answers[key!] = blocks;
    return true;
  }
  return false;
}

// A dossier's answers checked against its revision's fields: conditions decide what is shown and
// required, hidden answers are dropped, unknown keys ignored, every value normalised. Errors are keyed by
// path (`key`, or `block.0.key` inside a repetition), in the reader's language.
import type { Translate } from '../../../core/i18n/i18n.ts';
import { DISPLAY_ONLY, type FieldDefinition } from './definition.ts';
import { evaluateCondition, type Answers } from './conditions.ts';
import { checkValue, isEmptyAnswer, type FileAnswer } from './values.ts';
import { PatternBudget } from './patterns.ts';

export interface AnswerOptions {
  /** Files of file fields by path, from uploads the server checked. JSON data never supplies files. */
  files?: Record<string, FileAnswer[]>;
  /** A draft: check what is there, do not require anything. */
  partial?: boolean;
  /** Set by validateAnswers: what the patterns of this one filing may still spend (patterns.ts). */
  budget?: PatternBudget;
}

export type AnswersResult = { ok: true; data: Answers } | { ok: false; errors: Record<string, string[]> };

const DEFAULT_MAX_BLOCKS = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(
  fields: FieldDefinition[],
  input: Record<string, unknown>,
  outer: Answers,
  prefix: string,
  t: Translate,
  options: AnswerOptions,
  errors: Record<string, string[]>,
): Answers {
  const out: Answers = {};
  for (const field of fields) {
    if (DISPLAY_ONLY.includes(field.type)) continue;
    const path = `${prefix}${field.key}`;
    const scope = { ...outer, ...out };
    if (field.visibleIf && !evaluateCondition(field.visibleIf, scope)) continue;
    const required = !options.partial && (field.required === true || (!!field.requiredIf && evaluateCondition(field.requiredIf, scope)));
    const raw = field.type === 'file' ? options.files?.[path] : Object.hasOwn(input, field.key) ? input[field.key] : undefined;
    if (field.type === 'repetition') {
      const blocks = repetition(field, raw, scope, path, t, options, errors, required);
      if (blocks) out[field.key] = blocks;
      continue;
    }
    if (isEmptyAnswer(raw)) {
      if (required) (errors[path] ??= []).push(t('procedures.field.required'));
      continue;
    }
    const checked = checkValue(field, raw, t, options.budget);
    if ('errors' in checked) (errors[path] ??= []).push(...checked.errors);
    else if (field.type === 'checkbox' && checked.value === false && required) (errors[path] ??= []).push(t('procedures.field.must_check'));
    else out[field.key] = checked.value;
  }
  return out;
}

function repetition(
  field: FieldDefinition,
  raw: unknown,
  scope: Answers,
  path: string,
  t: Translate,
  options: AnswerOptions,
  errors: Record<string, string[]>,
  required: boolean,
): Answers[] | null {
  if (isEmptyAnswer(raw)) {
    if (required) (errors[path] ??= []).push(t('procedures.field.required'));
    return null;
  }
  const max = typeof field.max === 'number' ? field.max : DEFAULT_MAX_BLOCKS;
  if (!Array.isArray(raw) || raw.some((b) => !isRecord(b))) {
    (errors[path] ??= []).push(t('procedures.field.blocks'));
    return null;
  }
  if (raw.length > max) {
    (errors[path] ??= []).push(t('procedures.field.blocks_max', { max }));
    return null;
  }
  if (!options.partial && typeof field.min === 'number' && raw.length < field.min)
    (errors[path] ??= []).push(t('procedures.field.blocks_min', { min: field.min }));
  return (raw as Array<Record<string, unknown>>).map((block, i) => walk(field.fields ?? [], block, scope, `${path}.${i}.`, t, options, errors));
}

/** Checks and normalises `data` against `fields`. Never throws on any JSON value. */
export function validateAnswers(fields: FieldDefinition[], data: unknown, t: Translate, options: AnswerOptions = {}): AnswersResult {
  if (!isRecord(data)) return { ok: false, errors: { _: [t('procedures.field.not_object')] } };
  const errors: Record<string, string[]> = {};
  const out = walk(fields, data, {}, '', t, { ...options, budget: new PatternBudget() }, errors);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: out };
}

/** Text of the answers for full-text search: values of text-like answers, option labels excluded. */
export function searchableText(data: Answers, limit = 100_000): string {
  const parts: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v) && !('sha256' in v)) Object.values(v).forEach(visit);
    else if (isRecord(v) && typeof v.filename === 'string') parts.push(v.filename);
  };
  visit(data);
  return parts.join(' ').slice(0, limit);
}

// The roadmap's API bodies (TypeBox: the shapes the API validates and OpenAPI shows) and the checks of a
// project, an indicator and a value as a form or a body gives them: each wrong field gets its own message
// in the reader's language, and nothing is stored until every field is right. Ranges are checked here, not
// in the TypeBox schemas, so that "budget out of range" reads as such rather than as a schema error.
import { Type, type Static } from '@sinclair/typebox';
import type { Translate } from '../../core/i18n/i18n.ts';
import { LINK_KINDS, MAX_EUROS, STAGES, THEMES, type LinkKind, type ProjectFields, type Stage, type Theme } from './projects.repository.ts';

export const UNITS = ['count', 'percent', 'euro', 'score', 'megabyte'] as const;
export type Unit = (typeof UNITS)[number];
export const SOURCES = ['manual', 'dossiers_online', 'datasets_published', 'dataset_quality', 'archive_volume', 'debate_participation', 'ecoindex'] as const;
export type Source = (typeof SOURCES)[number];
/** The unit of each measured source (a measured indicator cannot be given another). */
export const SOURCE_UNITS: Record<Exclude<Source, 'manual'>, Unit> = {
  dossiers_online: 'count',
  datasets_published: 'count',
  dataset_quality: 'percent',
  archive_volume: 'megabyte',
  debate_participation: 'count',
  ecoindex: 'score',
};
export const MAX_VALUE = 1e12;
const MAX_PARTNERS = 50;
const MAX_LINKS = 30;

const Euros = Type.Union([Type.Integer(), Type.String({ maxLength: 20 })], { description: 'euros, 0 to 1,000,000,000' });
export const ProjectBody = Type.Object(
  {
    title: Type.String({ maxLength: 400 }),
    theme: Type.String({ maxLength: 40, description: THEMES.join(' | ') }),
    description: Type.Optional(Type.String({ maxLength: 40000 })),
    stage: Type.Optional(Type.String({ maxLength: 20, description: STAGES.join(' | ') })),
    start_on: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    end_on: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    budget_investment: Type.Optional(Euros),
    budget_operation: Type.Optional(Euros),
    published: Type.Optional(Type.Boolean()),
    partners: Type.Optional(
      Type.Array(Type.Object({ tenant: Type.String({ maxLength: 63 }), contribution: Type.Optional(Type.Union([Euros, Type.Null()])) }), { maxItems: 200 }),
    ),
    links: Type.Optional(Type.Array(Type.Object({ kind: Type.String({ maxLength: 20 }), ref: Type.String({ maxLength: 200 }) }), { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type ProjectBodyT = Static<typeof ProjectBody>;

export const IndicatorBody = Type.Object(
  {
    name: Type.String({ maxLength: 400 }),
    unit: Type.String({ maxLength: 20, description: UNITS.join(' | ') }),
    target: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 30 }), Type.Null()])),
    target_on: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    source: Type.Optional(Type.String({ maxLength: 40, description: SOURCES.join(' | ') })),
    project: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type IndicatorBodyT = Static<typeof IndicatorBody>;

export const ValueBody = Type.Object(
  {
    measured_on: Type.String({ maxLength: 20 }),
    value: Type.Union([Type.Number(), Type.String({ maxLength: 30 })]),
    unit: Type.String({ maxLength: 20, description: 'the indicator’s unit' }),
  },
  { additionalProperties: false },
);
export type ValueBodyT = Static<typeof ValueBody>;

type Errors = Record<string, string[]>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Errors };

function collector(t: Translate) {
  const errors: Errors = {};
  const err = (field: string, key: string, params?: Record<string, string | number>) => (errors[field] ??= []).push(t(key, params));
  return { errors, err };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function validDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** A number from a form ("1 200 000", "12,5") or a body (12.5); null when absent, NaN when unreadable. */
export function readNumber(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  const s = String(v)
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(',', '.');
  if (s === '') return null;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

function optionalDate(v: unknown): string | null {
  const s = typeof v === 'string' ? v.trim() : '';
  return s === '' ? null : s;
}

export interface ProjectInput {
  fields: ProjectFields;
  /** Partner collectivités by slug, resolved by the action. */
  partners: Array<{ tenant: string; contribution: number | null }>;
  links: Array<{ kind: LinkKind; ref: string }>;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function checkProject(input: Partial<ProjectBodyT>, t: Translate): Checked<ProjectInput> {
  const { errors, err } = collector(t);
  const title = (input.title ?? '').trim();
  if (!title) err('title', 'roadmap.error.title_required');
  else if (title.length > 200) err('title', 'roadmap.error.too_long', { max: 200 });
  const description = (input.description ?? '').trim();
  if (description.length > 20000) err('description', 'roadmap.error.too_long', { max: 20000 });
  const theme = (input.theme ?? '').trim();
  if (!(THEMES as readonly string[]).includes(theme)) err('theme', 'roadmap.error.theme');
  const stage = (input.stage ?? '').trim() || 'idea';
  if (!(STAGES as readonly string[]).includes(stage)) err('stage', 'roadmap.error.stage');
  const start = optionalDate(input.start_on);
  const end = optionalDate(input.end_on);
  if (start && !validDate(start)) err('start_on', 'roadmap.error.date');
  if (end && !validDate(end)) err('end_on', 'roadmap.error.date');
  if (start && end && validDate(start) && validDate(end) && end < start) err('end_on', 'roadmap.error.date_order');
  const euros = (field: string, v: unknown): number => {
    const n = readNumber(v);
    if (n === null) return 0;
    if (!Number.isInteger(n) || n < 0 || n > MAX_EUROS) err(field, 'roadmap.error.euros');
    return n;
  };
  const budgetInvestment = euros('budget_investment', input.budget_investment);
  const budgetOperation = euros('budget_operation', input.budget_operation);
  const partners: ProjectInput['partners'] = [];
  if ((input.partners ?? []).length > MAX_PARTNERS) err('partners', 'roadmap.error.too_many', { max: MAX_PARTNERS });
  for (const p of (input.partners ?? []).slice(0, MAX_PARTNERS)) {
    const slug = p.tenant.trim();
    if (!SLUG.test(slug)) err('partners', 'roadmap.error.partner_unknown', { slug: slug.slice(0, 63) });
    const contribution = euros('partners', p.contribution);
    if (!partners.some((x) => x.tenant === slug)) partners.push({ tenant: slug, contribution: readNumber(p.contribution) === null ? null : contribution });
  }
  const links: ProjectInput['links'] = [];
  if ((input.links ?? []).length > MAX_LINKS) err('links', 'roadmap.error.too_many', { max: MAX_LINKS });
  for (const l of (input.links ?? []).slice(0, MAX_LINKS)) {
    const ref = l.ref.trim();
    if (!(LINK_KINDS as readonly string[]).includes(l.kind) || !SLUG.test(ref) || ref.length > 80)
      err('links', 'roadmap.error.link', { ref: ref.slice(0, 80) });
    else links.push({ kind: l.kind as LinkKind, ref });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      fields: {
        title,
        theme: theme as Theme,
        description,
        stage: stage as Stage,
        start_on: start,
        end_on: end,
        budget_investment: budgetInvestment,
        budget_operation: budgetOperation,
        published: input.published === true,
      },
      partners,
      links,
    },
  };
}

export interface IndicatorInput {
  name: string;
  unit: Unit;
  target: number | null;
  target_on: string | null;
  source: Source;
  project: string | null;
}

export function checkIndicator(input: Partial<IndicatorBodyT>, t: Translate): Checked<IndicatorInput> {
  const { errors, err } = collector(t);
  const name = (input.name ?? '').trim();
  if (!name) err('name', 'roadmap.error.name_required');
  else if (name.length > 200) err('name', 'roadmap.error.too_long', { max: 200 });
  const source = (input.source ?? '').trim() || 'manual';
  if (!(SOURCES as readonly string[]).includes(source)) err('source', 'roadmap.error.source');
  const unit = (input.unit ?? '').trim();
  if (!(UNITS as readonly string[]).includes(unit)) err('unit', 'roadmap.error.unit');
  else if (source !== 'manual' && source in SOURCE_UNITS && SOURCE_UNITS[source as keyof typeof SOURCE_UNITS] !== unit)
    err('unit', 'roadmap.error.source_unit', { unit: t(`roadmap.unit.${SOURCE_UNITS[source as keyof typeof SOURCE_UNITS]}`) });
  const target = readNumber(input.target);
  if (target !== null && !valueInRange(target, unit)) err('target', 'roadmap.error.value_range', { max: maxOf(unit) });
  const targetOn = optionalDate(input.target_on);
  if (targetOn && !validDate(targetOn)) err('target_on', 'roadmap.error.date');
  const project = typeof input.project === 'string' && input.project.trim() ? input.project.trim() : null;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { name, unit: unit as Unit, target, target_on: targetOn, source: source as Source, project } };
}

function maxOf(unit: string): number {
  return unit === 'percent' || unit === 'score' ? 100 : MAX_VALUE;
}

function valueInRange(n: number, unit: string): boolean {
  return Number.isFinite(n) && n >= 0 && n <= maxOf(unit) && (unit !== 'count' || Number.isInteger(n));
}

/** A value of an indicator whose unit is `unit`: same unit, a date, a number within the unit's range. */
export function checkValue(input: Partial<ValueBodyT>, unit: Unit, t: Translate): Checked<{ measured_on: string; value: number }> {
  const { errors, err } = collector(t);
  const on = (input.measured_on ?? '').trim();
  if (!validDate(on)) err('measured_on', 'roadmap.error.date');
  const given = (input.unit ?? '').trim();
  if (given !== unit) err('unit', 'roadmap.error.value_unit', { unit: t(`roadmap.unit.${unit}`) });
  const n = readNumber(input.value);
  if (n === null || Number.isNaN(n)) err('value', 'roadmap.error.value_number');
  else if (!valueInRange(n, unit)) err('value', unit === 'count' ? 'roadmap.error.value_count' : 'roadmap.error.value_range', { max: maxOf(unit) });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { measured_on: on, value: n! } };
}

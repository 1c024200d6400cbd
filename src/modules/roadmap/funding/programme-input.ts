// Reading a funding programme from a form or an API body: every field checked, every error worded per field
// in the reader's language, nothing kept when one is wrong (the database checks the same rules again).
import type { Translate } from '../../../core/i18n/i18n.ts';
import { AUDIENCES, isOneOf, NATURES, RECURRENCES, THEMES, type Audience, type Nature, type Recurrence, type Theme } from './vocabulary.ts';
import { knownTerritoryCode } from './territory.ts';

/**
 * The fields of a programme, in the order of the table's columns: the one list the reader, the repository's
 * SQL (select, insert, update), the host's form and the API's body are made from.
 */
export const PROGRAMME_FIELDS = [
  'name',
  'funder',
  'nature',
  'description',
  'audiences',
  'territory',
  'themes',
  'population_min',
  'population_max',
  'max_rate',
  'max_amount',
  'opens_on',
  'closes_on',
  'recurrence',
  'url',
] as const;
export type ProgrammeField = (typeof PROGRAMME_FIELDS)[number];

/** As typed in a form (strings) or sent as JSON (numbers, arrays, null). */
export type ProgrammeInput = { [K in ProgrammeField]?: unknown };

/** The fields once read; the same names as PROGRAMME_FIELDS (checked where they are built, below). */
export interface ProgrammeFields {
  name: string;
  funder: string;
  nature: Nature;
  description: string;
  audiences: Audience[];
  territory: string[];
  themes: Theme[];
  population_min: number | null;
  population_max: number | null;
  max_rate: number | null;
  max_amount: number | null;
  opens_on: string | null;
  closes_on: string | null;
  recurrence: Recurrence;
  url: string;
}

export type ReadResult = { ok: true; fields: ProgrammeFields } | { ok: false; errors: Record<string, string[]> };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
  return [
    ...new Set(
      items
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function readProgrammeInput(input: ProgrammeInput, t: Translate): ReadResult {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, key: string, params?: Record<string, string | number>) => (errors[field] ??= []).push(t(`roadmap.funding.error.${key}`, params));

  const name = text(input.name);
  if (!name) fail('name', 'name_required');
  else if (name.length > 200) fail('name', 'too_long', { max: 200 });
  const funder = text(input.funder);
  if (!funder) fail('funder', 'funder_required');
  else if (funder.length > 200) fail('funder', 'too_long', { max: 200 });
  const nature = text(input.nature);
  if (!isOneOf(NATURES, nature)) fail('nature', 'nature_invalid');
  const description = text(input.description);
  if (description.length > 20000) fail('description', 'too_long', { max: 20000 });

  const audiences = list(input.audiences);
  if (audiences.length === 0) fail('audiences', 'audiences_required');
  else if (!audiences.every((a) => isOneOf(AUDIENCES, a))) fail('audiences', 'audience_invalid');
  const territory = list(input.territory).map((c) => c.toUpperCase());
  if (territory.length === 0) fail('territory', 'territory_required');
  else {
    const unknown = territory.filter((c) => !knownTerritoryCode(c));
    if (unknown.length) fail('territory', 'territory_unknown', { codes: unknown.slice(0, 5).join(', ') });
    else if (territory.length > 500) fail('territory', 'territory_too_many', { max: 500 });
  }
  const themes = list(input.themes);
  if (themes.length === 0) fail('themes', 'themes_required');
  else if (!themes.every((th) => isOneOf(THEMES, th))) fail('themes', 'theme_invalid');

  const integer = (field: 'population_min' | 'population_max' | 'max_rate' | 'max_amount', max: number): number | null => {
    const raw = input[field];
    if (raw === null || raw === undefined || text(raw) === '') return null;
    const value =
      typeof raw === 'number' ? raw : /^-?\d+$/.test(text(raw).replace(/[\s\u202f\u00a0]/g, '')) ? Number(text(raw).replace(/[\s\u202f\u00a0]/g, '')) : NaN;
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      fail(field, field === 'max_rate' ? 'rate_range' : 'number_range', { max });
      return null;
    }
    return value;
  };
  const population_min = integer('population_min', 100_000_000);
  const population_max = integer('population_max', 100_000_000);
  if (population_min !== null && population_max !== null && population_max < population_min) fail('population_max', 'population_order');
  const max_rate = integer('max_rate', 100);
  const max_amount = integer('max_amount', 100_000_000_000);

  const date = (field: 'opens_on' | 'closes_on'): string | null => {
    const value = text(input[field]);
    if (!value) return null;
    if (!validDate(value)) {
      fail(field, 'date_invalid');
      return null;
    }
    return value;
  };
  const opens_on = date('opens_on');
  const closes_on = date('closes_on');
  if (opens_on && closes_on && closes_on < opens_on) fail('closes_on', 'dates_order');
  const recurrence = text(input.recurrence);
  if (!isOneOf(RECURRENCES, recurrence)) fail('recurrence', 'recurrence_invalid');
  const url = text(input.url);
  if (url && (!/^https?:\/\/[^\s]+$/.test(url) || url.length > 500)) fail('url', 'url_invalid');

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      name,
      funder,
      nature: nature as Nature,
      description,
      audiences: audiences as Audience[],
      territory,
      themes: themes as Theme[],
      population_min,
      population_max,
      max_rate,
      max_amount,
      opens_on,
      closes_on,
      recurrence: recurrence as Recurrence,
      url,
    } satisfies Record<ProgrammeField, unknown>,
  };
}

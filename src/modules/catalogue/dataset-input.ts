// A dataset's metadata as a form or a JSON body gives it: read, checked, turned into the columns to store,
// or the errors by field in the reader's language.
import type { Translate } from '../../core/i18n/i18n.ts';
import { DEFAULT_LICENCE, isCogCode, isFrequency, isLicence, isTheme, splitList } from './vocabularies.ts';
import type { DatasetFields } from './catalogue.repository.ts';
import { checkCustomSchema, isBundledSchema } from './dataset-schema.ts';

export interface DatasetInput {
  title?: string;
  description?: string;
  keywords?: string;
  themes?: string[];
  licence?: string;
  frequency?: string;
  spatial?: string;
  temporal_start?: string;
  temporal_end?: string;
  publisher?: string;
  contact_point?: string;
  personal_data?: string;
  /** A bundled schema name, `custom` (then `custom_schema` holds its JSON), or empty for none. */
  schema?: string;
  custom_schema?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

export type ReadDataset = { ok: true; fields: DatasetFields } | { ok: false; errors: Record<string, string[]> };

/** `keep` is the stored custom schema, kept when the form says `custom` and gives no new text. */
export function readDatasetInput(input: DatasetInput, t: Translate, keep: unknown = null): ReadDataset {
  const errors: Record<string, string[]> = {};
  const err = (field: string, key: string, params?: Record<string, string | number>) => (errors[field] ??= []).push(t(key, params));
  const title = (input.title ?? '').trim();
  if (!title) err('title', 'catalogue.error.title_required');
  else if (title.length > 200) err('title', 'catalogue.error.too_long', { max: 200 });
  const description = (input.description ?? '').trim();
  if (description.length > 20000) err('description', 'catalogue.error.too_long', { max: 20000 });
  const keywords = splitList(input.keywords ?? '').map((k) => k.toLowerCase());
  if (keywords.length > 30 || keywords.some((k) => k.length > 60)) err('keywords', 'catalogue.error.keywords');
  const themes = [...new Set(input.themes ?? [])].filter(Boolean);
  if (themes.some((x) => !isTheme(x))) err('themes', 'catalogue.error.theme');
  const licence = (input.licence ?? '').trim() || DEFAULT_LICENCE;
  if (!isLicence(licence)) err('licence', 'catalogue.error.licence');
  const frequency = (input.frequency ?? '').trim() || null;
  if (frequency && !isFrequency(frequency)) err('frequency', 'catalogue.error.frequency');
  const spatial = splitList(input.spatial ?? '').map((c) => c.toUpperCase());
  const badCog = spatial.filter((c) => !isCogCode(c));
  if (badCog.length || spatial.length > 100) err('spatial', 'catalogue.error.spatial', { codes: badCog.slice(0, 5).join(', ') });
  const start = (input.temporal_start ?? '').trim() || null;
  const end = (input.temporal_end ?? '').trim() || null;
  if (start && !validDate(start)) err('temporal_start', 'catalogue.error.date');
  if (end && !validDate(end)) err('temporal_end', 'catalogue.error.date');
  if (start && end && validDate(start) && validDate(end) && end < start) err('temporal_end', 'catalogue.error.date_order');
  const publisher = (input.publisher ?? '').trim();
  const contact = (input.contact_point ?? '').trim();
  if (publisher.length > 200) err('publisher', 'catalogue.error.too_long', { max: 200 });
  if (contact.length > 200) err('contact_point', 'catalogue.error.too_long', { max: 200 });
  const personal = input.personal_data === 'true' || input.personal_data === 'on';
  const schemaChoice = (input.schema ?? '').trim();
  let schemaName: string | null = null;
  let custom: unknown = null;
  if (schemaChoice === 'custom') {
    const text = (input.custom_schema ?? '').trim();
    if (text) {
      const checked = checkCustomSchema(text, t);
      if (checked.ok) custom = checked.descriptor;
      else (errors.custom_schema ??= []).push(checked.message);
    } else if (keep) custom = keep;
    else err('custom_schema', 'catalogue.error.custom_schema_required');
  } else if (schemaChoice) {
    if (isBundledSchema(schemaChoice)) schemaName = schemaChoice;
    else err('schema', 'catalogue.error.unknown_schema', { name: schemaChoice.slice(0, 80) });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      title,
      description,
      keywords,
      themes,
      licence,
      frequency,
      spatial,
      temporal_start: start,
      temporal_end: end,
      publisher,
      contact_point: contact,
      personal_data: personal,
      schema_name: schemaName,
      custom_schema: custom,
    },
  };
}

/** A slug from a title: lower case ASCII words joined by dashes. */
export function slugify(title: string): string {
  const s = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'jeu-de-donnees';
}

// The debate kit file: the reusable setup of a public debate (issue 15), as a versioned JSON document
// that collectivités share and copy. A file that is not a kit is refused with its reasons, keyed by
// path and localised; nothing is stored from a refused file. Texts are plain text (pages escape them),
// and markup is refused outright so a shared kit never carries a script to another collectivité.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Translate } from '../../../core/i18n/i18n.ts';

export const KIT_FORMAT = 'bastide-debate-kit';
export const KIT_FORMAT_VERSION = 1;
/** A kit is text: 512 KB is twenty times the 5G kit. Bigger files are refused before they are parsed. */
export const MAX_KIT_BYTES = 512 * 1024;
/** A debate longer than two years is a mistake in the file, not a debate. */
export const MAX_TOTAL_DAYS = 730;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Key = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' });

export const PHASE_KINDS = ['information', 'contributions', 'synthesis', 'answers'] as const;
export const MEETING_FORMATS = ['in_person', 'online', 'hybrid'] as const;
export const DATASET_LAYOUTS = ['anfr-sup-support'] as const;

const Phase = Type.Object(
  {
    kind: Type.Union(PHASE_KINDS.map((k) => Type.Literal(k))),
    title: Text(200),
    /** Easy-to-read summary of the phase (FALC spirit): what happens, what one can do. */
    summary: Text(1000),
    durationDays: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  { additionalProperties: false },
);

const DocumentRef = Type.Object(
  { title: Text(300), url: Type.String({ maxLength: 2000, pattern: '^https://' }), publisher: Type.Optional(Text(200)) },
  { additionalProperties: false },
);

const Faq = Type.Object({ question: Text(500), answer: Text(5000) }, { additionalProperties: false });

const Question = Type.Object({ addressee: Text(200), text: Text(1000) }, { additionalProperties: false });

const MeetingFormat = Type.Object(
  {
    title: Text(200),
    format: Type.Union(MEETING_FORMATS.map((f) => Type.Literal(f))),
    description: Text(3000),
    /** Days after the debate's start, and length in minutes. */
    day: Type.Integer({ minimum: 0, maximum: MAX_TOTAL_DAYS }),
    startTime: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    durationMinutes: Type.Integer({ minimum: 15, maximum: 720 }),
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

const DatasetSlot = Type.Object(
  { key: Key, title: Text(300), description: Text(2000), layout: Type.Union(DATASET_LAYOUTS.map((l) => Type.Literal(l))) },
  { additionalProperties: false },
);

export const KitDocument = Type.Object(
  {
    format: Type.Literal(KIT_FORMAT),
    formatVersion: Type.Integer(),
    title: Text(200),
    summary: Text(1000),
    presentation: Text(20_000),
    phases: Type.Array(Phase, { minItems: 1, maxItems: 12 }),
    documents: Type.Array(DocumentRef, { maxItems: 100 }),
    faq: Type.Array(Faq, { maxItems: 100 }),
    questions: Type.Array(Question, { maxItems: 100 }),
    meetings: Type.Array(MeetingFormat, { maxItems: 30 }),
    charter: Text(10_000),
    datasets: Type.Optional(Type.Array(DatasetSlot, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type Kit = Static<typeof KitDocument>;
export type KitPhase = Kit['phases'][number];
export type KitMeeting = Kit['meetings'][number];

export type KitResult = { ok: true; kit: Kit } | { ok: false; errors: string[] };

// Markup in a text: a tag opening (<a, </p, <!--, <?xml) or an entity. Plain "<" in "< 6 V/m" passes.
const MARKUP = /<\s*[a-z!/?]|&[a-z#0-9]+;/i;

/** Every text of a kit with its path, to check them all the same way. */
function* textsOf(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* textsOf(v, `${path}.${i}`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* textsOf(v, path ? `${path}.${k}` : k);
}

/** Checks a kit already parsed (the API's JSON body, a stored version). */
export function checkKit(raw: unknown, t: Translate): KitResult {
  const errors: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, errors: [t('debates.kits.format.not_object')] };
  const doc = raw as Record<string, unknown>;
  if (doc.format !== KIT_FORMAT) return { ok: false, errors: [t('debates.kits.format.not_a_kit', { format: KIT_FORMAT })] };
  if (doc.formatVersion !== KIT_FORMAT_VERSION) {
    return { ok: false, errors: [t('debates.kits.format.version', { found: String(doc.formatVersion).slice(0, 20), supported: KIT_FORMAT_VERSION })] };
  }
  for (const error of Value.Errors(KitDocument, raw)) {
    const path = error.path.replace(/^\//, '').replaceAll('/', '.') || '/';
    errors.push(t('debates.kits.format.field', { path, message: error.message }));
    if (errors.length >= 20) break;
  }
  if (errors.length) return { ok: false, errors };
  const kit = raw as Kit;
  for (const [path, text] of textsOf(kit, '')) {
    if (!text.isWellFormed() || text.includes('\u0000')) errors.push(t('debates.kits.format.bad_text', { path }));
    else if (path !== 'format' && !path.endsWith('.url') && MARKUP.test(text)) errors.push(t('debates.kits.format.markup', { path }));
  }
  const total = totalDays(kit);
  if (total > MAX_TOTAL_DAYS) errors.push(t('debates.kits.format.too_long', { days: total, max: MAX_TOTAL_DAYS }));
  for (const [i, m] of kit.meetings.entries()) {
    if (m.day >= total) errors.push(t('debates.kits.format.meeting_after_end', { path: `meetings.${i}.day`, days: total }));
  }
  const keys = new Set<string>();
  for (const [i, d] of (kit.datasets ?? []).entries()) {
    if (keys.has(d.key)) errors.push(t('debates.kits.format.duplicate_key', { path: `datasets.${i}.key` }));
    keys.add(d.key);
  }
  return errors.length ? { ok: false, errors } : { ok: true, kit };
}

/** Parses and checks a kit file (bytes or text as uploaded): size first, then JSON, then the document. */
export function parseKit(input: string | Uint8Array, t: Translate): KitResult {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (bytes > MAX_KIT_BYTES) return { ok: false, errors: [t('debates.kits.format.too_big', { max: MAX_KIT_BYTES / 1024 })] };
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return { ok: false, errors: [t('debates.kits.format.not_utf8')] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, errors: [t('debates.kits.format.not_json', { detail: (e as Error).message.slice(0, 200) })] };
  }
  return checkKit(raw, t);
}

export function totalDays(kit: Pick<Kit, 'phases'>): number {
  return kit.phases.reduce((sum, p) => sum + p.durationDays, 0);
}

/** The dated plan of a kit copied into a debate starting on `start` (a yyyy-mm-dd day, Europe/Paris calendar). */
export function schedulePhases(kit: Pick<Kit, 'phases'>, start: string): Array<KitPhase & { startsOn: string; endsOn: string }> {
  let day = 0;
  return kit.phases.map((p) => {
    const startsOn = addDays(start, day);
    day += p.durationDays;
    return { ...p, startsOn, endsOn: addDays(start, day - 1) };
  });
}

/** yyyy-mm-dd plus n calendar days (computed in UTC, so no daylight-saving hour can shift the day). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// Which funding programmes a project may claim, ranked, each with the reasons it matches or not. Pure: no
// database, no clock (the caller passes today). Pages call it on the candidates of the SQL prefilter
// (programmes.repository.ts candidateProgrammes: territory, audience, theme, not closed), which only drops
// programmes that fail those criteria here anyway; scored alone, it words every criterion that fails.
import type { Translate } from '../../../core/i18n/i18n.ts';
import type { ProgrammeRow } from './programmes.repository.ts';

export interface MatchProject {
  theme: string;
  /** Kind of the collectivité carrying it (tenants.kind). */
  kind: string;
  population: number | null;
  /** Its territory codes (territory.ts placeOf). */
  codes: string[];
  /** Investment plus operation, whole euros. */
  budget: number;
}

export type Criterion = 'audience' | 'territory' | 'theme' | 'dates' | 'population' | 'amount';

export interface Reason {
  criterion: Criterion;
  ok: boolean;
  /** Message key under roadmap.funding.reason. */
  key: string;
  params?: Record<string, string | number>;
}

export type MatchProgramme = Pick<
  ProgrammeRow,
  | 'id'
  | 'slug'
  | 'name'
  | 'funder'
  | 'audiences'
  | 'territory'
  | 'themes'
  | 'population_min'
  | 'population_max'
  | 'max_rate'
  | 'max_amount'
  | 'opens_on'
  | 'closes_on'
  | 'recurrence'
>;

export interface Match<P extends MatchProgramme = MatchProgramme> {
  programme: P;
  eligible: boolean;
  /** What the programme could bring at most, in euros (rate × budget, capped by the maximum amount); null when unknown. */
  expected: number | null;
  reasons: Reason[];
}

/** Days before the closing date when a programme is said to close soon. */
export const CLOSING_SOON_DAYS = 30;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function matchProgramme<P extends MatchProgramme>(project: MatchProject, programme: P, today: string): Match<P> {
  const reasons: Reason[] = [];
  const audienceOk = (programme.audiences as readonly string[]).includes(project.kind);
  reasons.push({ criterion: 'audience', ok: audienceOk, key: audienceOk ? 'audience_ok' : 'audience_no', params: { kind: project.kind } });

  const codes = new Set(project.codes);
  const territoryOk = programme.territory.some((c) => codes.has(c));
  reasons.push({
    criterion: 'territory',
    ok: territoryOk,
    key: territoryOk ? (programme.territory.includes('FR') ? 'territory_national' : 'territory_ok') : 'territory_no',
  });

  const themeOk = (programme.themes as readonly string[]).includes(project.theme);
  reasons.push({ criterion: 'theme', ok: themeOk, key: themeOk ? 'theme_ok' : 'theme_no', params: { theme: project.theme } });

  if (programme.closes_on && programme.closes_on < today) reasons.push({ criterion: 'dates', ok: false, key: 'closed', params: { date: programme.closes_on } });
  else if (programme.opens_on && programme.opens_on > today)
    reasons.push({ criterion: 'dates', ok: true, key: 'opens_later', params: { date: programme.opens_on } });
  else if (programme.closes_on && programme.closes_on <= addDays(today, CLOSING_SOON_DAYS)) {
    reasons.push({ criterion: 'dates', ok: true, key: 'closing_soon', params: { date: programme.closes_on } });
  } else if (programme.closes_on) reasons.push({ criterion: 'dates', ok: true, key: 'open_until', params: { date: programme.closes_on } });
  else reasons.push({ criterion: 'dates', ok: true, key: programme.recurrence === 'annual' ? 'annual' : 'permanent' });

  const { population_min: min, population_max: max } = programme;
  if (min === null && max === null) reasons.push({ criterion: 'population', ok: true, key: 'population_any' });
  else if (project.population === null) reasons.push({ criterion: 'population', ok: true, key: 'population_unknown' });
  else if ((min !== null && project.population < min) || (max !== null && project.population > max)) {
    reasons.push({ criterion: 'population', ok: false, key: 'population_no', params: { population: project.population, min: min ?? 0, max: max ?? '∞' } });
  } else reasons.push({ criterion: 'population', ok: true, key: 'population_ok', params: { population: project.population } });

  let expected: number | null = null;
  if (project.budget > 0 && programme.max_rate !== null) {
    const byRate = Math.floor((project.budget * programme.max_rate) / 100);
    expected = programme.max_amount !== null ? Math.min(byRate, programme.max_amount) : byRate;
    const capped = programme.max_amount !== null && programme.max_amount < byRate;
    reasons.push({
      criterion: 'amount',
      ok: true,
      key: capped ? 'amount_capped' : 'amount_rate',
      params: { amount: expected, rate: programme.max_rate, budget: project.budget },
    });
  } else if (programme.max_amount !== null) {
    expected = project.budget > 0 ? Math.min(project.budget, programme.max_amount) : programme.max_amount;
    reasons.push({ criterion: 'amount', ok: true, key: 'amount_max', params: { amount: programme.max_amount } });
  } else reasons.push({ criterion: 'amount', ok: true, key: 'amount_unknown' });

  return { programme, eligible: reasons.every((r) => r.ok), expected, reasons };
}

/**
 * Every programme scored and ranked: the eligible first (the most it could bring, then the soonest closing),
 * then the others by how few criteria they miss.
 */
export function rankProgrammes<P extends MatchProgramme>(project: MatchProject, programmes: readonly P[], today: string): Match<P>[] {
  const matches = programmes.map((p) => matchProgramme(project, p, today));
  const misses = (m: Match<P>) => m.reasons.filter((r) => !r.ok).length;
  return matches.sort(
    (a, b) =>
      Number(b.eligible) - Number(a.eligible) ||
      misses(a) - misses(b) ||
      (b.expected ?? -1) - (a.expected ?? -1) ||
      (a.programme.closes_on ?? '9999').localeCompare(b.programme.closes_on ?? '9999') ||
      a.programme.name.localeCompare(b.programme.name),
  );
}

/** A reason in the reader's language. */
export function reasonText(t: Translate, reason: Reason, formatEuros: (n: number) => string): string {
  const params: Record<string, string | number> = { ...reason.params };
  if (typeof params.kind === 'string') params.kind = t(`roadmap.funding.audience.${params.kind}`);
  if (typeof params.theme === 'string') params.theme = t(`roadmap.funding.theme.${params.theme}`);
  for (const k of ['amount', 'budget'] as const) if (typeof params[k] === 'number') params[k] = formatEuros(params[k]);
  for (const k of ['population', 'min', 'max'] as const) if (typeof params[k] === 'number') params[k] = params[k].toLocaleString(t('roadmap.funding.locale'));
  if (typeof params.date === 'string')
    params.date = new Intl.DateTimeFormat(t('roadmap.funding.locale'), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${params.date}T00:00:00Z`));
  return t(`roadmap.funding.reason.${reason.key}`, params);
}

// Which phase a debate is in: pure rules on dates, tested without a database. Days are the collectivité's
// (Europe/Paris for every French collectivité but the overseas ones, which an installation sets with TZ).
import type { PhaseRow } from './debates.repository.ts';

/** The debates' time zone: the installation's BASTIDE_DEBATES_TIME_ZONE, Europe/Paris by default. */
export function debatesTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  return env.BASTIDE_DEBATES_TIME_ZONE || 'Europe/Paris';
}

// One formatter per time zone, built on first use: building one costs about a hundred times what formatting
// with it does (half a millisecond on a loaded machine, paid by every post and every debate page before).
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today as YYYY-MM-DD in the debates' time zone. */
export function today(now = new Date(), timeZone = debatesTimeZone()): string {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(now);
}

/** The phase whose days include `day` (phases never overlap), or null between or outside them. */
export function currentPhase<P extends Pick<PhaseRow, 'starts_on' | 'ends_on'>>(phases: P[], day = today()): P | null {
  return phases.find((p) => p.starts_on <= day && day <= p.ends_on) ?? null;
}

/** A real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

// A local day and time in the debates' time zone (Europe/Paris by default) as an instant, and back: a kit
// says "day 21 at 18:30", a meeting is stored as a timestamp, the iCal feed is written in UTC.
import { debatesTimeZone } from '../phases.ts';

function offsetMinutes(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!);
  return Math.round((local - at.getTime()) / 60_000);
}

/** The instant of `day` (YYYY-MM-DD) at `time` (HH:MM) in the time zone. */
export function localToInstant(day: string, time: string, timeZone = debatesTimeZone()): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y!, m! - 1, d!, hh!, mm!);
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  // Once more with the offset at the first answer (the day the clocks change).
  return new Date(guess - offsetMinutes(new Date(first), timeZone) * 60_000);
}

/** The local day and time of an instant. */
export function instantToLocal(at: Date, timeZone = debatesTimeZone()): { day: string; time: string } {
  const shifted = new Date(at.getTime() + offsetMinutes(at, timeZone) * 60_000).toISOString();
  return { day: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// The statistics file of a collectivité's procedures (schema bastide-statistiques-demarches), written from
// the aggregates the procedures module gives (dossierStatistics). Pure: the same figures give the same
// bytes, so that the daily job adds a version only when something changed.
//
// Statistical secrecy: a cell (procedure × month × state) of fewer than SECRET_THRESHOLD dossiers is
// published without its count and median, flagged secret_statistique=true. Five is the threshold French
// public statistics commonly apply to counts of people; with fewer, a citizen who knows that a neighbour
// applied in a small commune could learn the outcome of the neighbour's application. The row stays (its
// existence says "1 to 4"), an empty cell is not published at all (0 is not a person). The schema's
// `minimum: 5` on nombre_dossiers makes the validator refuse a file that would break the rule.
import type { DossierStatisticsRow } from '../../procedures/index.ts';

export const SECRET_THRESHOLD = 5;
export const STATISTICS_SCHEMA = 'bastide-statistiques-demarches';
export const STATISTICS_FILENAME = 'statistiques-demarches.csv';

export const STATISTICS_HEADER = [
  'collectivite',
  'demarche',
  'demarche_titre',
  'mois',
  'etat',
  'nombre_dossiers',
  'delai_median_decision_jours',
  'secret_statistique',
] as const;

/**
 * A text cell as CSV: quoted when it holds a separator, a quote or a line break; a leading = + - @ (a
 * formula for a spreadsheet opening the file) is neutralised with an apostrophe, since procedure titles
 * are written by staff and a published file must not run anything on a reader's machine.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The median in days to a tenth, never negative (a decision dated before its submission is a clock's error). */
function days(median: number | null): string {
  if (median === null || !Number.isFinite(median)) return '';
  return String(Math.round(Math.max(0, median) * 10) / 10);
}

export function statisticsCsv(collectivite: string, rows: readonly DossierStatisticsRow[]): string {
  const lines = [STATISTICS_HEADER.join(',')];
  for (const r of rows) {
    const secret = r.dossiers < SECRET_THRESHOLD;
    lines.push(
      [
        csvCell(collectivite),
        csvCell(r.procedure),
        csvCell(r.title),
        r.month,
        r.state,
        secret ? '' : String(r.dossiers),
        secret ? '' : days(r.median_days_to_decision),
        secret ? 'true' : 'false',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The first month of the figures (the dataset's temporal coverage starts there), or null. */
export function firstMonth(rows: readonly DossierStatisticsRow[]): string | null {
  return rows.reduce<string | null>((min, r) => (min === null || r.month < min ? r.month : min), null);
}

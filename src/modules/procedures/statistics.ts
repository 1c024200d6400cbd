// Aggregate figures of a collectivité's dossiers, for publication as open data (the catalogue's daily
// statistics dataset reads them through this module's index.ts, never its tables): per procedure, month of
// submission (Paris time) and current state, how many dossiers, and for decided ones the median time from
// submission to decision. Runs in the caller's tenant transaction: row-level security keeps it to that
// collectivité's dossiers (and app_tenant() is named too, as everywhere).
//
// Not counted: drafts (brouillon, never submitted: the citizen has not filed anything yet) and dossiers of a
// procedure that was never published (state 'draft': its designer's trials). Anonymised dossiers count:
// retention keeps their state and dates for this purpose (retention/sweep.ts); deleted ones are gone.
import type { Tx } from '../../core/db/database.ts';
import type { DossierState } from './dossier-states.ts';

export interface DossierStatisticsRow {
  procedure: string;
  title: string;
  /** YYYY-MM, month of submission in Europe/Paris. */
  month: string;
  state: Exclude<DossierState, 'brouillon'>;
  dossiers: number;
  /** Decided states only: median of (decided_at − submitted_at) in days; null otherwise. */
  median_days_to_decision: number | null;
}

export async function dossierStatistics(tx: Tx): Promise<DossierStatisticsRow[]> {
  const rows = await tx.query<Omit<DossierStatisticsRow, 'median_days_to_decision'> & { median: number | string | null }>(
    `select p.slug as procedure, p.title,
            to_char(d.submitted_at at time zone 'Europe/Paris', 'YYYY-MM') as month,
            d.state, count(*)::int as dossiers,
            percentile_cont(0.5) within group (order by extract(epoch from (d.decided_at - d.submitted_at)) / 86400.0)
              filter (where d.state in ('accepte', 'refuse', 'sans_suite') and d.decided_at is not null) as median
       from dossiers d
       join procedures p on p.tenant_id = d.tenant_id and p.id = d.procedure_id
      where d.tenant_id = app_tenant() and p.tenant_id = app_tenant()
        and d.state <> 'brouillon' and d.submitted_at is not null and p.state <> 'draft'
      group by p.slug, p.title, month, d.state
      order by p.slug, month, d.state`,
  );
  return rows.map(({ median, ...r }) => ({ ...r, median_days_to_decision: median === null ? null : Number(median) }));
}

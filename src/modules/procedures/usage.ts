// The procedures' figures for the host's usage report (core/usage): dossiers filed during the month, and
// dossiers held at its end (filed, not yet purged by retention). Runs in the collectivité's transaction.
import type { UsageContributor } from '../../core/usage/report.ts';

export const proceduresUsage: UsageContributor = async (tx, month) => {
  const row = await tx.one<{ filed: number; held: number }>(
    `select count(*) filter (where submitted_at >= $1 and submitted_at < $2)::int as filed,
            count(*) filter (where submitted_at < $2)::int as held
       from dossiers where submitted_at is not null`,
    [month.start, month.end],
  );
  return [
    { key: 'procedures.dossiers_filed', unit: 'count', value: row!.filed, label: { fr: 'Dossiers déposés dans le mois', en: 'Dossiers filed in the month' } },
    { key: 'procedures.dossiers_held', unit: 'count', value: row!.held, label: { fr: 'Dossiers conservés', en: 'Dossiers held' } },
  ];
};

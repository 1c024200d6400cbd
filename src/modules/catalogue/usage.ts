// The catalogue's figures for the host's usage report (core/usage): datasets at the month's end (every
// state), of which published. Runs in the collectivité's transaction.
import type { UsageContributor } from '../../core/usage/report.ts';

export const catalogueUsage: UsageContributor = async (tx, month) => {
  const row = await tx.one<{ datasets: number; published: number }>(
    `select count(*)::int as datasets, count(*) filter (where published_at < $1)::int as published
       from catalogue_datasets where created_at < $1`,
    [month.end],
  );
  return [
    { key: 'catalogue.datasets', unit: 'count', value: row!.datasets, label: { fr: 'Jeux de données', en: 'Datasets' } },
    { key: 'catalogue.datasets_published', unit: 'count', value: row!.published, label: { fr: 'Jeux de données publiés', en: 'Published datasets' } },
  ];
};

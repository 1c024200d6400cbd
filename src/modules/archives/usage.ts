// The archives' figures for the host's usage report (core/usage): the volume kept at the month's end
// (objects stored before it and not eliminated by then) and their number. Runs in the collectivité's
// transaction.
import type { UsageContributor } from '../../core/usage/report.ts';

export const archivesUsage: UsageContributor = async (tx, month) => {
  const row = await tx.one<{ bytes: string; objects: number }>(
    `select coalesce(sum(size), 0)::text as bytes, count(*)::int as objects
       from archives_objects where created_at < $1 and (eliminated_at is null or eliminated_at >= $1)`,
    [month.end],
  );
  return [
    { key: 'archives.bytes', unit: 'bytes', value: Number(row!.bytes), label: { fr: 'Volume archivé', en: 'Archived volume' } },
    { key: 'archives.objects', unit: 'count', value: row!.objects, label: { fr: 'Objets archivés', en: 'Archived objects' } },
  ];
};

// The archives' volume for the roadmap's indicator "archive volume" (and any other module that reports on
// a collectivité): units and objects kept (not eliminated), the bytes they hold, and the same by month of
// ingest. Read in the collectivité's transaction: row-level security confines it to that tenant.
import type { Database } from '../../../core/db/database.ts';

export interface ArchivesMonth {
  /** YYYY-MM of the ingest, Europe/Paris. */
  month: string;
  units: number;
  objects: number;
  bytes: number;
}

export interface ArchivesMetrics {
  units: number;
  objects: number;
  bytes: number;
  /** Units and objects ingested each month and still kept, oldest first. */
  byMonth: ArchivesMonth[];
}

export async function archivesMetrics(deps: { db: Database }, tenantId: string): Promise<ArchivesMetrics> {
  return deps.db.transaction(tenantId, async (tx) => {
    const rows = await tx.query<{ month: string; units: number; objects: number; bytes: string | number }>(
      `with u as (
         select to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*)::int as units
           from archives_units where eliminated_at is null group by 1),
       o as (
         select to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*)::int as objects, coalesce(sum(size), 0)::text as bytes
           from archives_objects where eliminated_at is null group by 1)
       select coalesce(u.month, o.month) as month, coalesce(u.units, 0) as units, coalesce(o.objects, 0) as objects, coalesce(o.bytes, '0') as bytes
         from u full join o on o.month = u.month order by 1`,
    );
    const byMonth = rows.map((r) => ({ month: r.month, units: r.units, objects: r.objects, bytes: Number(r.bytes) }));
    return {
      units: byMonth.reduce((n, m) => n + m.units, 0),
      objects: byMonth.reduce((n, m) => n + m.objects, 0),
      bytes: byMonth.reduce((n, m) => n + m.bytes, 0),
      byMonth,
    };
  });
}

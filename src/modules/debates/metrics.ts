// Figures of participation in a collectivité's debates (no personal data), for the roadmap's "debate
// participation" indicator:
//
//   debatesMetrics(deps: { db }, tenantId): Promise<DebatesMetrics>
//
// Participants are distinct people who contributed, commented or supported (a mediated post counts the
// mediator once, not the people helped, who have no account). Hidden and pending texts are not counted.
import type { Database } from '../../core/db/database.ts';

export interface DebatesMetrics {
  debates: number;
  participants: number;
  contributions: number;
  comments: number;
  supports: number;
  /** Contributions per month (YYYY-MM), oldest first, months with none left out. */
  contributionsPerMonth: Array<{ month: string; contributions: number }>;
}

export async function debatesMetrics(deps: { db: Database }, tenantId: string): Promise<DebatesMetrics> {
  return deps.db.transaction(tenantId, async (tx) => {
    const totals = await tx.one<Omit<DebatesMetrics, 'contributionsPerMonth'>>(
      `select
         (select count(*)::int from debates where tenant_id = app_tenant() and status <> 'draft') as debates,
         (select count(*)::int from debate_contributions where tenant_id = app_tenant() and moderation = 'visible') as contributions,
         (select count(*)::int from debate_comments where tenant_id = app_tenant() and moderation = 'visible') as comments,
         (select count(*)::int from debate_supports where tenant_id = app_tenant()) as supports,
         (select count(*)::int from (
            select author_person_id as person from debate_contributions where tenant_id = app_tenant() and moderation = 'visible' and author_person_id is not null
            union select (mediation->>'mediator_person_id')::uuid from debate_contributions where tenant_id = app_tenant() and mediation is not null
            union select author_person_id from debate_comments where tenant_id = app_tenant() and moderation = 'visible' and author_person_id is not null
            union select person_id from debate_supports where tenant_id = app_tenant()) p) as participants`,
    );
    const months = await tx.query<{ month: string; contributions: number }>(
      `select to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*)::int as contributions
       from debate_contributions where tenant_id = app_tenant() and moderation = 'visible' group by 1 order by 1`,
    );
    return { ...totals!, contributionsPerMonth: months };
  });
}

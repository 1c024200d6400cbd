// SQL of moderation: reports, hiding and showing texts, blocks, the moderator's queue.
import type { Tx } from '../../core/db/database.ts';
import type { ReportReason } from './debates.schema.ts';
import type { Moderation } from './contributions.repository.ts';

export type Target = { table: 'debate_contributions'; id: string } | { table: 'debate_comments'; id: string };

/** A report; false when this person already reported this text (a unique index says so). */
export async function insertReport(
  tx: Tx,
  r: { debateId: string; contributionId: string; commentId: string | null; personId: string; reason: ReportReason; details: string },
): Promise<string | null> {
  const row = await tx.one<{ id: string }>(
    `insert into debate_reports (tenant_id, debate_id, contribution_id, comment_id, reporter_person_id, reason, details)
     values (app_tenant(), $1, $2, $3, $4, $5, $6) on conflict do nothing returning id`,
    [r.debateId, r.contributionId, r.commentId, r.personId, r.reason, r.details],
  );
  return row?.id ?? null;
}

/** Sets what the public sees of a text; returns the state it had. */
export async function setModeration(tx: Tx, target: Target, moderation: Moderation, reason: string | null): Promise<Moderation | null> {
  const old = await tx.one<{ moderation: Moderation }>(`select moderation from ${target.table} where tenant_id = app_tenant() and id = $1 for update`, [
    target.id,
  ]);
  if (!old) return null;
  await tx.execute(`update ${target.table} set moderation = $2, hide_reason = $3, moderated_at = now() where tenant_id = app_tenant() and id = $1`, [
    target.id,
    moderation,
    reason,
  ]);
  return old.moderation;
}

/** Keeps a contribution's comment count equal to its visible comments, after a comment changed state. */
export async function recountComments(tx: Tx, contributionId: string): Promise<void> {
  await tx.execute(
    `update debate_contributions set comment_count = (select count(*) from debate_comments m
       where m.tenant_id = app_tenant() and m.contribution_id = $1 and m.moderation = 'visible')
     where tenant_id = app_tenant() and id = $1`,
    [contributionId],
  );
}

/** Open reports of a text are dealt with when a moderator hides or keeps it. */
export async function resolveReports(tx: Tx, target: Target, resolution: 'hidden' | 'kept'): Promise<number> {
  const column = target.table === 'debate_comments' ? 'comment_id = $1' : 'contribution_id = $1 and comment_id is null';
  return tx.execute(`update debate_reports set resolved_at = now(), resolution = $2 where tenant_id = app_tenant() and ${column} and resolved_at is null`, [
    target.id,
    resolution,
  ]);
}

export async function insertBlock(tx: Tx, debateId: string, personId: string, reason: string, by: string): Promise<boolean> {
  const rows = await tx.query(
    `insert into debate_blocks (tenant_id, debate_id, person_id, reason, blocked_by) values (app_tenant(), $1, $2, $3, $4)
     on conflict do nothing returning person_id`,
    [debateId, personId, reason, by],
  );
  return rows.length === 1;
}

export async function deleteBlock(tx: Tx, debateId: string, personId: string): Promise<boolean> {
  return (await tx.execute('delete from debate_blocks where tenant_id = app_tenant() and debate_id = $1 and person_id = $2', [debateId, personId])) === 1;
}

/** Whether a person wrote something in this debate (one can only block a participant). */
export async function participated(tx: Tx, debateId: string, personId: string): Promise<boolean> {
  return !!(await tx.one(
    `select 1 where exists (select 1 from debate_contributions where tenant_id = app_tenant() and debate_id = $1 and author_person_id = $2)
       or exists (select 1 from debate_comments where tenant_id = app_tenant() and debate_id = $1 and author_person_id = $2)`,
    [debateId, personId],
  ));
}

export interface QueueItem {
  kind: 'contribution' | 'comment';
  id: string;
  contribution_id: string;
  title: string;
  body: string;
  display_name: string;
  author_person_id: string | null;
  moderation: Moderation;
  open_reports: number;
  reasons: string[] | null;
  created_at: Date;
}

/** What waits for a moderator in a debate: pending texts and texts with open reports, oldest first. */
export async function moderationQueue(tx: Tx, debateId: string, limit = 100): Promise<QueueItem[]> {
  return tx.query<QueueItem>(
    `with open as (
       select contribution_id, comment_id, count(*)::int as n, array_agg(distinct reason) as reasons from debate_reports
       where tenant_id = app_tenant() and debate_id = $1 and resolved_at is null group by contribution_id, comment_id
     )
     select * from (
       select 'contribution' as kind, c.id, c.id as contribution_id, c.title, c.body, c.display_name, c.author_person_id, c.moderation,
         coalesce(o.n, 0) as open_reports, o.reasons, c.created_at
       from debate_contributions c left join open o on o.contribution_id = c.id and o.comment_id is null
       where c.tenant_id = app_tenant() and c.debate_id = $1 and (c.moderation = 'pending' or (o.n is not null and c.moderation <> 'hidden'))
       union all
       select 'comment', m.id, m.contribution_id, '', m.body, m.display_name, m.author_person_id, m.moderation,
         coalesce(o.n, 0), o.reasons, m.created_at
       from debate_comments m left join open o on o.comment_id = m.id
       where m.tenant_id = app_tenant() and m.debate_id = $1 and (m.moderation = 'pending' or (o.n is not null and m.moderation <> 'hidden'))
     ) q order by created_at limit $2`,
    [debateId, limit],
  );
}

export async function blocksOf(tx: Tx, debateId: string): Promise<Array<{ person_id: string; reason: string; created_at: Date; display_name: string | null }>> {
  return tx.query(
    `select b.person_id, b.reason, b.created_at,
       (select c.display_name from debate_contributions c where c.tenant_id = b.tenant_id and c.debate_id = b.debate_id and c.author_person_id = b.person_id
        order by c.created_at desc limit 1) as display_name
     from debate_blocks b where b.tenant_id = app_tenant() and b.debate_id = $1 order by b.created_at desc limit 200`,
    [debateId],
  );
}

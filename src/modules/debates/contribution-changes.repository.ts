// SQL of a contribution's own page and of what its author and supporters change afterwards (migration
// 0740): its number, the official answer, an edit (the previous text kept as a version), a
// withdrawal ('withdrawn', never deleted), a support taken back. Each change writes its journal entry in
// the same transaction (the actions hold it: actions/change-contribution.ts).
import type { Tx } from '../../core/db/database.ts';
import type { ContributionRow, Moderation } from './contributions.repository.ts';
import type { Stance } from './debates.schema.ts';

/** What the public sees of a contribution, with the author's withdrawal (0740) beside the team's states. */
export type ContributionState = Moderation | 'withdrawn';

export interface ContributionPageRow extends Omit<ContributionRow, 'moderation'> {
  moderation: ContributionState;
  number: number;
  edited_at: Date | null;
  withdrawn_at: Date | null;
  /** Anyone's comment, whatever its state (an edit is refused once someone answered the text). */
  has_comments: boolean;
  answer: string | null;
  answered_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[1-9]\d{0,8}$/;

/** A contribution reference from an address: its number in the debate or its id; null when neither. */
export function contributionRef(ref: string): { number: number } | { id: string } | null {
  if (NUMBER.test(ref)) return { number: Number(ref) };
  if (UUID.test(ref)) return { id: ref.toLowerCase() };
  return null;
}

/** One contribution of a debate by number or id, with its answer; `lock` for a change (its row, for update). */
export async function findContributionByRef(tx: Tx, debateId: string, ref: string, options: { lock?: boolean } = {}): Promise<ContributionPageRow | null> {
  const by = contributionRef(ref);
  if (!by) return null;
  return tx.one<ContributionPageRow>(
    `select c.id, c.debate_id, c.phase_id, p.position as phase_position, c.kind, c.stance, c.title, c.body, c.author_person_id,
       c.display_name, c.mediation is not null as mediated, c.moderation, c.hide_reason, c.answer_status, c.support_count, c.comment_count,
       c.created_at, c.number, c.edited_at, c.withdrawn_at,
       exists (select 1 from debate_comments m where m.tenant_id = c.tenant_id and m.contribution_id = c.id) as has_comments,
       a.answer, a.answered_at
     from debate_contributions c
     join debate_phases p on p.tenant_id = c.tenant_id and p.id = c.phase_id
     left join debate_answers a on a.tenant_id = c.tenant_id and a.contribution_id = c.id
     where c.tenant_id = app_tenant() and c.debate_id = $1 and ${'number' in by ? 'c.number = $2::int' : 'c.id = $2::uuid'}
     ${options.lock ? 'for update of c' : ''}`,
    [debateId, 'number' in by ? by.number : by.id],
  );
}

export interface ContributionEdit {
  id: string;
  debateId: string;
  title: string;
  body: string;
  stance: Stance | null;
  moderation: 'visible' | 'pending';
  actor: string;
  /** The text replaced, kept as a version. */
  before: { title: string; body: string; stance: Stance | null; moderation: 'visible' | 'pending' };
}

/** An edit: the previous text as a version, the new text and state, the journal entry — one statement. */
export async function writeEdit(tx: Tx, e: ContributionEdit): Promise<{ version: number; edited_at: Date }> {
  return (await tx.one<{ version: number; edited_at: Date }>(
    `with v as (
       insert into debate_contribution_versions (tenant_id, contribution_id, version, title, body, stance, moderation, replaced_by)
       select app_tenant(), $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6
       from debate_contribution_versions where tenant_id = app_tenant() and contribution_id = $1
       returning version
     ), c as (
       update debate_contributions set title = $7, body = $8, stance = $9, moderation = $10, edited_at = now(),
         moderated_at = case when moderation = $10 then moderated_at else null end
       where tenant_id = app_tenant() and id = $1 returning edited_at
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), uuid_v7(), now(), $6, 'debates.contribution.edit', 'debate_contribution', $1::text,
         jsonb_build_object('debate', $11::uuid, 'version', v.version, 'before', $5::text, 'moderation', $10::text)
       from v
     )
     select v.version, c.edited_at from v, c`,
    [e.id, e.before.title, e.before.body, e.before.stance, e.before.moderation, e.actor, e.title, e.body, e.stance, e.moderation, e.debateId],
  ))!;
}

/** A withdrawal: the state, its date, open reports closed as 'withdrawn', the journal entry — one statement. */
export async function writeWithdrawal(tx: Tx, w: { id: string; debateId: string; before: ContributionState; actor: string }): Promise<void> {
  await tx.query(
    `with c as (
       update debate_contributions set moderation = 'withdrawn', withdrawn_at = now()
       where tenant_id = app_tenant() and id = $1 returning id
     ), r as (
       update debate_reports set resolved_at = now(), resolution = 'withdrawn'
       where tenant_id = app_tenant() and contribution_id = $1 and comment_id is null and resolved_at is null returning 1
     )
     insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
     select app_tenant(), uuid_v7(), now(), $2, 'debates.contribution.withdraw', 'debate_contribution', c.id::text,
       jsonb_build_object('debate', $3::uuid, 'before', $4::text, 'reports', (select count(*) from r)) from c`,
    [w.id, w.actor, w.debateId, w.before],
  );
}

/** Takes back a person's own support: the row, the count, the journal entry; false when there was none. */
export async function deleteSupport(tx: Tx, s: { contributionId: string; debateId: string; personId: string; actor: string }): Promise<number | null> {
  const row = await tx.one<{ support_count: number }>(
    `with s as (
       delete from debate_supports where tenant_id = app_tenant() and contribution_id = $1 and person_id = $2 returning contribution_id
     ), counted as (
       update debate_contributions set support_count = support_count - 1
       where tenant_id = app_tenant() and id in (select contribution_id from s) returning support_count
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), uuid_v7(), now(), $3, 'debates.proposal.unsupport', 'debate_contribution', s.contribution_id::text,
         jsonb_build_object('debate', $4::uuid) from s
     )
     select support_count from counted`,
    [s.contributionId, s.personId, s.actor, s.debateId],
  );
  return row ? row.support_count : null;
}

export interface VersionRow {
  version: number;
  title: string;
  body: string;
  stance: Stance | null;
  moderation: 'visible' | 'pending';
  replaced_at: Date;
}

/** The earlier texts of a contribution, oldest first (for the team). */
export async function versionsOf(tx: Tx, contributionId: string): Promise<VersionRow[]> {
  return tx.query<VersionRow>(
    `select version, title, body, stance, moderation, replaced_at from debate_contribution_versions
     where tenant_id = app_tenant() and contribution_id = $1 order by version limit 100`,
    [contributionId],
  );
}

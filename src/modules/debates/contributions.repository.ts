// SQL of contributions, comments and supports. The hot paths are one statement each: a contribution is
// checked and written with its journal entry by one call (postContributionAtOnce), a comment or a support
// after one read of the state (postingState) by one more (see bench/debates.ts).
import type { Tx } from '../../core/db/database.ts';
import { uuidv7 } from '../../core/db/ids.ts';
import type { AnswerStatus, ContributionFilters, ContributionKind, Stance } from './debates.schema.ts';
import type { PhaseRow } from './debates.repository.ts';

export type Moderation = 'visible' | 'pending' | 'hidden';

export interface ContributionRow {
  id: string;
  debate_id: string;
  phase_id: string;
  phase_position: number;
  kind: ContributionKind;
  stance: Stance | null;
  title: string;
  body: string;
  author_person_id: string | null;
  display_name: string;
  mediated: boolean;
  moderation: Moderation;
  hide_reason: string | null;
  answer_status: AnswerStatus | null;
  support_count: number;
  comment_count: number;
  created_at: Date;
}

export interface CommentRow {
  id: string;
  contribution_id: string;
  parent_id: string | null;
  depth: number;
  body: string;
  author_person_id: string | null;
  display_name: string;
  mediated: boolean;
  moderation: Moderation;
  hide_reason: string | null;
  created_at: Date;
}

/** What posting in a debate needs to know, read at once. */
export interface PostingState {
  id: string;
  slug: string;
  status: 'draft' | 'published' | 'closed';
  moderation: 'pre' | 'post';
  charter_sha256: string | null;
  phase: Pick<PhaseRow, 'id' | 'kind' | 'position'> | null;
  blocked: boolean;
  accepted: boolean;
  /** The account's display name (a token does not carry it). */
  person_name: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The state query: $1 the debate (slug or id), $2 the person, $3 today. */
function postingStateSql(debateRef: string): string {
  const by = UUID.test(debateRef) ? 'd.id = $1::uuid' : 'd.slug = $1';
  return `select d.id, d.slug, d.status, d.moderation,
       case when d.charter = '' then null else encode(sha256(convert_to(d.charter, 'UTF8')), 'hex') end as charter_sha256,
       (select json_build_object('id', p.id, 'kind', p.kind, 'position', p.position) from debate_phases p
         where p.tenant_id = d.tenant_id and p.debate_id = d.id and p.starts_on <= $3::date and p.ends_on >= $3::date limit 1) as phase,
       exists (select 1 from debate_blocks b where b.tenant_id = d.tenant_id and b.debate_id = d.id and b.person_id = $2::uuid) as blocked,
       (d.charter = '' or exists (select 1 from debate_charter_acceptances a where a.tenant_id = d.tenant_id and a.debate_id = d.id
         and a.person_id = $2::uuid and a.charter_sha256 = encode(sha256(convert_to(d.charter, 'UTF8')), 'hex'))) as accepted,
       (select left(nullif(display_name, ''), 80) from people where id = $2::uuid) as person_name
     from debates d where d.tenant_id = app_tenant() and ${by}`;
}

export async function postingState(tx: Tx, debateRef: string, personId: string | null, day: string): Promise<PostingState | null> {
  return tx.one<PostingState>(postingStateSql(debateRef), [debateRef, personId, day]);
}

export interface ContributionPost {
  kind: ContributionKind;
  stance: Stance | null;
  title: string;
  body: string;
  /** The account (null for a mediated post: the person helped has none here). */
  authorPersonId: string | null;
  /** Pseudonym or name given; null: the account's display name, else `fallbackName`. */
  displayName: string | null;
  fallbackName: string;
  mediation: Record<string, unknown> | null;
  moderator: boolean;
  acceptCharter: boolean;
  actor: string;
}

/**
 * Posting in one call of debates_post_contribution (migration 0702): reads the debate's state (as
 * postingState) and, when the post is allowed — published (or a draft for the team), in a contributions
 * step, the person not blocked, the charter accepted or accepted now —, writes the contribution, the charter
 * acceptance, the journal entry and, for a visible text, the queued refresh of the open dataset (`jobKind`),
 * in the caller's transaction. The action words the refusal from the returned state when nothing was
 * written (actions/contribute.ts). One short statement to plan; the function's plans are kept per connection.
 */
export async function postContributionAtOnce(
  tx: Tx,
  debateRef: string,
  personId: string,
  day: string,
  c: ContributionPost & { jobKind: string | null },
): Promise<{ state: PostingState | null; id: string | null; moderation: Moderation | null }> {
  const row = await tx.one<{ r: { state: PostingState | null; id: string | null; moderation: Moderation | null } }>(
    `select debates_post_contribution($1::text, $2::uuid, $3::date, $4::uuid, $5::text, $6::text, $7::text, $8::text, $9::uuid, $10::text,
       $11::jsonb, $12::text, $13::boolean, $14::boolean, $15::uuid, $16::text, $17::text) as r`,
    [
      debateRef,
      personId,
      day,
      uuidv7(),
      c.kind,
      c.stance,
      c.title,
      c.body,
      c.authorPersonId,
      c.displayName,
      c.mediation === null ? null : JSON.stringify(c.mediation),
      c.fallbackName,
      c.moderator,
      c.acceptCharter,
      uuidv7(),
      c.actor,
      c.jobKind,
    ],
  );
  return row?.r ?? { state: null, id: null, moderation: null };
}

export interface NewContribution {
  debateId: string;
  phaseId: string;
  kind: ContributionKind;
  stance: Stance | null;
  title: string;
  body: string;
  authorPersonId: string | null;
  displayName: string;
  mediation: Record<string, unknown> | null;
  moderation: Moderation;
  /** Charter text's SHA-256 to record as accepted by the author with this post (first contribution). */
  acceptCharter: string | null;
  actor: string;
}

/** Inserts a contribution, its journal entry and, when given, the author's charter acceptance: one statement. */
export async function insertContribution(tx: Tx, c: NewContribution): Promise<{ id: string; created_at: Date }> {
  return (await tx.one<{ id: string; created_at: Date }>(
    `with c as (
       insert into debate_contributions (tenant_id, id, debate_id, phase_id, kind, stance, title, body, author_person_id, display_name, mediation, moderation)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id, created_at
     ), accepted as (
       insert into debate_charter_acceptances (tenant_id, debate_id, person_id, charter_sha256)
       select app_tenant(), $2, $8, $12 where $12::text is not null and $8::uuid is not null on conflict do nothing
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), $13, now(), $14, 'debates.contribution.post', 'debate_contribution', c.id::text, $15::jsonb from c
     )
     select id, created_at from c`,
    [
      uuidv7(),
      c.debateId,
      c.phaseId,
      c.kind,
      c.stance,
      c.title,
      c.body,
      c.authorPersonId,
      c.displayName,
      c.mediation === null ? null : JSON.stringify(c.mediation),
      c.moderation,
      c.acceptCharter,
      uuidv7(),
      c.actor,
      JSON.stringify({ debate: c.debateId, kind: c.kind, moderation: c.moderation, mediated: !!c.mediation, charter_accepted: !!c.acceptCharter }),
    ],
  ))!;
}

const CONTRIBUTION_COLUMNS = `c.id, c.debate_id, c.phase_id, p.position as phase_position, c.kind, c.stance, c.title, c.body, c.author_person_id,
  c.display_name, c.mediation is not null as mediated, c.moderation, c.hide_reason, c.answer_status, c.support_count, c.comment_count, c.created_at`;

export async function findContribution(tx: Tx, debateId: string, id: string, options: { lock?: boolean } = {}): Promise<ContributionRow | null> {
  if (!UUID.test(id)) return null;
  return tx.one<ContributionRow>(
    `select ${CONTRIBUTION_COLUMNS} from debate_contributions c
     join debate_phases p on p.tenant_id = c.tenant_id and p.id = c.phase_id
     where c.tenant_id = app_tenant() and c.debate_id = $1 and c.id = $2${options.lock ? ' for update of c' : ''}`,
    [debateId, id],
  );
}

export const PAGE_SIZE = 20;
/** Contributions counted at most, per list. */
export const COUNT_CAP = 2000;

/**
 * One page of a debate's contributions as a reader sees them: visible and hidden ones (a hidden text is
 * replaced by its reason when shown), plus the reader's own pending ones; the team sees everything.
 */
export async function listContributions(
  tx: Tx,
  debateId: string,
  filters: ContributionFilters,
  viewer: { personId: string | null; moderator: boolean },
): Promise<{ rows: ContributionRow[]; total: number; more: boolean }> {
  const params: unknown[] = [debateId];
  const where = ['c.tenant_id = app_tenant()', 'c.debate_id = $1'];
  if (!viewer.moderator && viewer.personId) {
    params.push(viewer.personId);
    where.push(`(c.moderation in ('visible', 'hidden') or (c.moderation = 'pending' and c.author_person_id = $${params.length}))`);
  } else if (!viewer.moderator) where.push(`c.moderation in ('visible', 'hidden')`);
  if (filters.kind) {
    params.push(filters.kind);
    where.push(`c.kind = $${params.length}`);
  }
  if (filters.phase !== undefined) {
    params.push(filters.phase);
    where.push(`c.phase_id = (select id from debate_phases where tenant_id = app_tenant() and debate_id = $1 and position = $${params.length})`);
  }
  if (filters.status === 'unanswered') where.push('c.answer_status is null');
  else if (filters.status) {
    params.push(filters.status);
    where.push(`c.answer_status = $${params.length}`);
  }
  const order = filters.sort === 'supported' ? 'c.support_count desc, c.created_at desc, c.id desc' : 'c.created_at desc, c.id desc';
  const offset = ((filters.page ?? 1) - 1) * PAGE_SIZE;
  const rows = await tx.query<ContributionRow>(
    `select ${CONTRIBUTION_COLUMNS} from debate_contributions c
     join debate_phases p on p.tenant_id = c.tenant_id and p.id = c.phase_id
     where ${where.join(' and ')} order by ${order} limit ${PAGE_SIZE} offset ${offset}`,
    params,
  );
  // Counted up to COUNT_CAP + 1 only: past it, "more than 2,000" (a count of 50,000 index entries would
  // cost more than the page itself; bench/debates.ts).
  const count = await tx.one<{ n: number }>(
    `select count(*)::int as n from (select 1 from debate_contributions c where ${where.join(' and ')} limit ${COUNT_CAP + 1}) x`,
    params,
  );
  return { rows, total: Math.min(count!.n, COUNT_CAP), more: count!.n > COUNT_CAP };
}

export interface NewComment {
  debateId: string;
  contributionId: string;
  parentId: string | null;
  body: string;
  authorPersonId: string | null;
  displayName: string;
  mediation: Record<string, unknown> | null;
  moderation: Moderation;
  acceptCharter: string | null;
  actor: string;
}

/** A comment, its journal entry, the contribution's comment count, the charter acceptance: one statement. */
export async function insertComment(tx: Tx, c: NewComment): Promise<{ id: string }> {
  return (await tx.one<{ id: string }>(
    `with m as (
       insert into debate_comments (tenant_id, id, debate_id, contribution_id, parent_id, depth, parent_depth, body, author_person_id, display_name, mediation, moderation)
       values (app_tenant(), $1, $2, $3, $4, case when $4::uuid is null then 0 else 1 end, case when $4::uuid is null then null else 0 end, $5, $6, $7, $8, $9)
       returning id
     ), counted as (
       update debate_contributions set comment_count = comment_count + 1
       where tenant_id = app_tenant() and id = $3 and $9 = 'visible' and exists (select 1 from m)
     ), accepted as (
       insert into debate_charter_acceptances (tenant_id, debate_id, person_id, charter_sha256)
       select app_tenant(), $2, $6, $10 where $10::text is not null and $6::uuid is not null on conflict do nothing
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), $11, now(), $12, 'debates.comment.post', 'debate_comment', m.id::text, $13::jsonb from m
     )
     select id from m`,
    [
      uuidv7(),
      c.debateId,
      c.contributionId,
      c.parentId,
      c.body,
      c.authorPersonId,
      c.displayName,
      c.mediation === null ? null : JSON.stringify(c.mediation),
      c.moderation,
      c.acceptCharter,
      uuidv7(),
      c.actor,
      JSON.stringify({ debate: c.debateId, contribution: c.contributionId, parent: c.parentId, moderation: c.moderation, mediated: !!c.mediation }),
    ],
  ))!;
}

export async function findComment(tx: Tx, contributionId: string, id: string, options: { lock?: boolean } = {}): Promise<CommentRow | null> {
  if (!UUID.test(id)) return null;
  return tx.one<CommentRow>(
    `select id, contribution_id, parent_id, depth, body, author_person_id, display_name, mediation is not null as mediated, moderation, hide_reason, created_at
     from debate_comments where tenant_id = app_tenant() and contribution_id = $1 and id = $2${options.lock ? ' for update' : ''}`,
    [contributionId, id],
  );
}

/** A contribution's comments in thread order (each first-level comment followed by its replies), at most 500. */
export async function listComments(tx: Tx, contributionId: string, viewer: { personId: string | null; moderator: boolean }): Promise<CommentRow[]> {
  return tx.query<CommentRow>(
    `select m.id, m.contribution_id, m.parent_id, m.depth, m.body, m.author_person_id, m.display_name, m.mediation is not null as mediated,
       m.moderation, m.hide_reason, m.created_at
     from debate_comments m left join debate_comments r on r.tenant_id = m.tenant_id and r.id = m.parent_id
     where m.tenant_id = app_tenant() and m.contribution_id = $1
       and ($2 or m.moderation in ('visible', 'hidden') or (m.moderation = 'pending' and m.author_person_id = $3))
     order by coalesce(r.created_at, m.created_at), coalesce(r.id, m.id), m.depth, m.created_at limit 500`,
    [contributionId, viewer.moderator, viewer.personId],
  );
}

/** One support: false (nothing written) when the person already supports the proposal (the primary key says so). */
export async function insertSupport(tx: Tx, contributionId: string, personId: string, actor: string, debateId: string): Promise<boolean> {
  const rows = await tx.query(
    `with s as (
       insert into debate_supports (tenant_id, contribution_id, person_id) values (app_tenant(), $1, $2)
       on conflict do nothing returning contribution_id
     ), counted as (
       update debate_contributions set support_count = support_count + 1 where tenant_id = app_tenant() and id in (select contribution_id from s)
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), $3, now(), $4, 'debates.proposal.support', 'debate_contribution', s.contribution_id::text, $5::jsonb from s
     )
     select 1 from s`,
    [contributionId, personId, uuidv7(), actor, JSON.stringify({ debate: debateId })],
  );
  return rows.length === 1;
}

export async function supportedBy(tx: Tx, contributionIds: string[], personId: string | null): Promise<Set<string>> {
  if (!personId || !contributionIds.length) return new Set();
  const rows = await tx.query<{ contribution_id: string }>(
    'select contribution_id from debate_supports where tenant_id = app_tenant() and person_id = $1 and contribution_id = any($2::uuid[])',
    [personId, contributionIds],
  );
  return new Set(rows.map((r) => r.contribution_id));
}

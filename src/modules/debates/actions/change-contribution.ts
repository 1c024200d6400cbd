// What happens to a contribution after it is posted, by its author or its supporters (Decidim's rules,
// migration 0740). Each change is written with its journal entry in one transaction; a refusal writes
// nothing.
//
//   editContribution(db, p, debateRef, ref, input: ContributionEditInput): Promise<EditResult>
//     Its author only, while the debate is published and in its contributions step, the author not
//     blocked, and as long as nobody has commented on it, supported it, nor the collectivité answered it
//     (after that, others reacted to the words: they stay). A hidden or withdrawn text is not edited. In a
//     pre-moderated debate an edited text goes back to the moderators' queue (pending). The text replaced
//     is kept as a version for the team. Edits count in the contributions' rate limits.
//   withdrawContribution(db, p, debateRef, ref): Promise<{ id; number }>
//     Its author only, in the contributions step, unless it has supports or an official answer (Decidim's
//     rule) or the team hid it. Never deleted: 'withdrawn', shown as "retirée par son auteur" in place of
//     its words, out of the lists, counts and open dataset; its open reports are closed.
//   takeBackSupport(db, p, debateRef, ref): Promise<{ support_count }>
//     A person's own support, in the contributions step; 404 when they do not support it. Counted in the
//     comments' rate limits (a support toggled in a loop would fill the journal).
//
// `ref` is the contribution's number or id. Whatever changes the public text, its counts or its presence
// queues the refresh of the debate's open dataset in the same transaction (one queued job per debate).
import { Type, type Static } from '@sinclair/typebox';
import type { Database, Tx } from '../../../core/db/database.ts';
import { conflict, HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import { canModerate, requirePerson, type Principal } from '../debates.policy.ts';
import { LIMITS, STANCES, type Stance } from '../debates.schema.ts';
import { postingState, type PostingState } from '../contributions.repository.ts';
import { deleteSupport, findContributionByRef, writeEdit, writeWithdrawal, type ContributionPageRow } from '../contribution-changes.repository.ts';
import { today } from '../phases.ts';
import { debateLimitsOf } from './abuse-limits.ts';
import { queueDatasetRefresh } from '../kits/actions/results.ts';

const oneOf = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.String({ enum: [...values] }));

/** The body of an edit (API): what is left out stays as it was. */
export const ContributionEditInput = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 100_000 })),
    body: Type.Optional(Type.String({ maxLength: 100_000 })),
    stance: Type.Optional(oneOf(STANCES)),
  },
  { additionalProperties: false },
);
export type ContributionEditInput = Static<typeof ContributionEditInput>;

export interface EditResult {
  id: string;
  number: number;
  moderation: 'visible' | 'pending';
  edited_at: Date | null;
  /** False when the text was the same: nothing written. */
  changed: boolean;
}

type Errors = Record<string, string[]>;

function text(errors: Errors, p: Principal, field: string, value: string, max: number): string {
  // As when posting: control characters other than line breaks and tabs are dropped; markup stays text.
  // eslint-disable-next-line no-control-regex -- the control characters are what is removed
  const clean = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (!clean) (errors[field] ??= []).push(p.t('debates.error.required'));
  else if (clean.length > max) (errors[field] ??= []).push(p.t('debates.error.too_long', { max, length: clean.length }));
  return clean;
}

/** What a person may do with a contribution, and why not: the page shows the forms, the actions refuse. */
export interface ChangeRights {
  edit: HttpError | null;
  withdraw: HttpError | null;
}

const notAuthor = (p: Principal) => new HttpError(403, 'forbidden', p.t('debates.error.not_author'));

function openForChanges(p: Principal, state: PostingState, options: { blockedMay: boolean }): HttpError | null {
  if (state.status === 'closed') return conflict(p.t('debates.error.closed'));
  if (state.blocked && !options.blockedMay) return new HttpError(403, 'blocked', p.t('debates.error.blocked'));
  if (state.status !== 'published' || state.phase?.kind !== 'contributions') return conflict(p.t('debates.error.not_contributions_phase'));
  return null;
}

export function changeRights(p: Principal, state: PostingState | null, c: ContributionPageRow): ChangeRights {
  if (!p.personId || !state) return { edit: notAuthor(p), withdraw: notAuthor(p) };
  if (c.author_person_id !== p.personId) return { edit: notAuthor(p), withdraw: notAuthor(p) };
  const gone =
    c.moderation === 'hidden' ? conflict(p.t('debates.error.change_hidden')) : c.moderation === 'withdrawn' ? conflict(p.t('debates.error.withdrawn')) : null;
  const edit =
    openForChanges(p, state, { blockedMay: false }) ??
    gone ??
    (c.support_count > 0 || c.has_comments || c.answer_status ? conflict(p.t('debates.error.edit_after_reactions')) : null);
  const withdraw =
    openForChanges(p, state, { blockedMay: true }) ??
    gone ??
    (c.support_count > 0 ? conflict(p.t('debates.error.withdraw_supported')) : c.answer_status ? conflict(p.t('debates.error.withdraw_answered')) : null);
  return { edit, withdraw };
}

/** The debate and the contribution a change is about, locked; 404 for what this person may not read. */
async function target(tx: Tx, p: Principal, personId: string, debateRef: string, ref: string): Promise<{ state: PostingState; c: ContributionPageRow }> {
  const state = await postingState(tx, debateRef, personId, today());
  if (!state || (state.status === 'draft' && !canModerate(p))) throw notFound(p.t('debates.error.not_found'));
  const c = await findContributionByRef(tx, state.id, ref, { lock: true });
  if (!c || (c.moderation === 'pending' && c.author_person_id !== personId && !canModerate(p))) throw notFound(p.t('debates.error.contribution_not_found'));
  return { state, c };
}

export async function editContribution(db: Database, p: Principal, debateRef: string, ref: string, input: ContributionEditInput): Promise<EditResult> {
  const personId = requirePerson(p);
  debateLimitsOf(db).contribution(p);
  return db.transaction(p.tenantId, async (tx) => {
    const { state, c } = await target(tx, p, personId, debateRef, ref);
    const refused = changeRights(p, state, c).edit;
    if (refused) throw refused;
    const errors: Errors = {};
    const title = text(errors, p, 'title', input.title ?? c.title, LIMITS.contributionTitle);
    const body = text(errors, p, 'body', input.body ?? c.body, LIMITS.contributionBody);
    let stance: Stance | null = c.stance;
    if (c.kind === 'opinion') stance = input.stance ?? c.stance;
    else if (input.stance) (errors.stance ??= []).push(p.t('debates.error.no_stance'));
    if (Object.keys(errors).length) throw unprocessable(errors);
    const before = c.moderation as 'visible' | 'pending';
    if (title === c.title && body === c.body && stance === c.stance) {
      return { id: c.id, number: c.number, moderation: before, edited_at: c.edited_at, changed: false };
    }
    // Pre-moderation: the new words wait for a moderator, as a new text would.
    const moderation = state.moderation === 'pre' && !canModerate(p) ? 'pending' : before;
    const written = await writeEdit(tx, {
      id: c.id,
      debateId: state.id,
      title,
      body,
      stance,
      moderation,
      actor: p.actor,
      before: { title: c.title, body: c.body, stance: c.stance, moderation: before },
    });
    if (before === 'visible') await queueDatasetRefresh(tx, state.id);
    return { id: c.id, number: c.number, moderation, edited_at: written.edited_at, changed: true };
  });
}

export async function withdrawContribution(db: Database, p: Principal, debateRef: string, ref: string): Promise<{ id: string; number: number }> {
  const personId = requirePerson(p);
  return db.transaction(p.tenantId, async (tx) => {
    const { state, c } = await target(tx, p, personId, debateRef, ref);
    const refused = changeRights(p, state, c).withdraw;
    if (refused) throw refused;
    await writeWithdrawal(tx, { id: c.id, debateId: state.id, before: c.moderation, actor: p.actor });
    if (c.moderation === 'visible') await queueDatasetRefresh(tx, state.id);
    return { id: c.id, number: c.number };
  });
}

export async function takeBackSupport(db: Database, p: Principal, debateRef: string, ref: string): Promise<{ support_count: number }> {
  const personId = requirePerson(p);
  debateLimitsOf(db).comment(p);
  return db.transaction(p.tenantId, async (tx) => {
    const { state, c } = await target(tx, p, personId, debateRef, ref);
    const closed = openForChanges(p, state, { blockedMay: true });
    if (closed) throw closed;
    const count = await deleteSupport(tx, { contributionId: c.id, debateId: state.id, personId, actor: p.actor });
    if (count === null) throw notFound(p.t('debates.error.not_supported'));
    if (c.moderation === 'visible') await queueDatasetRefresh(tx, state.id);
    return { support_count: count };
  });
}

// Taking part in a debate: contributions (proposals, questions, opinions), comments one level deep and
// supports, by signed-in people, or by a mediator with and for a person (consent recorded as procedures'
// mediated filings do). Each in one transaction with its journal entry; refused → nothing written.
//
//   postContribution(db, p, debateRef, input: ContributionInput): Promise<{ id; moderation }>
//   postComment(db, p, debateRef, contributionId, input: CommentInput): Promise<{ id; moderation }>
//   supportProposal(db, p, debateRef, contributionId): Promise<{ support_count }>   (409 on a second support)
import type { Database, Tx } from '../../../core/db/database.ts';
import { conflict, HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import { canModerate, isMediator, requirePerson, type Principal } from '../debates.policy.ts';
import { LIMITS, type CommentInput, type ContributionInput } from '../debates.schema.ts';
import {
  findComment,
  findContribution,
  insertComment,
  postContributionAtOnce,
  insertSupport,
  postingState,
  type Moderation,
  type PostingState,
} from '../contributions.repository.ts';
import { today } from '../phases.ts';
import { debateLimitsOf } from './abuse-limits.ts';
import { DATASET_JOB } from '../kits/actions/results.ts';
import { jobSignals } from '../../../core/jobs/queue.ts';

type Errors = Record<string, string[]>;

function text(errors: Errors, p: Principal, field: string, value: string | undefined, max: number): string {
  // Control characters other than line breaks and tabs are dropped; HTML is kept as text and escaped when shown.
  // eslint-disable-next-line no-control-regex -- the control characters are what is removed
  const clean = (value ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (!clean) (errors[field] ??= []).push(p.t('debates.error.required'));
  else if (clean.length > max) (errors[field] ??= []).push(p.t('debates.error.too_long', { max, length: clean.length }));
  return clean;
}

/** The consent of the person a mediator helps: {mediator_person_id, consent: {name, how, given_at}}. */
function mediationOf(p: Principal, errors: Errors, input: ContributionInput['mediation']): Record<string, unknown> | null {
  if (!input) return null;
  if (!isMediator(p) || !p.personId) throw new HttpError(403, 'forbidden', p.t('debates.error.mediator_only'));
  const name = input.name.trim();
  const how = input.how.trim();
  if (!name || name.length > 200 || !how || how.length > 500) (errors.mediation ??= []).push(p.t('debates.error.consent'));
  const at = input.given_at && !Number.isNaN(Date.parse(input.given_at)) ? new Date(input.given_at) : new Date();
  return { mediator_person_id: p.personId, consent: { name, how, given_at: at.toISOString() } };
}

/** Who is named on the text: a pseudonym when given, else the account's name (or the person helped's). */
function displayNameOf(p: Principal, errors: Errors, pseudonym: string | undefined, mediation: Record<string, unknown> | null): string | null {
  const wanted = (pseudonym ?? '').trim();
  if (wanted.length > LIMITS.displayName) (errors.pseudonym ??= []).push(p.t('debates.error.too_long', { max: LIMITS.displayName, length: wanted.length }));
  const consentName = mediation ? ((mediation.consent as { name: string }).name ?? '') : '';
  // Null: the account's name, read with the debate (an API token does not carry it).
  const name = wanted || consentName || p.displayName;
  return name ? name.slice(0, LIMITS.displayName) : null;
}

/** Checks shared by every post: the debate is open, in its contributions phase, the person not blocked, the charter accepted. */
function checkPosting(p: Principal, state: PostingState | null, acceptCharter: boolean | undefined, mediated: boolean): string | null {
  const moderator = canModerate(p);
  if (!state || (state.status === 'draft' && !moderator)) throw notFound(p.t('debates.error.not_found'));
  if (state.status === 'closed') throw conflict(p.t('debates.error.closed'));
  if (state.blocked) throw new HttpError(403, 'blocked', p.t('debates.error.blocked'));
  if (state.phase?.kind !== 'contributions') throw conflict(p.t('debates.error.not_contributions_phase'));
  if (!state.charter_sha256 || (state.accepted && !mediated)) return null;
  // The charter: accepted with this post (recorded with it), or refused with a message. A mediated post
  // carries the helped person's acceptance in its consent.
  if (!acceptCharter) throw unprocessable({ accept_charter: [p.t('debates.error.charter')] });
  return mediated ? null : state.charter_sha256;
}

function initialModeration(p: Principal, state: PostingState): Moderation {
  return state.moderation === 'pre' && !canModerate(p) ? 'pending' : 'visible';
}

export async function postContribution(
  db: Database,
  p: Principal,
  debateRef: string,
  input: ContributionInput,
): Promise<{ id: string; moderation: Moderation }> {
  const personId = requirePerson(p);
  debateLimitsOf(db).contribution(p);
  const errors: Errors = {};
  const title = text(errors, p, 'title', input.title, LIMITS.contributionTitle);
  const body = text(errors, p, 'body', input.body, LIMITS.contributionBody);
  if (input.kind === 'opinion' && !input.stance) (errors.stance ??= []).push(p.t('debates.error.stance'));
  if (input.kind !== 'opinion' && input.stance) (errors.stance ??= []).push(p.t('debates.error.no_stance'));
  const mediation = mediationOf(p, errors, input.mediation);
  const displayName = displayNameOf(p, errors, input.pseudonym, mediation);
  if (Object.keys(errors).length) throw unprocessable(errors);
  return db.transaction(p.tenantId, async (tx) => {
    // One call checks and writes the contribution, its journal entry and — a visible text changes the open
    // dataset; a pending one waits for the team's decision — the refresh job (contributions.repository.ts
    // postContributionAtOnce); when nothing was written, checkPosting words the reason from the state it read.
    const result = await postContributionAtOnce(tx, debateRef, personId, today(), {
      kind: input.kind,
      stance: input.kind === 'opinion' ? (input.stance ?? null) : null,
      title,
      body,
      // A mediated post is the helped person's, who has no account here: the mediator is in `mediation`.
      authorPersonId: mediation ? null : personId,
      displayName,
      fallbackName: p.t('debates.anonymous_participant'),
      mediation,
      moderator: canModerate(p),
      acceptCharter: !!input.accept_charter,
      actor: p.actor,
      jobKind: DATASET_JOB,
    });
    if (result.id && result.moderation) {
      if (result.moderation === 'visible') tx.afterCommit(() => jobSignals.emit('enqueued'));
      return { id: result.id, moderation: result.moderation };
    }
    checkPosting(p, result.state, input.accept_charter, !!mediation);
    throw conflict(p.t('debates.error.not_contributions_phase'));
  });
}

async function openContribution(tx: Tx, p: Principal, state: PostingState, contributionId: string) {
  const contribution = await findContribution(tx, state.id, contributionId);
  const visible = contribution && (contribution.moderation === 'visible' || canModerate(p));
  if (!contribution || !visible) throw notFound(p.t('debates.error.contribution_not_found'));
  return contribution;
}

export async function postComment(
  db: Database,
  p: Principal,
  debateRef: string,
  contributionId: string,
  input: CommentInput,
): Promise<{ id: string; moderation: Moderation }> {
  const personId = requirePerson(p);
  debateLimitsOf(db).comment(p);
  const errors: Errors = {};
  const body = text(errors, p, 'body', input.body, LIMITS.commentBody);
  const mediation = mediationOf(p, errors, input.mediation);
  const displayName = displayNameOf(p, errors, input.pseudonym, mediation);
  if (Object.keys(errors).length) throw unprocessable(errors);
  return db.transaction(p.tenantId, async (tx) => {
    const state = await postingState(tx, debateRef, personId, today());
    const acceptCharter = checkPosting(p, state, input.accept_charter, !!mediation);
    const contribution = await openContribution(tx, p, state!, contributionId);
    if (input.parent) {
      const parent = await findComment(tx, contribution.id, input.parent);
      if (!parent || parent.depth !== 0 || parent.moderation === 'pending') throw unprocessable({ parent: [p.t('debates.error.parent')] });
    }
    const moderation = initialModeration(p, state!);
    const row = await insertComment(tx, {
      debateId: state!.id,
      contributionId: contribution.id,
      parentId: input.parent ?? null,
      body,
      authorPersonId: mediation ? null : personId,
      displayName: displayName ?? state!.person_name ?? p.t('debates.anonymous_participant'),
      mediation,
      moderation,
      acceptCharter,
      actor: p.actor,
    });
    return { id: row.id, moderation };
  });
}

export async function supportProposal(db: Database, p: Principal, debateRef: string, contributionId: string): Promise<{ support_count: number }> {
  const personId = requirePerson(p);
  return db.transaction(p.tenantId, async (tx) => {
    const state = await postingState(tx, debateRef, personId, today());
    if (!state || (state.status === 'draft' && !canModerate(p))) throw notFound(p.t('debates.error.not_found'));
    if (state.status === 'closed') throw conflict(p.t('debates.error.closed'));
    if (state.blocked) throw new HttpError(403, 'blocked', p.t('debates.error.blocked'));
    if (state.phase?.kind !== 'contributions') throw conflict(p.t('debates.error.not_contributions_phase'));
    const contribution = await openContribution(tx, p, state, contributionId);
    if (contribution.kind !== 'proposal') throw unprocessable({ contribution: [p.t('debates.error.support_proposal')] });
    if (!(await insertSupport(tx, contribution.id, personId, p.actor, state.id))) throw conflict(p.t('debates.error.already_supported'));
    return { support_count: contribution.support_count + 1 };
  });
}

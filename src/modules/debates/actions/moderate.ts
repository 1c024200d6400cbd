// Moderation: participants report; the debate's team hides a text with a reason (shown in its place),
// shows it again or lets a pending one through, and blocks a participant from a debate. Every action is
// journaled in its transaction; a moderator of another collectivité holds no role here (403).
//
//   reportContent(db, p, debateRef, contributionId, input: ReportInput): Promise<{ id }>   (409 when reported already)
//   hideContent(db, p, debateRef, contributionId, { reason, comment? }): Promise<void>
//   approveContent(db, p, debateRef, contributionId, { comment? }): Promise<void>   (pending or hidden → visible)
//   blockParticipant(db, p, debateRef, { person, reason }) / unblockParticipant(db, p, debateRef, person)
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { conflict, HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import { requireModerator, requirePerson, type Principal } from '../debates.policy.ts';
import { LIMITS, type ReportInput } from '../debates.schema.ts';
import { findDebate, type DebateRow } from '../debates.repository.ts';
import { findComment, findContribution } from '../contributions.repository.ts';
import { queueDatasetRefresh } from '../kits/actions/results.ts';
import { deleteBlock, insertBlock, insertReport, participated, recountComments, resolveReports, setModeration, type Target } from '../moderation.repository.ts';

async function debateFor(tx: Tx, p: Principal, ref: string): Promise<DebateRow> {
  const debate = await findDebate(tx, ref);
  if (!debate) throw notFound(p.t('debates.error.not_found'));
  return debate;
}

/** The contribution, or one of its comments, that an action is about. */
async function targetOf(
  tx: Tx,
  p: Principal,
  debate: DebateRow,
  contributionId: string,
  commentId: string | undefined,
): Promise<Target & { contributionId: string }> {
  const contribution = await findContribution(tx, debate.id, contributionId);
  if (!contribution) throw notFound(p.t('debates.error.contribution_not_found'));
  if (!commentId) return { table: 'debate_contributions', id: contribution.id, contributionId: contribution.id };
  const comment = await findComment(tx, contribution.id, commentId);
  if (!comment) throw notFound();
  return { table: 'debate_comments', id: comment.id, contributionId: contribution.id };
}

function reasonOf(p: Principal, value: string): string {
  const reason = value.trim();
  if (!reason) throw unprocessable({ reason: [p.t('debates.error.required')] });
  if (reason.length > LIMITS.reason) throw unprocessable({ reason: [p.t('debates.error.too_long', { max: LIMITS.reason, length: reason.length })] });
  return reason;
}

export async function reportContent(db: Database, p: Principal, debateRef: string, contributionId: string, input: ReportInput): Promise<{ id: string }> {
  const personId = requirePerson(p);
  const details = (input.details ?? '').trim();
  if (details.length > LIMITS.reportDetails)
    throw unprocessable({ details: [p.t('debates.error.too_long', { max: LIMITS.reportDetails, length: details.length })] });
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await debateFor(tx, p, debateRef);
    if (debate.status === 'draft') throw notFound(p.t('debates.error.not_found'));
    const blocked = await tx.one('select 1 from debate_blocks where tenant_id = app_tenant() and debate_id = $1 and person_id = $2', [debate.id, personId]);
    if (blocked) throw new HttpError(403, 'blocked', p.t('debates.error.blocked'));
    const target = await targetOf(tx, p, debate, contributionId, input.comment);
    const id = await insertReport(tx, {
      debateId: debate.id,
      contributionId: target.contributionId,
      commentId: target.table === 'debate_comments' ? target.id : null,
      personId,
      reason: input.reason,
      details,
    });
    if (!id) throw conflict(p.t('debates.error.already_reported'));
    await journal(tx, {
      actor: p.actor,
      action: 'debates.report.create',
      subjectType: 'debate_report',
      subjectId: id,
      data: { debate: debate.id, target: target.id, reason: input.reason },
    });
    return { id };
  });
}

export async function hideContent(
  db: Database,
  p: Principal,
  debateRef: string,
  contributionId: string,
  input: { reason: string; comment?: string },
): Promise<void> {
  requireModerator(p);
  const reason = reasonOf(p, input.reason);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await debateFor(tx, p, debateRef);
    const target = await targetOf(tx, p, debate, contributionId, input.comment);
    const before = await setModeration(tx, target, 'hidden', reason);
    const reports = await resolveReports(tx, target, 'hidden');
    if (target.table === 'debate_comments') await recountComments(tx, target.contributionId);
    await journal(tx, {
      actor: p.actor,
      action: 'debates.content.hide',
      subjectType: target.table === 'debate_comments' ? 'debate_comment' : 'debate_contribution',
      subjectId: target.id,
      data: { debate: debate.id, reason, before, reports },
    });
    // The open dataset drops the text (or the comment from its count) at its next refresh.
    await queueDatasetRefresh(tx, debate.id);
  });
}

export async function approveContent(db: Database, p: Principal, debateRef: string, contributionId: string, input: { comment?: string }): Promise<void> {
  requireModerator(p);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await debateFor(tx, p, debateRef);
    const target = await targetOf(tx, p, debate, contributionId, input.comment);
    const before = await setModeration(tx, target, 'visible', null);
    const reports = await resolveReports(tx, target, 'kept');
    if (target.table === 'debate_comments') await recountComments(tx, target.contributionId);
    await journal(tx, {
      actor: p.actor,
      action: before === 'pending' ? 'debates.content.approve' : 'debates.content.show',
      subjectType: target.table === 'debate_comments' ? 'debate_comment' : 'debate_contribution',
      subjectId: target.id,
      data: { debate: debate.id, before, reports },
    });
    await queueDatasetRefresh(tx, debate.id);
  });
}

export async function blockParticipant(db: Database, p: Principal, debateRef: string, input: { person: string; reason: string }): Promise<void> {
  requireModerator(p);
  const reason = reasonOf(p, input.reason);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await debateFor(tx, p, debateRef);
    // Only someone who wrote here: a moderator cannot use blocks to probe who has an account.
    if (!(await participated(tx, debate.id, input.person))) throw notFound(p.t('debates.error.person_not_found'));
    if (!(await insertBlock(tx, debate.id, input.person, reason, p.actor))) return;
    await journal(tx, {
      actor: p.actor,
      action: 'debates.participant.block',
      subjectType: 'person',
      subjectId: input.person,
      data: { debate: debate.id, reason },
    });
  });
}

export async function unblockParticipant(db: Database, p: Principal, debateRef: string, person: string): Promise<void> {
  requireModerator(p);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await debateFor(tx, p, debateRef);
    if (!(await deleteBlock(tx, debate.id, person))) throw notFound(p.t('debates.error.person_not_found'));
    await journal(tx, { actor: p.actor, action: 'debates.participant.unblock', subjectType: 'person', subjectId: person, data: { debate: debate.id } });
  });
}

// Public meetings: registration up to the capacity (the meeting's row is locked, so two last-seat
// registrations cannot both pass), withdrawal, and the minutes published once the meeting has begun.
import type { Database } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { conflict, notFound, unprocessable } from '../../../../core/base/errors.ts';
import { canModerate, requireModerator, requirePerson, type Principal } from '../../debates.policy.ts';
import { findDebate } from '../../debates.repository.ts';
import { deleteRegistration, findMeeting, insertRegistration, setMinutes } from '../meetings.repository.ts';

export const MAX_MINUTES = 50_000;

async function open(db: Database, p: Principal, debateRef: string, meetingId: string) {
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate || (debate.status === 'draft' && !canModerate(p))) throw notFound();
    const meeting = await findMeeting(tx, debate.id, meetingId);
    if (!meeting) throw notFound();
    return { debate, meeting };
  });
}

export async function registerForMeeting(
  db: Database,
  p: Principal,
  debateRef: string,
  meetingId: string,
  now = new Date(),
): Promise<'registered' | 'already'> {
  const personId = requirePerson(p);
  const { debate } = await open(db, p, debateRef, meetingId);
  return db.transaction(p.tenantId, async (tx) => {
    const meeting = (await findMeeting(tx, debate.id, meetingId, true))!;
    if (meeting.cancelled || meeting.starts_at <= now) throw unprocessable({ meeting: [p.t('debates.meetings.error.closed')] });
    if (meeting.capacity !== null && meeting.registered >= meeting.capacity) {
      const already = await tx.one('select 1 from debate_meeting_registrations where tenant_id = app_tenant() and meeting_id = $1 and person_id = $2', [
        meeting.id,
        personId,
      ]);
      if (already) return 'already';
      throw conflict(p.t('debates.meetings.error.full'));
    }
    const added = await insertRegistration(tx, meeting.id, personId);
    if (added) await journal(tx, { actor: p.actor, action: 'debates.meeting.register', subjectType: 'debate_meeting', subjectId: meeting.id });
    return added ? 'registered' : 'already';
  });
}

export async function withdrawFromMeeting(db: Database, p: Principal, debateRef: string, meetingId: string): Promise<boolean> {
  const personId = requirePerson(p);
  const { meeting } = await open(db, p, debateRef, meetingId);
  return db.transaction(p.tenantId, async (tx) => {
    await findMeeting(tx, meeting.debate_id, meeting.id, true);
    const removed = await deleteRegistration(tx, meeting.id, personId);
    if (removed) await journal(tx, { actor: p.actor, action: 'debates.meeting.withdraw', subjectType: 'debate_meeting', subjectId: meeting.id });
    return removed;
  });
}

export async function publishMinutes(db: Database, p: Principal, debateRef: string, meetingId: string, minutes: string, now = new Date()): Promise<void> {
  requireModerator(p);
  const text = minutes.trim();
  if (!text) throw unprocessable({ minutes: [p.t('debates.meetings.error.minutes_required')] });
  if (text.length > MAX_MINUTES) throw unprocessable({ minutes: [p.t('debates.meetings.error.minutes_long', { max: MAX_MINUTES })] });
  const { meeting } = await open(db, p, debateRef, meetingId);
  if (meeting.starts_at > now) throw unprocessable({ minutes: [p.t('debates.meetings.error.not_yet')] });
  await db.transaction(p.tenantId, async (tx) => {
    await setMinutes(tx, meeting.id, text);
    await journal(tx, {
      actor: p.actor,
      action: 'debates.meeting.minutes',
      subjectType: 'debate_meeting',
      subjectId: meeting.id,
      data: { length: text.length },
    });
  });
}

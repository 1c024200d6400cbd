// The team edits a debate after creating it or copying it from a kit: its presentation, publication,
// moderation mode, charter and its phases' titles, easy-to-read summaries and dates; its FAQ and questions
// to ask (add, edit, move, remove); its meetings (create, edit, cancel or restore). Each change is checked
// first (a localised message per field, nothing written), then written with its journal entry in one
// transaction. The debate is locked while it changes, so two editors never interleave.
import type { Database, Tx } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { queueMails } from '../../../../core/mail/mail.ts';
import { formatDateTime, isLocale, translator } from '../../../../core/i18n/i18n.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { findDebate, phasesOf, type DebateRow, type DebateStatus } from '../../debates.repository.ts';
import { LIMITS } from '../../debates.schema.ts';
import { checkDebateInput } from '../../actions/create-debate.ts';
import { isDay } from '../../phases.ts';
import { localToInstant } from '../local-time.ts';
import { MEETING_FORMATS } from '../kit-format.ts';
import { findMeeting, insertMeeting, type NewMeeting } from '../meetings.repository.ts';
import {
  deleteItem,
  insertItem,
  LIST_TABLES,
  listItems,
  renumber,
  setMeetingCancelled,
  updateDebateSetup as writeSetup,
  updateItem,
  updateMeeting,
  updatePhases,
  type ListKind,
} from '../staff.repository.ts';
import { checker, isId } from './staff-checks.ts';
import { isForMembers, membersOfHost, setForMembers } from '../../members.repository.ts';

/** Items in a FAQ or a list of questions (as a kit holds at most). */
export const MAX_ITEMS = 100;
export const ITEM_LIMITS: Record<ListKind, readonly [number, number]> = { faq: [500, 5000], questions: [200, 1000] };
const STATUSES: readonly DebateStatus[] = ['draft', 'published', 'closed'];

/** The team's debate, locked for the change; 404 when this collectivité has none by that name. */
export async function lockDebate(tx: Tx, ref: string): Promise<DebateRow> {
  const debate = await findDebate(tx, ref, { lock: true });
  if (!debate) throw notFound();
  return debate;
}

async function change<T>(db: Database, p: Principal, ref: string, work: (tx: Tx, debate: DebateRow) => Promise<T>): Promise<T> {
  requireModerator(p);
  return db.transaction(p.tenantId, async (tx) => work(tx, await lockDebate(tx, ref)));
}

export interface SetupInput {
  title?: string;
  presentation?: string;
  charter?: string;
  status?: string;
  moderation?: string;
  /** In the debate's order; each names the phase it edits. */
  phases: Array<{ id?: string; title?: string; summary?: string; starts_on?: string; ends_on?: string }>;
}

export async function updateDebateSetup(db: Database, p: Principal, ref: string, input: SetupInput): Promise<DebateRow> {
  return change(db, p, ref, async (tx, debate) => {
    const phases = await phasesOf(tx, debate.id);
    const c = checker(p.t);
    const title = c.text('title', input.title, LIMITS.title, true);
    const presentation = c.text('presentation', input.presentation, LIMITS.presentation);
    const charter = c.text('charter', input.charter, LIMITS.charter);
    const status = STATUSES.find((s) => s === input.status);
    if (!status) c.add('status', p.t('debates.staff.error.choice'));
    const moderation: 'pre' | 'post' | null = input.moderation === 'pre' ? 'pre' : input.moderation === 'post' ? 'post' : null;
    if (!moderation) c.add('moderation', p.t('debates.staff.error.choice'));
    if (input.phases.length !== phases.length || input.phases.some((ph, i) => ph.id !== phases[i]!.id)) {
      c.add('phases', p.t('debates.staff.error.phases_changed'));
    }
    const edited = phases.map((ph, i) => {
      const f = input.phases[i] ?? {};
      return {
        id: ph.id,
        kind: ph.kind,
        title: c.text(`phases.${i}.title`, f.title, LIMITS.title) || p.t(`debates.phase.${ph.kind}`),
        summary: c.text(`phases.${i}.summary`, f.summary, LIMITS.phaseSummary),
        starts_on: (f.starts_on ?? '').trim(),
        ends_on: (f.ends_on ?? '').trim(),
      };
    });
    // The dates as a new debate's: real days, a phase ends after it starts, phases follow without overlapping.
    const dates = checkDebateInput({ title: 'x', phases: edited.map((e) => ({ kind: e.kind, starts_on: e.starts_on, ends_on: e.ends_on })) }, p.t);
    for (const [field, messages] of Object.entries(dates)) if (/\.(starts_on|ends_on)$/.test(field)) for (const m of messages) c.add(field, m);
    if (c.failed()) throw unprocessable(c.errors);
    const next = { title, presentation, charter, status: status!, moderation: moderation! };
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => next[k] !== debate[k]);
    const movedPhases = edited.filter((e, i) => {
      const old = phases[i]!;
      return e.title !== old.title || e.summary !== old.summary || e.starts_on !== old.starts_on || e.ends_on !== old.ends_on;
    });
    await writeSetup(tx, debate.id, next);
    await updatePhases(tx, debate.id, edited);
    await journal(tx, {
      actor: p.actor,
      action: 'debates.debate.update',
      subjectType: 'debate',
      subjectId: debate.id,
      data: { changed, phases: movedPhases.map((e) => ({ id: e.id, starts_on: e.starts_on, ends_on: e.ends_on })) },
    });
    return { ...debate, ...next };
  });
}

// ---- FAQ and questions to ask.

function checkItem(p: Principal, kind: ListKind, values: { a?: string; b?: string }) {
  const c = checker(p.t);
  const [fa, fb] = LIST_TABLES[kind].fields;
  const [ma, mb] = ITEM_LIMITS[kind];
  const a = c.text(fa, values.a, ma, true);
  const b = c.text(fb, values.b, mb, true);
  if (c.failed()) throw unprocessable(c.errors);
  return { a, b };
}

/** Adds an item (id null) at the end of the list, or edits one. Returns its id. */
export async function saveListItem(
  db: Database,
  p: Principal,
  ref: string,
  kind: ListKind,
  id: string | null,
  values: { a?: string; b?: string },
): Promise<string> {
  requireModerator(p);
  if (id !== null && !isId(id)) throw notFound();
  const { a, b } = checkItem(p, kind, values);
  return change(db, p, ref, async (tx, debate) => {
    let itemId = id;
    if (itemId === null) {
      if ((await listItems(tx, kind, debate.id)).length >= MAX_ITEMS)
        throw unprocessable({ [LIST_TABLES[kind].fields[0]]: [p.t('debates.staff.error.too_many', { max: MAX_ITEMS })] });
      itemId = await insertItem(tx, kind, debate.id, a, b);
    } else if (!(await updateItem(tx, kind, debate.id, itemId, a, b))) throw notFound();
    await journal(tx, {
      actor: p.actor,
      action: `debates.${kind}.${id === null ? 'add' : 'update'}`,
      subjectType: 'debate',
      subjectId: debate.id,
      data: { item: itemId },
    });
    return itemId;
  });
}

export async function moveListItem(db: Database, p: Principal, ref: string, kind: ListKind, id: string, direction: 'up' | 'down'): Promise<void> {
  await change(db, p, ref, async (tx, debate) => {
    const ids = (await listItems(tx, kind, debate.id)).map((i) => i.id);
    const at = ids.indexOf(id);
    if (at < 0) throw notFound();
    const to = direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    await renumber(tx, kind, debate.id, ids);
    await journal(tx, { actor: p.actor, action: `debates.${kind}.move`, subjectType: 'debate', subjectId: debate.id, data: { item: id, position: to } });
  });
}

export async function removeListItem(db: Database, p: Principal, ref: string, kind: ListKind, id: string): Promise<void> {
  await change(db, p, ref, async (tx, debate) => {
    if (!isId(id) || !(await deleteItem(tx, kind, debate.id, id))) throw notFound();
    await renumber(
      tx,
      kind,
      debate.id,
      (await listItems(tx, kind, debate.id)).map((i) => i.id),
    );
    await journal(tx, { actor: p.actor, action: `debates.${kind}.remove`, subjectType: 'debate', subjectId: debate.id, data: { item: id } });
  });
}

// ---- Meetings.

export interface MeetingInput {
  title?: string;
  format?: string;
  description?: string;
  place?: string;
  online_url?: string;
  /** The local day (YYYY-MM-DD) and times (HH:MM) in the debates' time zone. */
  day?: string;
  start?: string;
  end?: string;
  /** Empty: no limit on registrations. */
  capacity?: string;
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function checkMeeting(p: Principal, input: MeetingInput): NewMeeting {
  const c = checker(p.t);
  const title = c.text('title', input.title, 200, true);
  const format = MEETING_FORMATS.find((f) => f === input.format);
  if (!format) c.add('format', p.t('debates.staff.error.choice'));
  const description = c.text('description', input.description, 3000);
  const place = c.text('place', input.place, 300);
  const online = c.url('online_url', input.online_url, format === 'online' || format === 'hybrid');
  const day = (input.day ?? '').trim();
  if (!isDay(day) || day < '2000-01-01' || day > '2100-12-31') c.add('day', p.t('debates.error.day'));
  const start = (input.start ?? '').trim();
  const end = (input.end ?? '').trim();
  if (!TIME.test(start)) c.add('start', p.t('debates.staff.error.time'));
  if (!TIME.test(end)) c.add('end', p.t('debates.staff.error.time'));
  else if (TIME.test(start) && end <= start) c.add('end', p.t('debates.staff.error.ends_before_start'));
  const cap = (input.capacity ?? '').trim();
  const capacity = cap ? (/^[0-9]{1,6}$/.test(cap) && Number(cap) >= 1 && Number(cap) <= 100_000 ? Number(cap) : null) : null;
  if (cap && capacity === null) c.add('capacity', p.t('debates.staff.error.capacity'));
  if (c.failed()) throw unprocessable(c.errors);
  return {
    title,
    format: format!,
    description,
    place,
    online_url: format === 'in_person' ? null : online,
    starts_at: localToInstant(day, start),
    ends_at: localToInstant(day, end),
    capacity,
  };
}

/** Creates a meeting (id null) or edits one; returns its id. */
export async function saveMeeting(db: Database, p: Principal, ref: string, id: string | null, input: MeetingInput): Promise<string> {
  requireModerator(p);
  if (id !== null && !isId(id)) throw notFound();
  const m = checkMeeting(p, input);
  return change(db, p, ref, async (tx, debate) => {
    if (id === null) {
      const created = await insertMeeting(tx, debate.id, m);
      await journal(tx, {
        actor: p.actor,
        action: 'debates.meeting.create',
        subjectType: 'debate_meeting',
        subjectId: created.id,
        data: { debate: debate.id },
      });
      return created.id;
    }
    const old = await findMeeting(tx, debate.id, id, true);
    if (!old) throw notFound();
    if (m.capacity !== null && m.capacity < old.registered) {
      throw unprocessable({ capacity: [p.t('debates.staff.error.capacity_registered', { count: old.registered })] });
    }
    await updateMeeting(tx, old.id, m);
    await journal(tx, {
      actor: p.actor,
      action: 'debates.meeting.update',
      subjectType: 'debate_meeting',
      subjectId: old.id,
      data: { starts_at: m.starts_at.toISOString(), ends_at: m.ends_at.toISOString(), capacity: m.capacity },
    });
    return old.id;
  });
}

/**
 * Cancels a meeting (shown as cancelled, in the iCal feed too; registration closes) or restores it. A meeting
 * cancelled before it begins is announced by email to the people registered (verified addresses, each in their
 * language), queued in the same transaction; `meetingUrl` is the meeting's public address.
 */
export async function setMeetingCancel(
  db: Database,
  p: Principal,
  ref: string,
  id: string,
  cancelled: boolean,
  meetingUrl?: string,
  now = new Date(),
): Promise<void> {
  await change(db, p, ref, async (tx, debate) => {
    const m = isId(id) ? await findMeeting(tx, debate.id, id, true) : null;
    if (!m) throw notFound();
    if (m.cancelled === cancelled) return;
    await setMeetingCancelled(tx, m.id, cancelled);
    let notified = 0;
    if (cancelled && meetingUrl && m.starts_at > now) {
      const people = await tx.query<{ email: string; locale: string | null }>(
        `select p.email, p.locale from debate_meeting_registrations r join people p on p.id = r.person_id
         where r.tenant_id = app_tenant() and r.meeting_id = $1 and p.email_verified_at is not null`,
        [m.id],
      );
      await queueMails(
        tx,
        people.map((person) => {
          const locale = isLocale(person.locale) ? person.locale : 'fr';
          const t = translator(locale);
          const vars = { title: m.title, debate: debate.title, when: formatDateTime(locale, m.starts_at), url: meetingUrl };
          return { to: person.email, subject: t('debates.staff.mail.cancel_subject', vars), text: t('debates.staff.mail.cancel_text', vars) };
        }),
      );
      notified = people.length;
    }
    await journal(tx, {
      actor: p.actor,
      action: cancelled ? 'debates.meeting.cancel' : 'debates.meeting.restore',
      subjectType: 'debate_meeting',
      subjectId: m.id,
      ...(cancelled ? { data: { notified } } : {}),
    });
  });
}

// ---- Run for the members (0750): the host's own members only, since they are read from its relations.

/** Marks (or unmarks) the debate as run for this collectivité's members; refused (422) when it has none. */
export async function setDebateForMembers(db: Database, p: Principal, ref: string, on: boolean): Promise<void> {
  await change(db, p, ref, async (tx, debate) => {
    if (on && !(await membersOfHost(tx)).length) throw unprocessable({ for_members: [p.t('debates.members.error.none')] });
    if ((await isForMembers(tx, debate.id)) === on) return;
    await setForMembers(tx, debate.id, on);
    await journal(tx, { actor: p.actor, action: 'debates.debate.for_members', subjectType: 'debate', subjectId: debate.id, data: { for_members: on } });
  });
}

// The network secretariat's edits and removals (the creations are in actions.ts, shared with the API): each
// one transaction in the NETWORK's tenant (row-level security confines every statement to it: an id of
// another network's row is simply not found), with its journal entry. The forms (staff-forms.ts) check the
// fields first; these re-check what only the database knows (membership, a body still cited).
import type { Database, Tx } from '../../../core/db/database.ts';
import { conflict, notFound, unprocessable } from '../../../core/base/errors.ts';
import { journal } from '../../../core/audit/journal.ts';
import { memberOrFail, unique, type Actor } from './actions.ts';
import { findBody, findContribution, findEvent, findProgramme } from './network.repository.ts';

export async function updateBody(db: Database, a: Actor, slug: string, input: { kind: string; name: string; description: string }): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const body = await findBody(tx, slug);
    if (!body) throw notFound();
    await tx.query('update network_bodies set kind = $2, name = $3, description = $4 where id = $1', [body.id, input.kind, input.name, input.description]);
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.body.update',
      subjectType: 'network_body',
      subjectId: body.id,
      data: { slug, kind: input.kind },
    });
  });
}

/** Removes a body with its seats and meetings; refused while a contribution names it as the body that adopted it. */
export async function removeBody(db: Database, a: Actor, slug: string): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const body = await findBody(tx, slug);
    if (!body) throw notFound();
    if (await tx.one('select 1 from network_contributions where adopted_by = $1 limit 1', [body.id])) throw conflict(a.t('roadmap.network.staff.body_cited'));
    const counts = (await tx.one<{ seats: number; meetings: number }>(
      `select (select count(*)::int from network_seats where body_id = $1) as seats, (select count(*)::int from network_meetings where body_id = $1) as meetings`,
      [body.id],
    ))!;
    await tx.query('delete from network_bodies where id = $1', [body.id]);
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.body.remove',
      subjectType: 'network_body',
      subjectId: body.id,
      data: { slug, name: body.name, ...counts },
    });
  });
}

export interface SeatInput {
  member: string;
  seat_role: string;
  holder_name: string;
  holder_title: string;
  since?: string;
  until?: string;
}

export async function updateSeat(db: Database, a: Actor, bodySlug: string, seatId: string, input: SeatInput): Promise<void> {
  if (input.since && input.until && input.until < input.since) throw unprocessable({ until: [a.t('roadmap.network.error.dates_order')] });
  await db.transaction(a.networkId, async (tx) => {
    const body = await findBody(tx, bodySlug);
    if (!body) throw notFound();
    const memberId = await memberOrFail(tx, a, input.member);
    const row = await tx.one<{ id: string }>(
      `update network_seats set member_tenant_id = $3, seat_role = $4, holder_name = $5, holder_title = $6, since = $7, until = $8
       where id = $1 and body_id = $2 returning id`,
      [seatId, body.id, memberId, input.seat_role, input.holder_name, input.holder_title, input.since ?? null, input.until ?? null],
    );
    if (!row) throw notFound();
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.seat.update',
      subjectType: 'network_body',
      subjectId: body.id,
      data: { seat: seatId, member: input.member },
    });
  });
}

export async function removeSeat(db: Database, a: Actor, bodySlug: string, seatId: string): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const body = await findBody(tx, bodySlug);
    const row = body && (await tx.one<{ id: string }>('delete from network_seats where id = $1 and body_id = $2 returning id', [seatId, body.id]));
    if (!body || !row) throw notFound();
    await journal(tx, { actor: a.actor, action: 'roadmap.network.seat.remove', subjectType: 'network_body', subjectId: body.id, data: { seat: seatId } });
  });
}

export async function updateMeeting(
  db: Database,
  a: Actor,
  bodySlug: string,
  meetingId: string,
  input: { held_on: string; title: string; place: string; agenda: string[] },
): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const body = await findBody(tx, bodySlug);
    const row =
      body &&
      (await tx.one<{ id: string }>(
        'update network_meetings set held_on = $3, title = $4, place = $5, agenda = $6 where id = $1 and body_id = $2 returning id',
        [meetingId, body.id, input.held_on, input.title, input.place, JSON.stringify(input.agenda)],
      ));
    if (!body || !row) throw notFound();
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.meeting.update',
      subjectType: 'network_meeting',
      subjectId: meetingId,
      data: { body: bodySlug },
    });
  });
}

export async function updateContribution(
  db: Database,
  a: Actor,
  slug: string,
  input: { title: string; summary: string; body: string; topics: string[]; visibility: 'members' | 'public' },
): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const c = await findContribution(tx, { slug });
    if (!c) throw notFound();
    await tx.query('update network_contributions set title = $2, summary = $3, body = $4, topics = $5, visibility = $6 where id = $1', [
      c.id,
      input.title,
      input.summary,
      input.body,
      input.topics,
      input.visibility,
    ]);
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.contribution.update',
      subjectType: 'contribution',
      subjectId: c.id,
      data: { slug, visibility: input.visibility },
    });
  });
}

export interface SessionInput {
  /** Local times in Europe/Paris, "YYYY-MM-DDTHH:MM" (an HTML datetime-local field). */
  starts_at: string;
  ends_at: string;
  title: string;
  speakers: string;
}
export interface EventInput {
  kind: string;
  title: string;
  description: string;
  starts_on: string;
  ends_on: string;
  place: string;
  online: boolean;
  sessions: SessionInput[];
}

/** Creates an event with its programme, the session times read as Paris local times. */
export async function createEventLocal(db: Database, a: Actor, input: EventInput & { slug: string }): Promise<{ id: string }> {
  return unique(a.t, () =>
    db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_events (tenant_id, slug, kind, title, description, starts_on, ends_on, place, online)
         values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [input.slug, input.kind, input.title, input.description, input.starts_on, input.ends_on, input.place, input.online],
      ))!;
      await writeSessions(tx, row.id, input.sessions);
      await journal(tx, {
        actor: a.actor,
        action: 'roadmap.network.event.create',
        subjectType: 'network_event',
        subjectId: row.id,
        data: { slug: input.slug, sessions: input.sessions.length },
      });
      return row;
    }),
  );
}

async function writeSessions(tx: Tx, eventId: string, sessions: SessionInput[]): Promise<void> {
  await tx.query('delete from network_event_sessions where event_id = $1', [eventId]);
  for (const s of sessions) {
    await tx.query(
      `insert into network_event_sessions (tenant_id, event_id, starts_at, ends_at, title, speakers)
       values (app_tenant(), $1, $2::timestamp at time zone 'Europe/Paris', $3::timestamp at time zone 'Europe/Paris', $4, $5)`,
      [eventId, s.starts_at, s.ends_at, s.title, s.speakers],
    );
  }
}

/** Edits an event and replaces its programme with the sessions given (a session left blank is removed). */
export async function updateEvent(db: Database, a: Actor, slug: string, input: EventInput): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const event = await findEvent(tx, slug);
    if (!event) throw notFound();
    await tx.query('update network_events set kind = $2, title = $3, description = $4, starts_on = $5, ends_on = $6, place = $7, online = $8 where id = $1', [
      event.id,
      input.kind,
      input.title,
      input.description,
      input.starts_on,
      input.ends_on,
      input.place,
      input.online,
    ]);
    await writeSessions(tx, event.id, input.sessions);
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.event.update',
      subjectType: 'network_event',
      subjectId: event.id,
      data: { slug, sessions: input.sessions.length },
    });
  });
}

export async function updateProgramme(db: Database, a: Actor, slug: string, input: { name: string; description: string; link: string }): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const p = await findProgramme(tx, slug);
    if (!p) throw notFound();
    await tx.query('update network_programmes set name = $2, description = $3, link = $4 where id = $1', [p.id, input.name, input.description, input.link]);
    await journal(tx, { actor: a.actor, action: 'roadmap.network.programme.update', subjectType: 'network_programme', subjectId: p.id, data: { slug } });
  });
}

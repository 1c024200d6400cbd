// SQL of public meetings and their registrations.
import type { Tx } from '../../../core/db/database.ts';

export interface MeetingRow {
  id: string;
  debate_id: string;
  title: string;
  format: 'in_person' | 'online' | 'hybrid';
  description: string;
  place: string;
  online_url: string | null;
  starts_at: Date;
  ends_at: Date;
  capacity: number | null;
  registered: number;
  minutes: string | null;
  minutes_published_at: Date | null;
  cancelled: boolean;
  updated_at: Date;
}

const COLUMNS =
  'id, debate_id, title, format, description, place, online_url, starts_at, ends_at, capacity, registered, minutes, minutes_published_at, cancelled, updated_at';

export type NewMeeting = Pick<MeetingRow, 'title' | 'format' | 'description' | 'place' | 'online_url' | 'starts_at' | 'ends_at' | 'capacity'>;

export async function insertMeeting(tx: Tx, debateId: string, m: NewMeeting): Promise<MeetingRow> {
  return (await tx.one<MeetingRow>(
    `insert into debate_meetings (tenant_id, debate_id, title, format, description, place, online_url, starts_at, ends_at, capacity)
     values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [debateId, m.title, m.format, m.description, m.place, m.online_url, m.starts_at, m.ends_at, m.capacity],
  ))!;
}

export async function meetingsOf(tx: Tx, debateId: string): Promise<MeetingRow[]> {
  return tx.query<MeetingRow>(`select ${COLUMNS} from debate_meetings where tenant_id = app_tenant() and debate_id = $1 order by starts_at, id`, [debateId]);
}

export async function findMeeting(tx: Tx, debateId: string, id: string, lock = false): Promise<MeetingRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return tx.one<MeetingRow>(
    `select ${COLUMNS} from debate_meetings where tenant_id = app_tenant() and debate_id = $1 and id = $2${lock ? ' for update' : ''}`,
    [debateId, id],
  );
}

export async function isRegistered(tx: Tx, meetingId: string, personId: string): Promise<boolean> {
  return !!(await tx.one('select 1 from debate_meeting_registrations where tenant_id = app_tenant() and meeting_id = $1 and person_id = $2', [
    meetingId,
    personId,
  ]));
}

/** Registers a person; false when already registered. The caller holds the meeting's row lock. */
export async function insertRegistration(tx: Tx, meetingId: string, personId: string): Promise<boolean> {
  const added = await tx.execute(
    'insert into debate_meeting_registrations (tenant_id, meeting_id, person_id) values (app_tenant(), $1, $2) on conflict do nothing',
    [meetingId, personId],
  );
  if (added) await tx.execute('update debate_meetings set registered = registered + 1 where tenant_id = app_tenant() and id = $1', [meetingId]);
  return added > 0;
}

export async function deleteRegistration(tx: Tx, meetingId: string, personId: string): Promise<boolean> {
  const removed = await tx.execute('delete from debate_meeting_registrations where tenant_id = app_tenant() and meeting_id = $1 and person_id = $2', [
    meetingId,
    personId,
  ]);
  if (removed) await tx.execute('update debate_meetings set registered = registered - 1 where tenant_id = app_tenant() and id = $1', [meetingId]);
  return removed > 0;
}

export async function setMinutes(tx: Tx, meetingId: string, minutes: string): Promise<void> {
  await tx.execute(
    'update debate_meetings set minutes = $2, minutes_published_at = coalesce(minutes_published_at, now()), updated_at = now() where tenant_id = app_tenant() and id = $1',
    [meetingId, minutes],
  );
}

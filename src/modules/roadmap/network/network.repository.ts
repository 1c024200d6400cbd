// Reads of the network's own data (run in the network tenant's transaction: row-level security confines
// them to it) and of its members (tenant_relations, global and public).
import type { Tx } from '../../../core/db/database.ts';

export interface MemberRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
  official_code: string | null;
}
export interface BodyRow {
  id: string;
  slug: string;
  kind: 'board' | 'commission' | 'working_group';
  name: string;
  description: string;
}
export interface SeatRow {
  id: string;
  body_id: string;
  member_tenant_id: string;
  member_slug: string;
  member_name: string;
  seat_role: string;
  holder_name: string;
  holder_title: string;
  since: string | null;
  until: string | null;
}
export interface MeetingRow {
  id: string;
  body_id: string;
  held_on: string;
  title: string;
  place: string;
  agenda: string[];
  minutes: string;
  minutes_public: boolean;
}
export interface ContributionRow {
  id: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  topics: string[];
  state: 'draft' | 'adopted' | 'withdrawn';
  adopted_by: string | null;
  adopted_on: string | null;
  visibility: 'members' | 'public';
}
export interface VersionRow {
  version: number;
  blob_sha256: string;
  file_name: string;
  note: string;
  created_at: Date;
  content_type: string;
  size: number;
}
export interface EndorsementRow {
  member_tenant_id: string;
  member_slug: string;
  member_name: string;
  comment: string;
  endorsed_at: Date;
}
export interface EventRow {
  id: string;
  slug: string;
  kind: string;
  title: string;
  description: string;
  starts_on: string;
  ends_on: string;
  place: string;
  online: boolean;
}
export interface SessionRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  title: string;
  speakers: string;
}
export interface ProgrammeRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  link: string;
}

const DATE = (column: string) => `to_char(${column}, 'YYYY-MM-DD') as ${column.split('.').pop()}`;

export async function listMembers(tx: Tx, networkId: string): Promise<MemberRow[]> {
  return tx.query<MemberRow>(
    `select t.id, t.slug, t.name, t.kind, t.official_code from tenant_relations r join tenants t on t.id = r.tenant_id
     where r.related_tenant_id = $1 and r.kind = 'network_member' order by t.name`,
    [networkId],
  );
}

export async function isMember(tx: Tx, networkId: string, tenantId: string): Promise<boolean> {
  return !!(await tx.one(`select 1 from tenant_relations where tenant_id = $1 and related_tenant_id = $2 and kind = 'network_member'`, [tenantId, networkId]));
}

/** The networks this collectivité belongs to. */
export async function networksOf(tx: Tx, tenantId: string): Promise<MemberRow[]> {
  return tx.query<MemberRow>(
    `select t.id, t.slug, t.name, t.kind, t.official_code from tenant_relations r join tenants t on t.id = r.related_tenant_id
     where r.tenant_id = $1 and r.kind = 'network_member' order by t.name`,
    [tenantId],
  );
}

export async function listBodies(tx: Tx): Promise<BodyRow[]> {
  return tx.query<BodyRow>(`select id, slug, kind, name, description from network_bodies order by kind, name`);
}

export async function findBody(tx: Tx, slug: string): Promise<BodyRow | null> {
  return tx.one<BodyRow>(`select id, slug, kind, name, description from network_bodies where slug = $1`, [slug]);
}

export async function listSeats(tx: Tx, bodyId?: string): Promise<SeatRow[]> {
  return tx.query<SeatRow>(
    `select s.id, s.body_id, s.member_tenant_id, t.slug as member_slug, t.name as member_name, s.seat_role, s.holder_name, s.holder_title,
            ${DATE('s.since')}, ${DATE('s.until')}
     from network_seats s join tenants t on t.id = s.member_tenant_id
     where $1::uuid is null or s.body_id = $1 order by s.seat_role, t.name`,
    [bodyId ?? null],
  );
}

export async function listMeetings(tx: Tx, bodyId?: string): Promise<MeetingRow[]> {
  return tx.query<MeetingRow>(
    `select id, body_id, ${DATE('held_on')}, title, place, agenda, minutes, minutes_public from network_meetings
     where $1::uuid is null or body_id = $1 order by held_on desc`,
    [bodyId ?? null],
  );
}

export async function findMeeting(tx: Tx, id: string): Promise<MeetingRow | null> {
  return tx.one<MeetingRow>(`select id, body_id, ${DATE('held_on')}, title, place, agenda, minutes, minutes_public from network_meetings where id = $1`, [id]);
}

const CONTRIBUTION = `id, slug, title, summary, body, topics, state, adopted_by, ${DATE('adopted_on')}, visibility`;

export async function listContributions(tx: Tx): Promise<ContributionRow[]> {
  return tx.query<ContributionRow>(`select ${CONTRIBUTION} from network_contributions order by adopted_on desc nulls last, title`);
}

export async function findContribution(tx: Tx, key: { slug?: string; id?: string }): Promise<ContributionRow | null> {
  return key.id
    ? tx.one<ContributionRow>(`select ${CONTRIBUTION} from network_contributions where id = $1`, [key.id])
    : tx.one<ContributionRow>(`select ${CONTRIBUTION} from network_contributions where slug = $1`, [key.slug]);
}

export async function listVersions(tx: Tx, contributionId: string): Promise<VersionRow[]> {
  return tx.query<VersionRow>(
    `select v.version, v.blob_sha256, v.file_name, v.note, v.created_at, b.content_type, b.size::int as size
     from network_contribution_versions v join blobs b on b.tenant_id = v.tenant_id and b.sha256 = v.blob_sha256
     where v.contribution_id = $1 order by v.version desc`,
    [contributionId],
  );
}

export async function listEndorsements(tx: Tx, contributionId: string): Promise<EndorsementRow[]> {
  return tx.query<EndorsementRow>(
    `select e.member_tenant_id, t.slug as member_slug, t.name as member_name, e.comment, e.endorsed_at
     from network_endorsements e join tenants t on t.id = e.member_tenant_id
     where e.contribution_id = $1 order by e.endorsed_at`,
    [contributionId],
  );
}

export async function listEvents(tx: Tx): Promise<EventRow[]> {
  return tx.query<EventRow>(
    `select id, slug, kind, title, description, ${DATE('starts_on')}, ${DATE('ends_on')}, place, online from network_events order by starts_on desc`,
  );
}

export async function findEvent(tx: Tx, slug: string): Promise<EventRow | null> {
  return tx.one<EventRow>(
    `select id, slug, kind, title, description, ${DATE('starts_on')}, ${DATE('ends_on')}, place, online from network_events where slug = $1`,
    [slug],
  );
}

export async function listSessions(tx: Tx, eventId: string): Promise<SessionRow[]> {
  return tx.query<SessionRow>(`select id, starts_at, ends_at, title, speakers from network_event_sessions where event_id = $1 order by starts_at`, [eventId]);
}

export async function listProgrammes(tx: Tx): Promise<ProgrammeRow[]> {
  return tx.query<ProgrammeRow>(`select id, slug, name, description, link from network_programmes order by name`);
}

export async function findSeat(tx: Tx, id: string): Promise<SeatRow | null> {
  return tx.one<SeatRow>(
    `select s.id, s.body_id, s.member_tenant_id, t.slug as member_slug, t.name as member_name, s.seat_role, s.holder_name, s.holder_title,
            ${DATE('s.since')}, ${DATE('s.until')}
     from network_seats s join tenants t on t.id = s.member_tenant_id where s.id = $1`,
    [id],
  );
}

export async function findProgramme(tx: Tx, slug: string): Promise<ProgrammeRow | null> {
  return tx.one<ProgrammeRow>(`select id, slug, name, description, link from network_programmes where slug = $1`, [slug]);
}

/** The programme of an event as the form shows it: local times in Europe/Paris, "YYYY-MM-DDTHH:MM". */
export async function listSessionsLocal(
  tx: Tx,
  eventId: string,
): Promise<Array<{ id: string; starts_at: string; ends_at: string; title: string; speakers: string }>> {
  return tx.query(
    `select id, to_char(starts_at at time zone 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') as starts_at,
            to_char(ends_at at time zone 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') as ends_at, title, speakers
     from network_event_sessions where event_id = $1 order by starts_at`,
    [eventId],
  );
}

// SQL of the team's pages on a debate: its setup and phases, its FAQ and questions to ask (ordered lists),
// its meetings (create, edit, cancel) and its documents (an upload, a link, a catalogue dataset). Every
// query runs in a transaction scoped to one collectivité (row-level security); the debate was found (and
// locked) by the caller in the same transaction.
import type { Tx } from '../../../core/db/database.ts';
import type { DebateStatus } from '../debates.repository.ts';
import type { MeetingRow, NewMeeting } from './meetings.repository.ts';

export async function updateDebateSetup(
  tx: Tx,
  debateId: string,
  d: { title: string; presentation: string; charter: string; status: DebateStatus; moderation: 'pre' | 'post' },
): Promise<void> {
  await tx.execute(
    `update debates set title = $2, presentation = $3, charter = $4, status = $5, moderation = $6, updated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [debateId, d.title, d.presentation, d.charter, d.status, d.moderation],
  );
}

/** Moves every phase's dates and texts at once (a check on each row: ends_on >= starts_on). */
export async function updatePhases(
  tx: Tx,
  debateId: string,
  phases: Array<{ id: string; title: string; summary: string; starts_on: string; ends_on: string }>,
): Promise<void> {
  if (!phases.length) return;
  await tx.execute(
    `update debate_phases p set title = x.title, summary = x.summary, starts_on = x.starts_on::date, ends_on = x.ends_on::date
     from jsonb_to_recordset($2::jsonb) as x(id uuid, title text, summary text, starts_on text, ends_on text)
     where p.tenant_id = app_tenant() and p.debate_id = $1 and p.id = x.id`,
    [debateId, JSON.stringify(phases)],
  );
}

// ---- Ordered lists: the FAQ (question, answer) and the questions to ask (addressee, text).

export type ListKind = 'faq' | 'questions';
export const LIST_TABLES: Record<ListKind, { table: string; fields: readonly [string, string] }> = {
  faq: { table: 'debate_faq', fields: ['question', 'answer'] },
  questions: { table: 'debate_questions', fields: ['addressee', 'text'] },
};

export interface ListItem {
  id: string;
  position: number;
  a: string;
  b: string;
}

export async function listItems(tx: Tx, kind: ListKind, debateId: string): Promise<ListItem[]> {
  const { table, fields } = LIST_TABLES[kind];
  return tx.query<ListItem>(
    `select id, position, ${fields[0]} as a, ${fields[1]} as b from ${table} where tenant_id = app_tenant() and debate_id = $1 order by position, id`,
    [debateId],
  );
}

export async function insertItem(tx: Tx, kind: ListKind, debateId: string, a: string, b: string): Promise<string> {
  const { table, fields } = LIST_TABLES[kind];
  return (await tx.one<{ id: string }>(
    `insert into ${table} (tenant_id, debate_id, position, ${fields[0]}, ${fields[1]})
     select app_tenant(), $1, coalesce(max(position) + 1, 0), $2, $3 from ${table} where tenant_id = app_tenant() and debate_id = $1
     returning id`,
    [debateId, a, b],
  ))!.id;
}

export async function updateItem(tx: Tx, kind: ListKind, debateId: string, id: string, a: string, b: string): Promise<boolean> {
  const { table, fields } = LIST_TABLES[kind];
  return (
    (await tx.execute(`update ${table} set ${fields[0]} = $3, ${fields[1]} = $4 where tenant_id = app_tenant() and debate_id = $1 and id = $2`, [
      debateId,
      id,
      a,
      b,
    ])) > 0
  );
}

export async function deleteItem(tx: Tx, kind: ListKind, debateId: string, id: string): Promise<boolean> {
  const { table } = LIST_TABLES[kind];
  return (await tx.execute(`delete from ${table} where tenant_id = app_tenant() and debate_id = $1 and id = $2`, [debateId, id])) > 0;
}

/** Writes positions 0…n-1 in the order given (ids of this debate's list). */
export async function renumber(tx: Tx, kind: ListKind, debateId: string, ids: string[]): Promise<void> {
  const { table } = LIST_TABLES[kind];
  await tx.execute(
    `update ${table} t set position = x.ordinality - 1
     from unnest($2::uuid[]) with ordinality as x(id, ordinality)
     where t.tenant_id = app_tenant() and t.debate_id = $1 and t.id = x.id`,
    [debateId, ids],
  );
}

// ---- Meetings.

export async function updateMeeting(tx: Tx, meetingId: string, m: NewMeeting): Promise<void> {
  await tx.execute(
    `update debate_meetings set title = $2, format = $3, description = $4, place = $5, online_url = $6, starts_at = $7, ends_at = $8, capacity = $9,
       updated_at = now() where tenant_id = app_tenant() and id = $1`,
    [meetingId, m.title, m.format, m.description, m.place, m.online_url, m.starts_at, m.ends_at, m.capacity],
  );
}

export async function setMeetingCancelled(tx: Tx, meetingId: string, cancelled: boolean): Promise<void> {
  await tx.execute('update debate_meetings set cancelled = $2, updated_at = now() where tenant_id = app_tenant() and id = $1', [meetingId, cancelled]);
}

export type { MeetingRow };

// ---- Documents: an uploaded file (a blob of the collectivité), a link, or a linked catalogue dataset.

export interface DocumentRow {
  id: string;
  title: string;
  publisher: string;
  url: string | null;
  blob_sha256: string | null;
  filename: string | null;
  media_type: string | null;
  byte_size: number | null;
  dataset_slug: string | null;
}

const DOCUMENT_COLUMNS = 'id, title, publisher, url, blob_sha256, filename, media_type, byte_size::float8 as byte_size, dataset_slug';

export async function documentsOf(tx: Tx, debateId: string): Promise<DocumentRow[]> {
  return tx.query<DocumentRow>(
    `select ${DOCUMENT_COLUMNS} from debate_documents where tenant_id = app_tenant() and debate_id = $1 order by position, created_at`,
    [debateId],
  );
}

export async function findDocument(tx: Tx, debateId: string, id: string): Promise<DocumentRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return tx.one<DocumentRow>(`select ${DOCUMENT_COLUMNS} from debate_documents where tenant_id = app_tenant() and debate_id = $1 and id = $2`, [debateId, id]);
}

export async function countDocuments(tx: Tx, debateId: string): Promise<number> {
  return (await tx.one<{ n: number }>('select count(*)::int as n from debate_documents where tenant_id = app_tenant() and debate_id = $1', [debateId]))!.n;
}

export async function insertDocument(tx: Tx, debateId: string, d: Partial<Omit<DocumentRow, 'id'>> & { title: string }): Promise<string> {
  return (await tx.one<{ id: string }>(
    `insert into debate_documents (tenant_id, debate_id, position, title, publisher, url, blob_sha256, filename, media_type, byte_size, dataset_slug)
     select app_tenant(), $1, least(coalesce(max(position) + 1, 0), 999), $2, $3, $4, $5, $6, $7, $8, $9
       from debate_documents where tenant_id = app_tenant() and debate_id = $1
     returning id`,
    [
      debateId,
      d.title,
      d.publisher ?? '',
      d.url ?? null,
      d.blob_sha256 ?? null,
      d.filename ?? null,
      d.media_type ?? null,
      d.byte_size ?? null,
      d.dataset_slug ?? null,
    ],
  ))!.id;
}

export async function deleteDocument(tx: Tx, debateId: string, id: string): Promise<DocumentRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return tx.one<DocumentRow>(`delete from debate_documents where tenant_id = app_tenant() and debate_id = $1 and id = $2 returning ${DOCUMENT_COLUMNS}`, [
    debateId,
    id,
  ]);
}

export async function datasetLinked(tx: Tx, debateId: string, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from debate_documents where tenant_id = app_tenant() and debate_id = $1 and dataset_slug = $2', [debateId, slug]));
}

/** The dataset slots of a debate (the radio sites), with what was loaded. */
export async function datasetSlots(
  tx: Tx,
  debateId: string,
): Promise<Array<{ dataset_key: string; title: string; layout: string; row_count: number; loaded_at: Date | null; source_note: string }>> {
  return tx.query(
    'select dataset_key, title, layout, row_count, loaded_at, source_note from debate_datasets where tenant_id = app_tenant() and debate_id = $1 order by dataset_key',
    [debateId],
  );
}

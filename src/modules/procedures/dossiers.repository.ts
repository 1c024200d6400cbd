// SQL of dossiers, their history and messages. Every function takes the caller's transaction.
import type { Tx } from '../../core/db/database.ts';
import type { DossierState } from './dossier-states.ts';
import type { Answers } from './fields/conditions.ts';

export interface DossierRow {
  id: string;
  number: number;
  procedure_id: string;
  revision: number;
  state: DossierState;
  group_id: string | null;
  assignee_id: string | null;
  labels: string[];
  applicant_person_id: string | null;
  applicant_email: string | null;
  mediation: Record<string, unknown> | null;
  data: Answers;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  instructed_at: Date | null;
  decided_at: Date | null;
  motivation: string | null;
}

export const DOSSIER_COLUMNS = `id, number, procedure_id, revision, state, group_id, assignee_id, labels, applicant_person_id,
  applicant_email, mediation, data, idempotency_key, created_at, updated_at, submitted_at, instructed_at, decided_at, motivation`;

export interface NewDossier {
  id: string;
  procedureId: string;
  revision: number;
  state: DossierState;
  groupId: string | null;
  applicantPersonId: string | null;
  applicantEmail: string | null;
  mediation: Record<string, unknown> | null;
  data: Answers;
  searchText: string;
  trackingCodeHash: string | null;
  idempotencyKey: string | null;
}

/** What a filing writes with its dossier, in the same statement: its journal entry and its jobs. */
export interface FilingRecords {
  /** The journal actor, also the actor of the first history step. */
  actor: string;
  /** The journal entry (its `data` gets the dossier's `number`, known only once inserted). */
  journal: { id: string; action: string; data: Record<string, unknown> };
  /** Jobs to queue, with the same defaults as `enqueue()` (8 attempts, now, no unique key). */
  jobs: Array<{ kind: string; payload: Record<string, unknown> }>;
}

/**
 * Inserts dossiers, the first step of each one's history, their journal entries and their jobs in one
 * statement, however many dossiers (one round trip for a whole batch of filings, see submit-dossier.ts).
 * A dossier whose idempotency key was already used (or is used twice in the batch) is skipped and is
 * missing from the result: the caller then loads the first dossier filed with that key. The caller
 * nudges the job runner after commit.
 */
export async function insertDossiers(tx: Tx, filings: Array<{ dossier: NewDossier; records: FilingRecords }>): Promise<DossierRow[]> {
  if (filings.length === 0) return [];
  const input = filings.map(({ dossier: d, records: r }, ord) => ({
    ord,
    id: d.id,
    procedure_id: d.procedureId,
    revision: d.revision,
    state: d.state,
    group_id: d.groupId,
    applicant_person_id: d.applicantPersonId,
    applicant_email: d.applicantEmail,
    mediation: d.mediation,
    data: d.data,
    search_text: d.searchText,
    tracking_code_hash: d.trackingCodeHash,
    idempotency_key: d.idempotencyKey,
    actor: r.actor,
    journal_id: r.journal.id,
    journal_action: r.journal.action,
    journal_data: r.journal.data,
    jobs: r.jobs,
  }));
  return tx.query<DossierRow>(
    `with input as (
       select * from jsonb_to_recordset($1::jsonb) as i (ord int, id uuid, procedure_id uuid, revision int, state text,
         group_id uuid, applicant_person_id uuid, applicant_email text, mediation jsonb, data jsonb, search_text text,
         tracking_code_hash text, idempotency_key text, actor text, journal_id uuid, journal_action text, journal_data jsonb, jobs jsonb)
     ), d as (
       insert into dossiers (tenant_id, id, procedure_id, revision, state, group_id, applicant_person_id, applicant_email, mediation,
         data, search, tracking_code_hash, idempotency_key, submitted_at)
       select app_tenant(), id, procedure_id, revision, state, group_id, applicant_person_id, applicant_email, mediation,
         data, to_tsvector('french_unaccent', search_text), tracking_code_hash, idempotency_key,
         case when state = 'brouillon' then null else now() end
       from input order by ord
       on conflict (tenant_id, idempotency_key) do nothing
       returning ${DOSSIER_COLUMNS}
     ), history as (
       insert into dossier_transitions (tenant_id, dossier_id, seq, from_state, to_state, actor)
       select app_tenant(), d.id, 1, null, d.state, i.actor from d join input i on i.id = d.id
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), i.journal_id, now(), i.actor, i.journal_action, 'dossier', d.id::text,
         i.journal_data || jsonb_build_object('number', d.number)
       from d join input i on i.id = d.id order by i.ord
     ), queued as (
       insert into jobs (tenant_id, kind, payload)
       select app_tenant(), j.kind, j.payload
       from d join input i on i.id = d.id, jsonb_to_recordset(i.jobs) as j (kind text, payload jsonb) order by i.ord
     )
     select * from d`,
    [JSON.stringify(input)],
  );
}

export async function findDossierByIdempotencyKey(tx: Tx, key: string): Promise<DossierRow | null> {
  return tx.one<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and idempotency_key = $1`, [key]);
}

export async function findDossierByNumber(tx: Tx, number: number, options: { lock?: boolean } = {}): Promise<DossierRow | null> {
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return tx.one<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and number = $1${options.lock ? ' for update' : ''}`, [
    number,
  ]);
}

export async function findDossierById(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<DossierRow | null> {
  return tx.one<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and id = $1${options.lock ? ' for update' : ''}`, [id]);
}

/** A guest's dossier by number and the hash of its private tracking code. */
export async function findDossierByTrackingCode(tx: Tx, number: number, codeHash: string): Promise<DossierRow | null> {
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return tx.one<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and number = $1 and tracking_code_hash = $2`, [
    number,
    codeHash,
  ]);
}

/** Moves a dossier to `to` and records the step in its history. The caller checked legality and locked the row. */
export async function applyTransition(tx: Tx, d: DossierRow, to: DossierState, actor: string, motivation: string | null): Promise<DossierRow> {
  const decided = to === 'accepte' || to === 'refuse' || to === 'sans_suite';
  const row = await tx.one<DossierRow>(
    `update dossiers set state = $2, updated_at = now(),
       submitted_at = case when $2 = 'en_construction' then coalesce(submitted_at, now()) else submitted_at end,
       instructed_at = case when $2 = 'en_instruction' then now() else instructed_at end,
       decided_at = case when $3 then now() when $2 = 'en_instruction' then null else decided_at end,
       motivation = case when $3 then $4 when $2 = 'en_instruction' then null else motivation end
     where tenant_id = app_tenant() and id = $1 returning ${DOSSIER_COLUMNS}`,
    [d.id, to, decided, motivation],
  );
  await insertTransition(tx, d.id, d.state, to, actor, motivation);
  return row!;
}

export async function insertTransition(
  tx: Tx,
  dossierId: string,
  from: DossierState | null,
  to: DossierState,
  actor: string,
  motivation: string | null,
): Promise<void> {
  await tx.query(
    `insert into dossier_transitions (tenant_id, dossier_id, seq, from_state, to_state, actor, motivation)
     values (app_tenant(), $1, coalesce((select max(seq) from dossier_transitions where tenant_id = app_tenant() and dossier_id = $1), 0) + 1, $2, $3, $4, $5)`,
    [dossierId, from, to, actor, motivation],
  );
}

export interface TransitionRow {
  seq: number;
  from_state: DossierState | null;
  to_state: DossierState;
  actor: string;
  motivation: string | null;
  at: Date;
}

export async function listTransitions(tx: Tx, dossierId: string): Promise<TransitionRow[]> {
  return tx.query<TransitionRow>(
    `select seq, from_state, to_state, actor, motivation, at from dossier_transitions
     where tenant_id = app_tenant() and dossier_id = $1 order by seq`,
    [dossierId],
  );
}

export interface MessageRow {
  id: string;
  author: string;
  author_kind: 'agent' | 'citizen' | 'system';
  visibility: 'public' | 'private';
  body: string;
  created_at: Date;
}

export async function insertMessage(tx: Tx, dossierId: string, m: Omit<MessageRow, 'id' | 'created_at'>): Promise<MessageRow> {
  return (await tx.one<MessageRow>(
    `insert into dossier_messages (tenant_id, dossier_id, author, author_kind, visibility, body)
     values (app_tenant(), $1, $2, $3, $4, $5) returning id, author, author_kind, visibility, body, created_at`,
    [dossierId, m.author, m.author_kind, m.visibility, m.body],
  ))!;
}

export async function listMessages(tx: Tx, dossierId: string, options: { includePrivate: boolean }): Promise<MessageRow[]> {
  return tx.query<MessageRow>(
    `select id, author, author_kind, visibility, body, created_at from dossier_messages
     where tenant_id = app_tenant() and dossier_id = $1 ${options.includePrivate ? '' : "and visibility = 'public'"} order by created_at, id`,
    [dossierId],
  );
}

export interface AttachmentRow {
  id: string;
  field_key: string | null;
  message_id: string | null;
  sha256: string;
  filename: string;
  size: number;
  content_type: string;
  created_at: Date;
}

export async function insertAttachment(
  tx: Tx,
  dossierId: string,
  a: { fieldKey?: string | null; messageId?: string | null; sha256: string; filename: string; size: number; contentType: string },
): Promise<void> {
  await tx.query(
    `insert into dossier_attachments (tenant_id, dossier_id, field_key, message_id, sha256, filename, size, content_type)
     values (app_tenant(), $1, $2, $3, $4, $5, $6, $7)`,
    [dossierId, a.fieldKey ?? null, a.messageId ?? null, a.sha256, a.filename, a.size, a.contentType],
  );
}

export async function listAttachments(tx: Tx, dossierId: string): Promise<AttachmentRow[]> {
  return tx.query<AttachmentRow>(
    `select id, field_key, message_id, sha256, filename, size, content_type, created_at from dossier_attachments
     where tenant_id = app_tenant() and dossier_id = $1 order by created_at, id`,
    [dossierId],
  );
}

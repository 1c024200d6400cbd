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
  /** The journal entry (its `data` gets the dossier's `number`, known only once inserted). */
  journal: { id: string; action: string; data: Record<string, unknown> };
  /** Jobs to queue, with the same defaults as `enqueue()` (8 attempts, now, no unique key). */
  jobs: Array<{ kind: string; payload: Record<string, unknown> }>;
}

/**
 * Inserts the dossier, the first step of its history, its journal entry and its jobs in one statement
 * (one round trip on the hot path of submissions), or nothing and returns null when the idempotency key
 * was already used (the caller then loads that dossier). The caller nudges the job runner after commit.
 */
export async function insertDossier(tx: Tx, d: NewDossier, actor: string, records: FilingRecords): Promise<DossierRow | null> {
  return tx.one<DossierRow>(
    `with d as (
       insert into dossiers (tenant_id, id, procedure_id, revision, state, group_id, applicant_person_id, applicant_email, mediation,
         data, search, tracking_code_hash, idempotency_key, submitted_at)
       values (app_tenant(), $12, $1, $2, $3, $4, $5, $6, $7, $8, to_tsvector('french_unaccent', $9), $10, $11,
         case when $3 = 'brouillon' then null else now() end)
       on conflict (tenant_id, idempotency_key) do nothing
       returning ${DOSSIER_COLUMNS}
     ), history as (
       insert into dossier_transitions (tenant_id, dossier_id, seq, from_state, to_state, actor)
       select app_tenant(), id, 1, null, state, $13 from d
     ), entry as (
       insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
       select app_tenant(), $14, now(), $13, $15, 'dossier', id::text, $16::jsonb || jsonb_build_object('number', number) from d
     ), queued as (
       insert into jobs (tenant_id, kind, payload)
       select app_tenant(), j.kind, j.payload from d, jsonb_to_recordset($17::jsonb) as j (kind text, payload jsonb)
     )
     select * from d`,
    [d.procedureId, d.revision, d.state, d.groupId, d.applicantPersonId, d.applicantEmail,
      d.mediation ? JSON.stringify(d.mediation) : null, JSON.stringify(d.data), d.searchText, d.trackingCodeHash, d.idempotencyKey, d.id, actor,
      records.journal.id, records.journal.action, JSON.stringify(records.journal.data), JSON.stringify(records.jobs)]);
}

export async function findDossierByIdempotencyKey(tx: Tx, key: string): Promise<DossierRow | null> {
  return tx.one<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and idempotency_key = $1`, [key]);
}

export async function findDossierByNumber(tx: Tx, number: number, options: { lock?: boolean } = {}): Promise<DossierRow | null> {
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return tx.one<DossierRow>(
    `select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and number = $1${options.lock ? ' for update' : ''}`, [number]);
}

export async function findDossierById(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<DossierRow | null> {
  return tx.one<DossierRow>(
    `select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and id = $1${options.lock ? ' for update' : ''}`, [id]);
}

/** A guest's dossier by number and the hash of its private tracking code. */
export async function findDossierByTrackingCode(tx: Tx, number: number, codeHash: string): Promise<DossierRow | null> {
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return tx.one<DossierRow>(
    `select ${DOSSIER_COLUMNS} from dossiers where tenant_id = app_tenant() and number = $1 and tracking_code_hash = $2`, [number, codeHash]);
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
    [d.id, to, decided, motivation]);
  await insertTransition(tx, d.id, d.state, to, actor, motivation);
  return row!;
}

export async function insertTransition(tx: Tx, dossierId: string, from: DossierState | null, to: DossierState, actor: string, motivation: string | null): Promise<void> {
  await tx.query(
    `insert into dossier_transitions (tenant_id, dossier_id, seq, from_state, to_state, actor, motivation)
     values (app_tenant(), $1, coalesce((select max(seq) from dossier_transitions where tenant_id = app_tenant() and dossier_id = $1), 0) + 1, $2, $3, $4, $5)`,
    [dossierId, from, to, actor, motivation]);
}

export interface TransitionRow { seq: number; from_state: DossierState | null; to_state: DossierState; actor: string; motivation: string | null; at: Date }

export async function listTransitions(tx: Tx, dossierId: string): Promise<TransitionRow[]> {
  return tx.query<TransitionRow>(
    `select seq, from_state, to_state, actor, motivation, at from dossier_transitions
     where tenant_id = app_tenant() and dossier_id = $1 order by seq`, [dossierId]);
}

export interface MessageRow { id: string; author: string; author_kind: 'agent' | 'citizen' | 'system'; visibility: 'public' | 'private'; body: string; created_at: Date }

export async function insertMessage(tx: Tx, dossierId: string, m: Omit<MessageRow, 'id' | 'created_at'>): Promise<MessageRow> {
  return (await tx.one<MessageRow>(
    `insert into dossier_messages (tenant_id, dossier_id, author, author_kind, visibility, body)
     values (app_tenant(), $1, $2, $3, $4, $5) returning id, author, author_kind, visibility, body, created_at`,
    [dossierId, m.author, m.author_kind, m.visibility, m.body]))!;
}

export async function listMessages(tx: Tx, dossierId: string, options: { includePrivate: boolean }): Promise<MessageRow[]> {
  return tx.query<MessageRow>(
    `select id, author, author_kind, visibility, body, created_at from dossier_messages
     where tenant_id = app_tenant() and dossier_id = $1 ${options.includePrivate ? '' : "and visibility = 'public'"} order by created_at, id`, [dossierId]);
}

export interface AttachmentRow { id: string; field_key: string | null; message_id: string | null; sha256: string; filename: string; size: number; content_type: string; created_at: Date }

export async function insertAttachment(tx: Tx, dossierId: string, a: { fieldKey?: string | null; messageId?: string | null; sha256: string; filename: string; size: number; contentType: string }): Promise<void> {
  await tx.query(
    `insert into dossier_attachments (tenant_id, dossier_id, field_key, message_id, sha256, filename, size, content_type)
     values (app_tenant(), $1, $2, $3, $4, $5, $6, $7)`,
    [dossierId, a.fieldKey ?? null, a.messageId ?? null, a.sha256, a.filename, a.size, a.contentType]);
}

export async function listAttachments(tx: Tx, dossierId: string): Promise<AttachmentRow[]> {
  return tx.query<AttachmentRow>(
    `select id, field_key, message_id, sha256, filename, size, content_type, created_at from dossier_attachments
     where tenant_id = app_tenant() and dossier_id = $1 order by created_at, id`, [dossierId]);
}

// SQL of debates and their phases. Contributions, comments and supports: contributions.repository.ts;
// moderation (reports, blocks, charter, queue): moderation.repository.ts. Every query runs in a transaction
// scoped to one collectivité (row-level security); `app_tenant()` is written out so indexes lead with it.
//
// Exported (index.ts) for the kits part: insertDebate, insertPhases, findDebate, phasesOf, listDebates.
import type { Tx } from '../../core/db/database.ts';
import type { PhaseKind } from './debates.schema.ts';

export type DebateStatus = 'draft' | 'published' | 'closed';

export interface DebateRow {
  id: string;
  slug: string;
  title: string;
  presentation: string;
  status: DebateStatus;
  moderation: 'pre' | 'post';
  charter: string;
  origin: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

export interface PhaseRow {
  id: string;
  debate_id: string;
  position: number;
  kind: PhaseKind;
  title: string;
  description: string;
  summary: string;
  /** YYYY-MM-DD (days in the collectivité's time). */
  starts_on: string;
  ends_on: string;
}

export interface NewDebate {
  slug: string;
  title: string;
  presentation: string;
  status: DebateStatus;
  moderation: 'pre' | 'post';
  charter: string;
  origin: Record<string, unknown> | null;
}

export type NewPhase = Omit<PhaseRow, 'id' | 'debate_id'>;

const DEBATE_COLUMNS = 'id, slug, title, presentation, status, moderation, charter, origin, created_at, updated_at';
const PHASE_COLUMNS = 'id, debate_id, position, kind, title, description, summary, starts_on::text as starts_on, ends_on::text as ends_on';

export async function insertDebate(tx: Tx, d: NewDebate): Promise<DebateRow> {
  return (await tx.one<DebateRow>(
    `insert into debates (tenant_id, slug, title, presentation, status, moderation, charter, origin)
     values (app_tenant(), $1, $2, $3, $4, $5, $6, $7) returning ${DEBATE_COLUMNS}`,
    [d.slug, d.title, d.presentation, d.status, d.moderation, d.charter, d.origin === null ? null : JSON.stringify(d.origin)],
  ))!;
}

export async function insertPhases(tx: Tx, debateId: string, phases: NewPhase[]): Promise<PhaseRow[]> {
  if (!phases.length) return [];
  return tx.query<PhaseRow>(
    `insert into debate_phases (tenant_id, debate_id, position, kind, title, description, summary, starts_on, ends_on)
     select app_tenant(), $1, p.position, p.kind, p.title, p.description, p.summary, p.starts_on::date, p.ends_on::date
     from jsonb_to_recordset($2::jsonb) as p(position int, kind text, title text, description text, summary text, starts_on text, ends_on text)
     returning ${PHASE_COLUMNS}`,
    [debateId, JSON.stringify(phases)],
  );
}

export async function slugTaken(tx: Tx, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from debates where tenant_id = app_tenant() and slug = $1', [slug]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A debate by slug or id (`lock`: for update, so that moderation and contributions see one state). */
export async function findDebate(tx: Tx, ref: string, options: { lock?: boolean; share?: boolean } = {}): Promise<DebateRow | null> {
  const by = UUID.test(ref) ? 'id = $1::uuid' : 'slug = $1';
  const lock = options.lock ? ' for update' : options.share ? ' for share' : '';
  return tx.one<DebateRow>(`select ${DEBATE_COLUMNS} from debates where tenant_id = app_tenant() and ${by}${lock}`, [ref]);
}

export async function listDebates(tx: Tx, options: { publicOnly: boolean }): Promise<DebateRow[]> {
  return tx.query<DebateRow>(
    `select ${DEBATE_COLUMNS} from debates where tenant_id = app_tenant() ${options.publicOnly ? "and status <> 'draft'" : ''}
     order by created_at desc limit 500`,
  );
}

export async function phasesOf(tx: Tx, debateId: string): Promise<PhaseRow[]> {
  return tx.query<PhaseRow>(`select ${PHASE_COLUMNS} from debate_phases where tenant_id = app_tenant() and debate_id = $1 order by position`, [debateId]);
}

/** Phases of several debates at once (the list page). */
export async function phasesOfDebates(tx: Tx, debateIds: string[]): Promise<PhaseRow[]> {
  if (!debateIds.length) return [];
  return tx.query<PhaseRow>(
    `select ${PHASE_COLUMNS} from debate_phases where tenant_id = app_tenant() and debate_id = any($1::uuid[]) order by debate_id, position`,
    [debateIds],
  );
}

export async function touchDebate(tx: Tx, debateId: string): Promise<void> {
  await tx.execute('update debates set updated_at = now() where tenant_id = app_tenant() and id = $1', [debateId]);
}

export async function setDebateStatus(tx: Tx, debateId: string, status: DebateStatus): Promise<void> {
  await tx.execute('update debates set status = $2, updated_at = now() where tenant_id = app_tenant() and id = $1', [debateId, status]);
}

// SQL of procedures and their revisions. Every function takes the caller's transaction (RLS-scoped).
import type { Tx } from '../../core/db/database.ts';
import { isUuid } from '../../core/db/ids.ts';
import type { Condition, ProcedureDefinition } from './fields/definition.ts';

export interface ProcedureRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  state: 'draft' | 'published' | 'closed';
  draft_definition: ProcedureDefinition;
  current_revision: number | null;
  settings: Record<string, unknown>;
  origin: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

export interface RevisionRow {
  procedure_id: string;
  revision: number;
  definition: ProcedureDefinition;
  published_at: Date;
  published_by: string;
}

const COLUMNS = 'id, slug, title, description, state, draft_definition, current_revision, settings, origin, created_at, updated_at';

/** By id or slug. `lock` takes the row for update (publishing, editing). */
export async function findProcedure(tx: Tx, ref: string, options: { lock?: boolean } = {}): Promise<ProcedureRow | null> {
  const by = isUuid(ref) ? 'id = $1::uuid' : 'slug = $1';
  return tx.one<ProcedureRow>(`select ${COLUMNS} from procedures where tenant_id = app_tenant() and ${by}${options.lock ? ' for update' : ''}`, [ref]);
}

/**
 * A procedure with its routing rules in one round trip (filing is the hot path). Rules are ordered by
 * position; `group_id` is the group of the first rule whose condition holds.
 */
export async function findProcedureForFiling(
  tx: Tx,
  ref: string,
): Promise<(ProcedureRow & { rules: Array<{ condition: Condition; group_id: string }> }) | null> {
  const by = isUuid(ref) ? 'p.id = $1::uuid' : 'p.slug = $1';
  return tx.one(
    `select ${COLUMNS.split(', ')
      .map((c) => `p.${c}`)
      .join(', ')},
       coalesce((select json_agg(json_build_object('condition', r.condition, 'group_id', r.group_id) order by r.position)
                 from routing_rules r where r.tenant_id = p.tenant_id and r.procedure_id = p.id), '[]') as rules
     from procedures p where p.tenant_id = app_tenant() and ${by}`,
    [ref],
  );
}

export async function listProcedures(tx: Tx, options: { publishedOnly: boolean }): Promise<ProcedureRow[]> {
  return tx.query<ProcedureRow>(
    `select ${COLUMNS} from procedures where tenant_id = app_tenant() ${options.publishedOnly ? "and state = 'published'" : ''} order by title`,
  );
}

export async function slugTaken(tx: Tx, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from procedures where tenant_id = app_tenant() and slug = $1', [slug]));
}

export async function insertProcedure(
  tx: Tx,
  input: { slug: string; definition: ProcedureDefinition; origin?: Record<string, unknown> | null; settings?: Record<string, unknown> },
): Promise<ProcedureRow> {
  return (await tx.one<ProcedureRow>(
    `insert into procedures (tenant_id, slug, title, description, draft_definition, origin, settings)
     values (app_tenant(), $1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [
      input.slug,
      input.definition.title,
      input.definition.description ?? '',
      JSON.stringify(input.definition),
      input.origin ? JSON.stringify(input.origin) : null,
      JSON.stringify(input.settings ?? {}),
    ],
  ))!;
}

export async function updateDraft(tx: Tx, id: string, definition: ProcedureDefinition): Promise<void> {
  await tx.query(
    `update procedures set draft_definition = $2, title = $3, description = $4, updated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [id, JSON.stringify(definition), definition.title, definition.description ?? ''],
  );
}

export async function updateSettings(tx: Tx, id: string, patch: Record<string, unknown>): Promise<void> {
  await tx.query(`update procedures set settings = settings || $2::jsonb, updated_at = now() where tenant_id = app_tenant() and id = $1`, [
    id,
    JSON.stringify(patch),
  ]);
}

export async function insertRevision(tx: Tx, procedureId: string, revision: number, definition: ProcedureDefinition, by: string): Promise<void> {
  await tx.query(`insert into procedure_revisions (tenant_id, procedure_id, revision, definition, published_by) values (app_tenant(), $1, $2, $3, $4)`, [
    procedureId,
    revision,
    JSON.stringify(definition),
    by,
  ]);
  await tx.query(`update procedures set current_revision = $2, state = 'published', updated_at = now() where tenant_id = app_tenant() and id = $1`, [
    procedureId,
    revision,
  ]);
}

export async function setProcedureState(tx: Tx, id: string, state: ProcedureRow['state']): Promise<void> {
  await tx.query(`update procedures set state = $2, updated_at = now() where tenant_id = app_tenant() and id = $1`, [id, state]);
}

// Published revisions never change (a trigger refuses it), so every submission need not read its
// definition again: a small per-process cache keyed by tenant, procedure and revision.
const revisionCache = new Map<string, RevisionRow>();
const REVISION_CACHE_SIZE = 500;

/** Shared between requests: frozen, so that no caller can change another's copy by accident. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export async function findRevision(tx: Tx, procedureId: string, revision: number): Promise<RevisionRow | null> {
  const key = `${tx.tenantId}:${procedureId}:${revision}`;
  const hit = revisionCache.get(key);
  if (hit) return hit;
  const row = await tx.one<RevisionRow>(
    `select procedure_id, revision, definition, published_at, published_by from procedure_revisions
     where tenant_id = app_tenant() and procedure_id = $1 and revision = $2`,
    [procedureId, revision],
  );
  if (row && tx.tenantId) {
    if (revisionCache.size >= REVISION_CACHE_SIZE) revisionCache.delete(revisionCache.keys().next().value!);
    revisionCache.set(key, deepFreeze(row));
  }
  return row;
}

export async function listRevisions(tx: Tx, procedureId: string): Promise<Array<Omit<RevisionRow, 'definition'>>> {
  return tx.query(
    `select procedure_id, revision, published_at, published_by from procedure_revisions
     where tenant_id = app_tenant() and procedure_id = $1 order by revision desc`,
    [procedureId],
  );
}

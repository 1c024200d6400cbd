// Designing a procedure: create it as a draft, edit its draft definition (published revisions and the
// dossiers filed on them are untouched), publish the draft as a new immutable revision.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import { slugify } from '../../../core/territory/cog.ts';
import { requireDesigner, type Principal } from '../procedures.policy.ts';
import { validateDefinition } from '../fields/validate-definition.ts';
import type { ProcedureDefinition } from '../fields/definition.ts';
import {
  findProcedure,
  findRevision,
  insertProcedure,
  insertRevision,
  setProcedureState,
  slugTaken,
  updateDraft,
  type ProcedureRow,
} from '../procedures.repository.ts';
import type { Tx } from '../../../core/db/database.ts';

async function freeSlug(tx: Tx, title: string): Promise<string> {
  const base = slugify(title).slice(0, 70) || 'demarche';
  let slug = base;
  for (let i = 2; await slugTaken(tx, slug); i++) slug = `${base}-${i}`;
  return slug;
}

/** Inside an existing transaction: used by create, import and the offer to member tenants. */
export async function createProcedureIn(
  tx: Tx,
  actor: string,
  definition: ProcedureDefinition,
  origin: Record<string, unknown> | null = null,
): Promise<ProcedureRow> {
  const procedure = await insertProcedure(tx, { slug: await freeSlug(tx, definition.title), definition, origin });
  await journal(tx, {
    actor,
    action: 'procedures.procedure.create',
    subjectType: 'procedure',
    subjectId: procedure.id,
    data: { slug: procedure.slug, origin },
  });
  return procedure;
}

export async function createProcedure(db: Database, p: Principal, input: unknown): Promise<ProcedureRow> {
  requireDesigner(p);
  const checked = validateDefinition(input, p.t);
  if (!checked.ok) throw unprocessable(checked.errors);
  return db.transaction(p.tenantId, (tx) => createProcedureIn(tx, p.actor, checked.definition));
}

export async function updateProcedureDraft(db: Database, p: Principal, ref: string, input: unknown): Promise<ProcedureRow> {
  requireDesigner(p);
  const checked = validateDefinition(input, p.t);
  if (!checked.ok) throw unprocessable(checked.errors);
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    await updateDraft(tx, procedure.id, checked.definition);
    await journal(tx, { actor: p.actor, action: 'procedures.procedure.update', subjectType: 'procedure', subjectId: procedure.id });
    return (await findProcedure(tx, procedure.id))!;
  });
}

export interface Publication {
  procedure: ProcedureRow;
  revision: number;
  /** False when the draft had not changed since the current revision (nothing new was frozen). */
  created: boolean;
}

export async function publishProcedure(db: Database, p: Principal, ref: string): Promise<Publication> {
  requireDesigner(p);
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    // The draft was validated when saved; checked again because validation rules may have tightened since.
    const checked = validateDefinition(procedure.draft_definition, p.t);
    if (!checked.ok) throw unprocessable(checked.errors);
    if (procedure.current_revision) {
      const current = await findRevision(tx, procedure.id, procedure.current_revision);
      if (current && JSON.stringify(current.definition) === JSON.stringify(checked.definition)) {
        // Unchanged since the last publication: nothing new to freeze; a closed procedure reopens.
        if (procedure.state !== 'published') {
          await setProcedureState(tx, procedure.id, 'published');
          await journal(tx, {
            actor: p.actor,
            action: 'procedures.procedure.reopen',
            subjectType: 'procedure',
            subjectId: procedure.id,
            data: { revision: procedure.current_revision },
          });
        }
        return { procedure: (await findProcedure(tx, procedure.id))!, revision: procedure.current_revision, created: false };
      }
    }
    const revision = (procedure.current_revision ?? 0) + 1;
    await insertRevision(tx, procedure.id, revision, checked.definition, p.actor);
    await journal(tx, { actor: p.actor, action: 'procedures.procedure.publish', subjectType: 'procedure', subjectId: procedure.id, data: { revision } });
    return { procedure: (await findProcedure(tx, procedure.id))!, revision, created: true };
  });
}

export async function closeProcedure(db: Database, p: Principal, ref: string): Promise<void> {
  requireDesigner(p);
  await db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    if (procedure.state !== 'published') throw new HttpError(409, 'conflict');
    await tx.query(`update procedures set state = 'closed', updated_at = now() where tenant_id = app_tenant() and id = $1`, [procedure.id]);
    await journal(tx, { actor: p.actor, action: 'procedures.procedure.close', subjectType: 'procedure', subjectId: procedure.id });
  });
}

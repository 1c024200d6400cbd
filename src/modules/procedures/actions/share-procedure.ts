// Sharing procedures between collectivités: a definition exported as JSON and imported elsewhere, or a
// host (an EPCI, a syndicat) offering one of its procedures to its member tenants, each getting a draft
// copy it can adapt and publish. Dossiers are never shared, only the form.
import type { Database } from '../../../core/db/database.ts';
import type { AppDeps } from '../../../core/module.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { findTenantById, listHostedTenants } from '../../../core/tenancy/tenants.ts';
import { requireDesigner, type Principal } from '../procedures.policy.ts';
import { findProcedure, findRevision, type ProcedureRow } from '../procedures.repository.ts';
import { validateDefinition } from '../fields/validate-definition.ts';
import type { ProcedureDefinition } from '../fields/definition.ts';
import { createProcedureIn } from './create-procedure.ts';

export const EXPORT_FORMAT = 'bastide.procedure';

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exported_at: string;
  source: { tenant: string; procedure: string; revision: number | null };
  definition: ProcedureDefinition;
}

/** The published definition (the draft when never published), wrapped with where it comes from. */
export async function exportDefinition(db: Database, p: Principal, ref: string): Promise<{ procedure: ProcedureRow; document: ExportDocument }> {
  requireDesigner(p);
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref);
    if (!procedure) throw notFound();
    const revision = procedure.current_revision ? await findRevision(tx, procedure.id, procedure.current_revision) : null;
    const tenant = await findTenantById(tx, p.tenantId);
    return {
      procedure,
      document: {
        format: EXPORT_FORMAT,
        version: 1,
        exported_at: new Date().toISOString(),
        source: { tenant: tenant?.slug ?? '', procedure: procedure.slug, revision: procedure.current_revision },
        definition: revision?.definition ?? procedure.draft_definition,
      },
    };
  });
}

/** Accepts an export document or a bare definition; creates a draft procedure. */
export async function importDefinition(db: Database, p: Principal, input: unknown): Promise<ProcedureRow> {
  requireDesigner(p);
  const doc = input as Partial<ExportDocument> | null;
  const wrapped = !!doc && typeof doc === 'object' && doc.format === EXPORT_FORMAT;
  const checked = validateDefinition(wrapped ? doc!.definition : input, p.t);
  if (!checked.ok) {
    const errors = wrapped ? Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [`definition.${k}`, v])) : checked.errors;
    throw unprocessable(errors);
  }
  const origin = wrapped && doc!.source && typeof doc!.source === 'object' ? { imported_from: doc!.source } : { imported: true };
  return db.transaction(p.tenantId, (tx) => createProcedureIn(tx, p.actor, checked.definition, origin));
}

/** Copies a procedure of the host into each named member tenant, as a draft. Returns the copies. */
export async function offerToMembers(
  deps: Pick<AppDeps, 'db'>,
  p: Principal,
  ref: string,
  slugs: string[],
): Promise<Array<{ tenant: string; id: string; slug: string }>> {
  requireDesigner(p);
  const { db } = deps;
  const source = await exportDefinition(db, p, ref);
  const members = await db.transaction(null, (tx) => listHostedTenants(tx, p.tenantId));
  const targets = slugs.map((slug) => members.find((m) => m.slug === slug));
  const unknown = slugs.filter((_, i) => !targets[i]);
  if (unknown.length || slugs.length === 0) throw unprocessable({ tenants: [p.t('procedures.error.not_member', { tenants: unknown.join(', ') })] });
  const copies: Array<{ tenant: string; id: string; slug: string }> = [];
  for (const target of targets) {
    // One transaction per member: each copy is that collectivité's own row, journaled in its own journal.
    const origin = { offered_by: source.document.source };
    const copy = await db.transaction(target!.id, (tx) => createProcedureIn(tx, p.actor, source.document.definition, origin));
    copies.push({ tenant: target!.slug, id: copy.id, slug: copy.slug });
  }
  await db.transaction(p.tenantId, (tx) =>
    journal(tx, {
      actor: p.actor,
      action: 'procedures.procedure.offer',
      subjectType: 'procedure',
      subjectId: source.procedure.id,
      data: { to: copies },
    }),
  );
  return copies;
}

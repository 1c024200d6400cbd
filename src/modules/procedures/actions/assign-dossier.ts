// Agents organise their work: assignment (to an agent or nobody) and labels, journaled like any change.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { unprocessable } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { loadVisibleDossier, type Principal } from '../procedures.policy.ts';
import type { DossierRow } from '../dossiers.repository.ts';
import { DOSSIER_COLUMNS } from '../dossiers.repository.ts';

export async function assignDossier(db: Database, p: Principal, number: number, assigneeId: string | null): Promise<DossierRow> {
  if (assigneeId !== null && !isUuid(assigneeId)) throw unprocessable({ assignee: [p.t('procedures.field.choice')] });
  return db.transaction(p.tenantId, async (tx) => {
    const dossier = await loadVisibleDossier(tx, p, number, { lock: true });
    if (assigneeId) {
      // Only a staff member of this collectivité can be given a dossier.
      const staff = await tx.one(
        `select 1 from effective_memberships where tenant_id = app_tenant() and person_id = $1 and role in ('agent', 'procedure_admin', 'tenant_admin')`,
        [assigneeId],
      );
      if (!staff) throw unprocessable({ assignee: [p.t('procedures.field.choice')] });
    }
    const row = await tx.one<DossierRow>(
      `update dossiers set assignee_id = $2, updated_at = now() where tenant_id = app_tenant() and id = $1 returning ${DOSSIER_COLUMNS}`,
      [dossier.id, assigneeId],
    );
    await journal(tx, {
      actor: p.actor,
      action: 'procedures.dossier.assign',
      subjectType: 'dossier',
      subjectId: dossier.id,
      data: { number, assignee: assigneeId },
    });
    return row!;
  });
}

export function cleanLabels(p: Principal, labels: unknown): string[] {
  if (
    !Array.isArray(labels) ||
    labels.length > 20 ||
    labels.some((l) => typeof l !== 'string' || !l.trim() || l.length > 50 || !l.isWellFormed() || l.includes('\u0000'))
  ) {
    throw unprocessable({ labels: [p.t('procedures.error.labels')] });
  }
  return [...new Set((labels as string[]).map((l) => l.trim()))].sort();
}

export async function setLabels(db: Database, p: Principal, number: number, labels: unknown): Promise<DossierRow> {
  const clean = cleanLabels(p, labels);
  return db.transaction(p.tenantId, async (tx) => {
    const dossier = await loadVisibleDossier(tx, p, number, { lock: true });
    const row = await tx.one<DossierRow>(
      `update dossiers set labels = $2, updated_at = now() where tenant_id = app_tenant() and id = $1 returning ${DOSSIER_COLUMNS}`,
      [dossier.id, clean],
    );
    await journal(tx, { actor: p.actor, action: 'procedures.dossier.labels', subjectType: 'dossier', subjectId: dossier.id, data: { number, labels: clean } });
    return row!;
  });
}

// The citizen changes their own dossier: a draft (brouillon) saved again or finally submitted, or a dossier
// still en construction corrected before instruction starts. The caller proved access (tracking code or
// signed-in applicant) and passes the dossier's id. One transaction: lock, state check, validate against
// the dossier's own revision, store answers and files, history and journal, notify on submission.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import type { Principal } from '../procedures.policy.ts';
import { findProcedure, findRevision } from '../procedures.repository.ts';
import { applyTransition, DOSSIER_COLUMNS, findDossierById, type DossierRow } from '../dossiers.repository.ts';
import { searchableText, validateAnswers } from '../fields/answers.ts';
import type { FileAnswer } from '../fields/values.ts';
import type { Answers } from '../fields/conditions.ts';
import { enqueueDossierEvent } from '../dossier-events.ts';
import { fileAnswersOf, recordDossierFile } from './record-files.ts';

export interface UpdateDossierInput {
  data: unknown;
  /** Files of file fields by path (new uploads and those kept from before). */
  files?: Record<string, FileAnswer[]>;
  /** A draft: submit it now (brouillon → en_construction) rather than save it again. */
  submit: boolean;
}

async function syncFieldAttachments(tx: Tx, dossierId: string, data: Answers): Promise<void> {
  const wanted = fileAnswersOf(data);
  const existing = await tx.query<{ id: string; field_key: string; sha256: string }>(
    `select id, field_key, sha256 from dossier_attachments where tenant_id = app_tenant() and dossier_id = $1 and field_key is not null`,
    [dossierId],
  );
  const has = (key: string, sha: string) => existing.some((e) => e.field_key === key && e.sha256 === sha);
  for (const e of existing) {
    if (!wanted.some((w) => w.key === e.field_key && w.file.sha256 === e.sha256)) {
      await tx.query('delete from dossier_attachments where tenant_id = app_tenant() and id = $1', [e.id]);
    }
  }
  for (const { key, file } of wanted) {
    if (has(key, file.sha256)) continue;
    await recordDossierFile(tx, dossierId, file, { fieldKey: key });
  }
}

export async function updateDossier(db: Database, p: Principal, dossierId: string, input: UpdateDossierInput): Promise<DossierRow> {
  return db.transaction(p.tenantId, async (tx) => {
    const dossier = await findDossierById(tx, dossierId, { lock: true });
    if (!dossier) throw notFound();
    if (dossier.state !== 'brouillon' && dossier.state !== 'en_construction') {
      throw new HttpError(409, 'not_editable', p.t('procedures.web.error.not_editable'));
    }
    const procedure = (await findProcedure(tx, dossier.procedure_id))!;
    const revision = (await findRevision(tx, procedure.id, dossier.revision))!;
    const submitting = dossier.state === 'brouillon' && input.submit;
    const checked = validateAnswers(revision.definition.fields, input.data, p.t, {
      files: input.files,
      partial: dossier.state === 'brouillon' && !input.submit,
    });
    if (!checked.ok) throw unprocessable(checked.errors);
    let row = (await tx.one<DossierRow>(
      `update dossiers set data = $2, search = to_tsvector('french_unaccent', $3), updated_at = now()
       where tenant_id = app_tenant() and id = $1 returning ${DOSSIER_COLUMNS}`,
      [dossier.id, JSON.stringify(checked.data), searchableText(checked.data)],
    ))!;
    await syncFieldAttachments(tx, dossier.id, checked.data);
    if (submitting) row = await applyTransition(tx, row, 'en_construction', p.actor, null);
    await journal(tx, {
      actor: p.actor,
      action: submitting ? 'procedures.dossier.submit' : 'procedures.dossier.update',
      subjectType: 'dossier',
      subjectId: dossier.id,
      data: { number: dossier.number, revision: dossier.revision, state: row.state },
    });
    if (submitting) await enqueueDossierEvent(tx, procedure, dossier.id, 'submitted');
    return row;
  });
}

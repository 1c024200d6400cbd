// Decided dossiers for the archives tests (issue 13, retention "archive"): the procedures' actions the
// archives tests drive, gathered here because a module's code (tests included) reaches another module
// through its index.ts only (test/architecture/import-graph.test.ts); test support is outside src/.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { TestApp } from '../../helpers/app.ts';
import { principal, publishedProcedure, SUBSIDY_ANSWERS } from '../procedures/ops.ts';
import { submitDossier } from '../../../src/modules/procedures/actions/submit-dossier.ts';
import { transitionDossier } from '../../../src/modules/procedures/actions/transition-dossier.ts';
import { agentMessage } from '../../../src/modules/procedures/actions/dossier-messages.ts';
import { updateOperationsSettings } from '../../../src/modules/procedures/operations/update-settings.ts';
import { recordBlob, storeUpload } from '../../../src/core/files/upload.ts';

export { sweepRetention } from '../../../src/modules/procedures/retention/sweep.ts';
export { startOpsApp, SUBSIDY_ANSWERS } from '../procedures/ops.ts';

/** The bytes of the attachment every dossier of decidedDossier carries (the association's statutes). */
export const ATTACHMENT = Buffer.from('%PDF-1.4\n% statuts de l’association\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Sets a procedure's retention (as a designer would, through the operations settings). */
export async function setRetention(t: TestApp, tenantId: string, procedureId: string, retention: Record<string, unknown>): Promise<void> {
  await updateOperationsSettings(t.db, principal(tenantId, ['procedure_admin']), procedureId, { retention }, { allowHttp: false });
}

/** A published subsidy procedure with the given retention. */
export async function archiveProcedure(t: TestApp, tenantId: string, retention: Record<string, unknown>): Promise<{ id: string }> {
  const procedure = await publishedProcedure(t, tenantId);
  await setRetention(t, tenantId, procedure.id, retention);
  return procedure;
}

/** A dossier decided yesterday, with a message and an attachment. */
export async function decidedDossier(t: TestApp, tenantId: string, procedureId: string): Promise<{ id: string; number: number }> {
  const guest = { ...principal(tenantId, []), actor: 'anonymous', viaToken: false };
  const { dossier } = await submitDossier(t.deps, guest, { procedure: procedureId, email: 'applicant@example.org', data: SUBSIDY_ANSWERS });
  const agent = principal(tenantId, ['agent']);
  const n = Number(dossier.number);
  await agentMessage(t.db, agent, n, { body: 'Votre RIB, svp.' });
  const blob = await storeUpload(t.deps, tenantId, Readable.from([ATTACHMENT]), {
    maxBytes: 1 << 20,
    allowedTypes: ['application/pdf'],
    filename: 'statuts.pdf',
  });
  await t.db.transaction(tenantId, async (tx) => {
    await recordBlob(tx, blob);
    await tx.execute(
      `insert into dossier_attachments (tenant_id, dossier_id, field_key, sha256, filename, size, content_type)
       values (app_tenant(), $1, 'statuts', $2, 'statuts.pdf', $3, 'application/pdf')`,
      [dossier.id, blob.sha256, blob.size],
    );
  });
  await transitionDossier(t.db, agent, n, { to: 'en_instruction' });
  await transitionDossier(t.db, agent, n, { to: 'accepte', motivation: 'Subvention accordée.' });
  await t.db.transaction(tenantId, (tx) => tx.query(`update dossiers set decided_at = now() - interval '1 day' where id = $1`, [dossier.id]));
  assert.ok(n > 0);
  return { id: dossier.id, number: n };
}

// Job `procedures.dossier.notify` {dossierId, event}: emails the citizen with the procedure's template for
// the event, with the receipt PDF attached at submission. A guest's link carries their private tracking
// code, recomputed from the dossier id (trackingCodeFor), so the code never sits in the job queue.
// A citizen's reply ('citizen_message') is announced to the agent the dossier is assigned to.
import type { AppDeps } from '../../../core/module.ts';
import type { Database } from '../../../core/db/database.ts';
import type { Job, JobHandler } from '../../../core/jobs/runner.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { NOTIFY_EVENTS, type NotifyEvent } from '../operations/settings.ts';
import { loadDossierSnapshot, type DossierSnapshot } from '../operations/dossier-snapshot.ts';
import { eventName, type DossierEventPayload } from '../operations/events.ts';
import { trackingCodeFor } from '../actions/submit-dossier.ts';
import { receiptPdf, STATE_LABELS, formatDateTimeFor } from '../receipt/documents.ts';
import { renderTemplate } from './templates.ts';

export function dossierLink(baseUrl: string, d: Pick<DossierSnapshot, 'tenantSlug' | 'number'>, trackingCode?: string | null): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${d.tenantSlug}/dossiers/${d.number}${trackingCode ? `?code=${encodeURIComponent(trackingCode)}` : ''}`;
}

/** The citizen answered: the agent the dossier is assigned to hears of it (unassigned: the inbox shows it). */
async function tellAssignee(deps: Pick<AppDeps, 'config'>, db: Database, tenantId: string, dossierId: string): Promise<void> {
  await db.transaction(tenantId, async (tx) => {
    const d = await loadDossierSnapshot(tx, { id: dossierId });
    if (!d?.assigneeEmail) return;
    await queueMail(tx, {
      to: d.assigneeEmail,
      subject: `Dossier n° ${d.number} : nouvelle réponse de l’usager`,
      text: `Bonjour,\n\nL’usager a répondu sur le dossier n° ${d.number} (« ${d.procedureTitle} ») qui vous est attribué.\n\n` +
        `${deps.config.baseUrl.replace(/\/+$/, '')}/${d.tenantSlug}/instruction/dossiers/${d.number}\n\n-- \nBastide, ${d.tenantName}`,
    });
  });
}

export function createNotifyHandler(deps: Pick<AppDeps, 'config' | 'secret'>): JobHandler {
  return async (job: Job, db) => {
    const p = job.payload as unknown as DossierEventPayload;
    if (!job.tenant_id) throw new Error(`notification job ${job.id} has no tenant`);
    // Events without a citizen email (a private note, a label) are not errors: nothing to send.
    const tenantId = job.tenant_id;
    if (p.event === 'citizen_message') { await tellAssignee(deps, db, tenantId, p.dossierId); return; }
    const event = eventName(p.event) as NotifyEvent;
    if (!NOTIFY_EVENTS.includes(event)) return;
    await db.transaction(tenantId, async (tx) => {
      const d = await loadDossierSnapshot(tx, { id: p.dossierId });
      // Deleted since (retention, expired draft), or nobody to write to.
      if (!d || !d.settings.notifications.enabled || !d.applicantEmail) return;
      const code = d.hasTrackingCode ? trackingCodeFor(deps.secret, tenantId, d.id) : null;
      const mail = renderTemplate(event, d.settings.notifications.templates, {
        numero: d.number, demarche: d.procedureTitle, etat: STATE_LABELS.fr[d.state] ?? d.state,
        motivation: p.motivation ?? d.motivation ?? '', lien: dossierLink(deps.config.baseUrl, d, code),
        collectivite: d.tenantName, date: formatDateTimeFor('fr', d.submittedAt ?? d.createdAt),
      });
      const attachments = event === 'submitted'
        ? [{ filename: `accuse-reception-${d.number}.pdf`, content_base64: receiptPdf(d).toString('base64'), content_type: 'application/pdf' }]
        : undefined;
      await queueMail(tx, { to: d.applicantEmail, subject: mail.subject, text: mail.body, attachments });
    });
  };
}

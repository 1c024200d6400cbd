// Job `procedures.dossier.notify` {dossierId, event}: emails the citizen with the procedure's template for
// the event, with the receipt PDF attached at submission. A guest's link carries their private tracking
// code, recomputed from the dossier id (trackingCodeFor), so the code never sits in the job queue.
import type { AppDeps } from '../../../core/module.ts';
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

export function createNotifyHandler(deps: Pick<AppDeps, 'config' | 'secret'>): JobHandler {
  return async (job: Job, db) => {
    const p = job.payload as unknown as DossierEventPayload;
    if (!job.tenant_id) throw new Error(`notification job ${job.id} has no tenant`);
    // Events without a citizen email (a private note, a label) are not errors: nothing to send.
    const event = eventName(p.event) as NotifyEvent;
    if (!NOTIFY_EVENTS.includes(event)) return;
    const tenantId = job.tenant_id;
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

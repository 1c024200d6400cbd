// Job `procedures.dossier.notify` {dossierId, event}: emails the citizen with the procedure's template for
// the event, with the receipt PDF attached at submission. A guest's link carries their private tracking
// code, recomputed from the dossier id (trackingCodeFor), so the code never sits in the job queue.
// A citizen's reply ('citizen_message') is announced to the agent the dossier is assigned to.
import type { AppDeps } from '../../../core/module.ts';
import type { Database, Tx } from '../../../core/db/database.ts';
import type { BatchJobHandler, Job, JobHandler } from '../../../core/jobs/runner.ts';
import { queueMail, queueMails, type MailMessage } from '../../../core/mail/mail.ts';
import { recordEffect } from '../../../core/jobs/effects.ts';
import { allowMailsTo } from '../../../core/mail/recipient-limit.ts';
import { NOTIFY_EVENTS, type NotifyEvent } from '../operations/settings.ts';
import { loadDossierSnapshot, loadDossierSnapshots, type DossierSnapshot } from '../operations/dossier-snapshot.ts';
import { eventName, type DossierEventPayload } from '../dossier-events.ts';
import { trackingCodeFor } from '../tracking-code.ts';
import { receiptPdf, STATE_LABELS, formatDateTimeFor } from '../receipt/documents.ts';
import { renderTemplate } from './templates.ts';

export function dossierLink(baseUrl: string, d: Pick<DossierSnapshot, 'tenantSlug' | 'number'>, trackingCode?: string | null): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${d.tenantSlug}/dossiers/${d.number}${trackingCode ? `?code=${encodeURIComponent(trackingCode)}` : ''}`;
}

/** The citizen answered: the agent the dossier is assigned to hears of it (unassigned: the inbox shows it). */
async function tellAssignee(deps: Pick<AppDeps, 'config'>, db: Database, tenantId: string, dossierId: string, job: Job): Promise<void> {
  await db.transaction(tenantId, async (tx) => {
    // Its mail is queued once even if the job runs again after a crash (core/jobs/effects.ts).
    await recordEffect(tx, job);
    const d = await loadDossierSnapshot(tx, { id: dossierId });
    if (!d?.assigneeEmail) return;
    await queueMail(tx, {
      to: d.assigneeEmail,
      subject: `Dossier n° ${d.number} : nouvelle réponse de l’usager`,
      text:
        `Bonjour,\n\nL’usager a répondu sur le dossier n° ${d.number} (« ${d.procedureTitle} ») qui vous est attribué.\n\n` +
        `${deps.config.baseUrl.replace(/\/+$/, '')}/${d.tenantSlug}/instruction/dossiers/${d.number}\n\n-- \nBastide, ${d.tenantName}`,
    });
  });
}

/** The citizen's mail for one event of one dossier, or null when there is nobody or nothing to send. */
function citizenMail(
  deps: Pick<AppDeps, 'config' | 'secret'>,
  tenantId: string,
  p: DossierEventPayload,
  d: DossierSnapshot | null | undefined,
): MailMessage | null {
  const event = eventName(p.event) as NotifyEvent;
  // Deleted since (retention, expired draft), or nobody to write to.
  if (!d || !d.settings.notifications.enabled || !d.applicantEmail) return null;
  const code = d.hasTrackingCode ? trackingCodeFor(deps.secret, tenantId, d.id) : null;
  const mail = renderTemplate(event, d.settings.notifications.templates, {
    numero: d.number,
    demarche: d.procedureTitle,
    etat: STATE_LABELS.fr[d.state] ?? d.state,
    motivation: p.motivation ?? d.motivation ?? '',
    lien: dossierLink(deps.config.baseUrl, d, code),
    collectivite: d.tenantName,
    date: formatDateTimeFor('fr', d.submittedAt ?? d.createdAt),
  });
  // The attached receipt is not compressed: deflating its page costs as much as laying it out (about
  // 0.2 ms, measured with the form of the benchmarks) to save under 3 KB of an email; the receipt
  // downloaded from the dossier page is compressed.
  const attachments =
    event === 'submitted'
      ? [
          {
            filename: `accuse-reception-${d.number}.pdf`,
            content_base64: receiptPdf(d, 'fr', { compress: false }).toString('base64'),
            content_type: 'application/pdf',
          },
        ]
      : undefined;
  return { to: d.applicantEmail, subject: mail.subject, text: mail.body, attachments };
}

/**
 * The receipt of a dossier filed without an account goes to whatever address the filer typed in: anyone
 * can cause it, so it is subject to the per-recipient limit (core/mail/recipient-limit.ts). Later mails
 * follow an agent's action and are not.
 */
function strangerCaused(p: DossierEventPayload, d: DossierSnapshot | null | undefined): boolean {
  return eventName(p.event) === 'submitted' && !!d?.hasTrackingCode;
}

/** Mails of `items` that may be sent: those a stranger caused count against their recipient's limit. */
async function withinRecipientLimits(tx: Tx, secret: string, items: Array<{ mail: MailMessage; stranger: boolean }>): Promise<MailMessage[]> {
  const strangers = items.filter((x) => x.stranger);
  const allowed = await allowMailsTo(
    tx,
    secret,
    strangers.map((x) => x.mail.to),
  );
  const refused = new Set(strangers.filter((_, i) => !allowed[i]).map((x) => x.mail));
  return items.map((x) => x.mail).filter((m) => !refused.has(m));
}

/** Events the citizen is written about (a private note or a label is not one of them). */
function isCitizenEvent(p: DossierEventPayload): boolean {
  return p.event !== 'citizen_message' && NOTIFY_EVENTS.includes(eventName(p.event) as NotifyEvent);
}

export function createNotifyHandler(deps: Pick<AppDeps, 'config' | 'secret'>): JobHandler {
  return async (job: Job, db) => {
    const p = job.payload as unknown as DossierEventPayload;
    if (!job.tenant_id) throw new Error(`notification job ${job.id} has no tenant`);
    const tenantId = job.tenant_id;
    if (p.event === 'citizen_message') {
      await tellAssignee(deps, db, tenantId, p.dossierId, job);
      return;
    }
    if (!isCitizenEvent(p)) return;
    await db.transaction(tenantId, async (tx) => {
      await recordEffect(tx, job);
      const d = await loadDossierSnapshot(tx, { id: p.dossierId });
      const mail = citizenMail(deps, tenantId, p, d);
      if (!mail) return;
      const [allowed] = await withinRecipientLimits(tx, deps.secret, [{ mail, stranger: strangerCaused(p, d) }]);
      if (allowed) await queueMail(tx, allowed);
    });
  };
}

/**
 * The same, for a batch of notification jobs: per collectivité, one transaction reads every dossier in
 * one query and queues every mail in one statement. If that transaction fails, its jobs are run one by
 * one, so that only the job at fault fails.
 */
export function createNotifyBatchHandler(deps: Pick<AppDeps, 'config' | 'secret'>): BatchJobHandler {
  const single = createNotifyHandler(deps);
  const runAlone = async (job: Job, db: Database) =>
    single(job, db).then(
      () => null,
      (error: unknown) => error ?? new Error('failed'),
    );
  return async (jobs, db) => {
    const errors: unknown[] = jobs.map(() => null);
    const byTenant = new Map<string, number[]>();
    for (const [i, job] of jobs.entries()) {
      const p = job.payload as unknown as DossierEventPayload;
      if (!job.tenant_id || !isCitizenEvent(p)) errors[i] = await runAlone(job, db);
      else if (byTenant.has(job.tenant_id)) byTenant.get(job.tenant_id)!.push(i);
      else byTenant.set(job.tenant_id, [i]);
    }
    for (const [tenantId, indexes] of byTenant) {
      try {
        await db.transaction(tenantId, async (tx) => {
          await recordEffect(
            tx,
            indexes.map((i) => jobs[i]!),
          );
          const payloads = indexes.map((i) => jobs[i]!.payload as unknown as DossierEventPayload);
          const snapshots = await loadDossierSnapshots(tx, [...new Set(payloads.map((p) => p.dossierId))]);
          const items = payloads.flatMap((p) => {
            const d = snapshots.get(p.dossierId);
            const mail = citizenMail(deps, tenantId, p, d);
            return mail ? [{ mail, stranger: strangerCaused(p, d) }] : [];
          });
          await queueMails(tx, await withinRecipientLimits(tx, deps.secret, items));
        });
      } catch {
        for (const i of indexes) errors[i] = await runAlone(jobs[i]!, db);
      }
    }
    return errors;
  };
}

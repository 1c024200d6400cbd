// Job `procedures.webhook.dispatch`: POSTs the event's JSON to the procedure's URL, signed with its
// secret (read now, so the secret never sits in the job queue), and logs every attempt in
// webhook_deliveries. A non-2xx answer, a timeout or a network error throws: the job runner retries with
// exponential backoff and leaves the job `failed` after its last attempt — visible in the delivery log.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../../../core/db/database.ts';
import type { Job, JobHandler } from '../../../core/jobs/runner.ts';
import { loadDossierSnapshot, type DossierSnapshot } from '../operations/dossier-snapshot.ts';
import { loadOperationsSettings } from '../operations/settings.ts';
import { eventName } from '../operations/events.ts';
import { signBody } from './signature.ts';

export interface WebhookJob {
  dossierId: string;
  event: string;
  /** Set by the first attempt: every retry sends the same bytes under the same delivery id. */
  deliveryId?: string;
  body?: string;
  dossierNumber?: string;
  procedureId?: string;
}

const TIMEOUT_MS = 10_000;
export const WEBHOOK_ATTEMPTS = 15;

/** The JSON an integrator receives (a stable contract, documented in docs/procedures-operations.md). */
export function webhookBody(d: DossierSnapshot, event: string, deliveryId: string, at: Date): string {
  return JSON.stringify({
    event: `dossier.${eventName(event)}`,
    delivery_id: deliveryId,
    occurred_at: at.toISOString(),
    collectivite: d.tenantSlug,
    procedure: { id: d.procedureId, slug: d.procedureSlug, title: d.procedureTitle, revision: d.revision },
    dossier: {
      number: Number(d.number), state: d.state, motivation: d.motivation,
      submitted_at: d.submittedAt?.toISOString() ?? null, decided_at: d.decidedAt?.toISOString() ?? null,
      group: d.groupName, labels: d.labels, data: d.data,
    },
  });
}

/** First attempt: builds the body from the dossier as it is now and keeps it in the job for the retries. */
async function prepare(db: Database, job: Job, p: WebhookJob): Promise<Required<WebhookJob> | null> {
  if (p.body && p.deliveryId && p.procedureId) return p as Required<WebhookJob>;
  const d = await db.transaction(job.tenant_id, (tx) => loadDossierSnapshot(tx, { id: p.dossierId }));
  if (!d) return null;
  const deliveryId = randomUUID();
  const ready = { ...p, deliveryId, procedureId: d.procedureId, dossierNumber: d.number, body: webhookBody(d, p.event, deliveryId, new Date()) };
  // More attempts than the queue's default: with the runner's backoff (5 s doubling, capped at one hour)
  // 15 attempts keep retrying for about six hours, so a receiver down for a morning loses nothing.
  await db.transaction(null, (tx) => tx.query('update jobs set payload = $2, max_attempts = greatest(max_attempts, $3) where id = $1', [job.id, JSON.stringify(ready), WEBHOOK_ATTEMPTS]));
  return ready;
}

export function createWebhookHandler(): JobHandler {
  return async (job, db) => {
    if (!job.tenant_id) throw new Error(`webhook job ${job.id} has no tenant`);
    const p = await prepare(db, job, job.payload as unknown as WebhookJob);
    if (!p) return; // the dossier is gone (retention): nothing left to tell
    const settings = await db.transaction(job.tenant_id, (tx) => loadOperationsSettings(tx, p.procedureId));
    // The webhook was removed since the event: nobody to tell.
    if (!settings?.webhook) return;
    const { url, secret } = settings.webhook;
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Bastide-Webhook/1',
          'x-bastide-event': `dossier.${eventName(p.event)}`,
          'x-bastide-delivery': p.deliveryId,
          'x-bastide-signature': signBody(secret, p.body),
        },
        body: p.body,
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
    }
    const duration = Math.round(performance.now() - started);
    await db.transaction(job.tenant_id, (tx) => tx.query(
      `insert into webhook_deliveries (tenant_id, procedure_id, dossier_number, event, delivery_id, attempt, url, status_code, duration_ms, ok, error)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [p.procedureId, p.dossierNumber, `dossier.${eventName(p.event)}`, p.deliveryId, job.attempts, url, status, duration, error === null, error?.slice(0, 1000) ?? null]));
    if (error !== null) throw new Error(`webhook ${p.deliveryId} attempt ${job.attempts}: ${error}`);
  };
}

export interface DeliveryRow {
  id: string; event: string; delivery_id: string; dossier_number: string | null; attempt: number; url: string;
  status_code: number | null; duration_ms: number; ok: boolean; error: string | null; created_at: Date;
}

/** The latest attempts of a procedure's webhook, newest first (for the designer's delivery log). */
export async function listWebhookDeliveries(tx: Tx, procedureId: string, limit = 50): Promise<DeliveryRow[]> {
  return tx.query<DeliveryRow>(
    `select id, event, delivery_id, dossier_number::text as dossier_number, attempt, url, status_code, duration_ms, ok, error, created_at
     from webhook_deliveries where tenant_id = app_tenant() and procedure_id = $1 order by created_at desc, attempt desc limit $2`,
    [procedureId, Math.min(Math.max(limit, 1), 500)]);
}

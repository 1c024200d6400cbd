// Job `procedures.webhook.dispatch`: POSTs the event's JSON to the procedure's URL, signed with its
// secret (read now, so the secret never sits in the job queue), and logs every attempt in
// webhook_deliveries. A non-2xx answer, a timeout or a network error throws: the job runner retries with
// exponential backoff and leaves the job `failed` after its last attempt — visible in the delivery log.
// The request goes through the outbound guard (core/net/outbound.ts): the address is resolved and checked
// at each attempt (DNS answers change) and the connection is pinned to the checked address. The first
// attempt records the URL in the job: retries go to the URL the delivery was made for, even if the setting
// changes meanwhile (a removed webhook stops them). The log keeps a coarse outcome only (`HTTP 503`,
// `timeout`, `connection_refused`, `unreachable`, `tls`, `address_not_allowed`), never the network's
// own error text, which would map the host's network for whoever reads the log.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../../../core/db/database.ts';
import type { Job, JobHandler } from '../../../core/jobs/runner.ts';
import { outboundFetch, OutboundError, type OutboundFailure, type OutboundPolicy } from '../../../core/net/outbound.ts';
import { loadDossierSnapshot, type DossierSnapshot } from '../operations/dossier-snapshot.ts';
import { loadOperationsSettings } from '../operations/settings.ts';
import { eventName } from '../dossier-events.ts';
import { signBody, SIGNATURE_HEADER } from './signature.ts';

export interface WebhookJob {
  dossierId: string;
  event: string;
  /** Set by the first attempt: every retry sends the same bytes under the same delivery id, to this URL. */
  deliveryId?: string;
  body?: string;
  url?: string;
  dossierNumber?: string;
  procedureId?: string;
}

const TIMEOUT_MS = 10_000;
/** Receivers answer with a status; their body is never read. */
const MAX_ANSWER_BYTES = 64 * 1024;
export const WEBHOOK_ATTEMPTS = 15;

/** The coarse outcomes the delivery log may hold (also enforced by a check constraint, migration 0403). */
export type DeliveryError = `HTTP ${number}` | Exclude<OutboundFailure, 'too_large'>;

/** The JSON an integrator receives (a stable contract, documented in docs/procedures-operations.md). */
export function webhookBody(d: DossierSnapshot, event: string, deliveryId: string, at: Date): string {
  return JSON.stringify({
    event: `dossier.${eventName(event)}`,
    delivery_id: deliveryId,
    occurred_at: at.toISOString(),
    collectivite: d.tenantSlug,
    procedure: { id: d.procedureId, slug: d.procedureSlug, title: d.procedureTitle, revision: d.revision },
    dossier: {
      number: Number(d.number),
      state: d.state,
      motivation: d.motivation,
      submitted_at: d.submittedAt?.toISOString() ?? null,
      decided_at: d.decidedAt?.toISOString() ?? null,
      group: d.groupName,
      labels: d.labels,
      data: d.data,
    },
  });
}

/**
 * First attempt: builds the body from the dossier as it is now and keeps it, with the webhook URL of that
 * moment, in the job for the retries. Null when there is nothing to send (dossier gone, webhook removed).
 */
async function prepare(db: Database, job: Job, p: WebhookJob): Promise<Required<WebhookJob> | null> {
  if (p.body && p.deliveryId && p.procedureId && p.url) return p as Required<WebhookJob>;
  const found = await db.transaction(job.tenant_id, async (tx) => {
    const d = await loadDossierSnapshot(tx, { id: p.dossierId });
    return d ? { d, settings: await loadOperationsSettings(tx, d.procedureId) } : null;
  });
  if (!found?.settings?.webhook) return null;
  const { d } = found;
  // A job prepared before the URL was recorded (older version) keeps its body and delivery id.
  const deliveryId = p.deliveryId ?? randomUUID();
  const ready: Required<WebhookJob> = {
    ...p,
    deliveryId,
    procedureId: d.procedureId,
    dossierNumber: p.dossierNumber ?? d.number,
    body: p.body ?? webhookBody(d, p.event, deliveryId, new Date()),
    url: found.settings.webhook.url,
  };
  // More attempts than the queue's default: with the runner's backoff (5 s doubling, capped at one hour)
  // 15 attempts keep retrying for about six hours, so a receiver down for a morning loses nothing.
  // The queue is the owner's (the application role only enqueues: migration 0005).
  await db.ownerTransaction((tx) =>
    tx.query('update jobs set payload = $2, max_attempts = greatest(max_attempts, $3) where id = $1', [job.id, JSON.stringify(ready), WEBHOOK_ATTEMPTS]),
  );
  return ready;
}

/** `outbound`: the host's policy (config.outboundAllow); tests add a resolver to simulate DNS. */
export function createWebhookHandler(outbound: OutboundPolicy = {}): JobHandler {
  return async (job, db) => {
    if (!job.tenant_id) throw new Error(`webhook job ${job.id} has no tenant`);
    const p = await prepare(db, job, job.payload as unknown as WebhookJob);
    if (!p) return; // the dossier is gone (retention) or the webhook removed: nothing left to tell
    const settings = await db.transaction(job.tenant_id, (tx) => loadOperationsSettings(tx, p.procedureId));
    // The webhook was removed since the event: nobody to tell.
    if (!settings?.webhook) return;
    // The URL the delivery was made for; the secret as it is now (rotating it re-signs pending retries).
    const { url } = p;
    const started = performance.now();
    let status: number | null = null;
    let error: DeliveryError | null = null;
    try {
      const res = await outboundFetch(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Bastide-Webhook/1',
            'x-bastide-event': `dossier.${eventName(p.event)}`,
            'x-bastide-delivery': p.deliveryId,
            [SIGNATURE_HEADER]: signBody(settings.webhook.secret, p.body),
          },
          body: p.body,
        },
        { timeoutMs: TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES, discardBody: true },
        outbound,
      );
      status = res.status;
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      // Anything else than the guard's own categories is reported as unreachable, never as its text.
      error = e instanceof OutboundError && e.code !== 'too_large' ? e.code : 'unreachable';
    }
    const duration = Math.round(performance.now() - started);
    await db.transaction(job.tenant_id, (tx) =>
      tx.query(
        `insert into webhook_deliveries (tenant_id, procedure_id, dossier_number, event, delivery_id, attempt, url, status_code, duration_ms, ok, error)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [p.procedureId, p.dossierNumber, `dossier.${eventName(p.event)}`, p.deliveryId, job.attempts, url, status, duration, error === null, error],
      ),
    );
    if (error !== null) throw new Error(`webhook ${p.deliveryId} attempt ${job.attempts}: ${error}`);
  };
}

export interface DeliveryRow {
  id: string;
  event: string;
  delivery_id: string;
  dossier_number: string | null;
  attempt: number;
  url: string;
  status_code: number | null;
  duration_ms: number;
  ok: boolean;
  error: string | null;
  created_at: Date;
}

/** The latest attempts of a procedure's webhook, newest first (for the designer's delivery log). */
export async function listWebhookDeliveries(tx: Tx, procedureId: string, limit = 50): Promise<DeliveryRow[]> {
  return tx.query<DeliveryRow>(
    `select id, event, delivery_id, dossier_number::text as dossier_number, attempt, url, status_code, duration_ms, ok, error, created_at
     from webhook_deliveries where tenant_id = app_tenant() and procedure_id = $1 order by created_at desc, attempt desc limit $2`,
    [procedureId, Math.min(Math.max(limit, 1), 500)],
  );
}

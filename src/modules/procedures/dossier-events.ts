// Dossier events: what follows a change of a dossier (filed, state changed, message), as jobs enqueued in
// the transaction of the change, so that a notification or a webhook call exists iff the change committed.
// The actions enqueue them (enqueueDossierEvent); notifications/notify.ts and webhooks/dispatch.ts handle
// them; ops.ts wires the handlers. This file is the contract between both sides, imported by both.
import type { Tx } from '../../core/db/database.ts';
import { enqueue } from '../../core/jobs/queue.ts';
import type { ProcedureRow } from './procedures.repository.ts';

/** Job kind: mail the citizen about a dossier event (notifications/notify.ts). */
export const NOTIFY_JOB = 'procedures.dossier.notify';
/** Job kind: call the procedure's webhook about a dossier event (webhooks/dispatch.ts). */
export const WEBHOOK_JOB = 'procedures.webhook.dispatch';

/** A type, not an interface: a job payload is a plain record (core/jobs enqueue). */
export type DossierEventPayload = {
  dossierId: string;
  /** 'submitted', `state:<new state>` after a transition, 'message' (an agent wrote to the citizen) or 'citizen_message'. */
  event: string;
  /** Optional: a transition's motivation as given (the dossier may change again before the job runs). */
  motivation?: string | null;
  /** The message of a 'message' or 'citizen_message' event. */
  messageId?: string;
};

/** The actions name a transition `state:<new state>`; templates and webhooks use the bare state. */
export function eventName(event: string): string {
  return event.startsWith('state:') ? event.slice('state:'.length) : event;
}

/** The jobs that follow a dossier event: the notification, and the webhook when the procedure has one. */
export function dossierEventJobs(
  procedure: Pick<ProcedureRow, 'settings'>,
  payload: DossierEventPayload,
): Array<{ kind: string; payload: DossierEventPayload }> {
  const webhook = procedure.settings && (procedure.settings as { webhook?: unknown }).webhook;
  return [{ kind: NOTIFY_JOB, payload }, ...(webhook ? [{ kind: WEBHOOK_JOB, payload }] : [])];
}

/** Jobs that follow a dossier event, enqueued in the caller's transaction (helper modules handle them). */
export async function enqueueDossierEvent(
  tx: Tx,
  procedure: Pick<ProcedureRow, 'settings'>,
  dossierId: string,
  event: string,
  extra: { motivation?: string | null } = {},
): Promise<void> {
  const payload: DossierEventPayload = { dossierId, event, ...(extra.motivation ? { motivation: extra.motivation } : {}) };
  for (const job of dossierEventJobs(procedure, payload)) await enqueue(tx, job.kind, job.payload);
}

/** A message event: the citizen is mailed (never a webhook: messages stay between the two parties). */
export async function enqueueMessageEvent(tx: Tx, dossierId: string, event: 'message' | 'citizen_message', messageId: string): Promise<void> {
  const payload: DossierEventPayload = { dossierId, event, messageId };
  await enqueue(tx, NOTIFY_JOB, payload);
}

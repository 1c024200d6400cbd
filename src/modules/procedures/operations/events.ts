// Job kinds of the operations side. The procedures actions enqueue NOTIFY_JOB {dossierId, event} (and
// WEBHOOK_JOB {dossierId, event} when the procedure has a webhook) inside their transaction — see
// enqueueDossierEvent in actions/submit-dossier.ts — so a notification exists iff the change committed.
export const NOTIFY_JOB = 'procedures.dossier.notify';
export const WEBHOOK_JOB = 'procedures.webhook.dispatch';
export const DIGEST_JOB = 'procedures.digest.daily';
export const RETENTION_JOB = 'procedures.retention.sweep';

export interface DossierEventPayload {
  dossierId: string;
  /** 'submitted', the new state after a transition, or 'message' (an agent wrote to the citizen). */
  event: string;
  /** Optional: a transition's motivation as given (the dossier may change again before the job runs). */
  motivation?: string | null;
}

/** The actions name a transition `state:<new state>`; templates and webhooks use the bare state. */
export function eventName(event: string): string {
  return event.startsWith('state:') ? event.slice('state:'.length) : event;
}

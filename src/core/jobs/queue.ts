// Enqueueing jobs: always inside the business transaction, so a job exists if and only if the change
// it follows was committed. The runner (runner.ts) picks it up after commit.
import { EventEmitter } from 'node:events';
import type { Tx } from '../db/database.ts';

/** Process-local nudge so a job enqueued here starts without waiting for the next poll. */
export const jobSignals = new EventEmitter();

export interface EnqueueOptions {
  /** Run no earlier than this. */
  runAt?: Date;
  maxAttempts?: number;
  /** At most one queued/running job with this key (others are silently skipped). */
  uniqueKey?: string;
}

export async function enqueue(tx: Tx, kind: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
  await tx.query(
    `insert into jobs (tenant_id, kind, payload, run_at, max_attempts, unique_key)
     values ($1, $2, $3, coalesce($4, now()), $5, $6)
     on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing`,
    [tx.tenantId, kind, JSON.stringify(payload), options.runAt ?? null, options.maxAttempts ?? 8, options.uniqueKey ?? null],
  );
  tx.afterCommit(() => jobSignals.emit('enqueued'));
}

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

/** Several jobs of one kind in one statement (a batch handler's follow-up jobs), same defaults as enqueue(). */
export async function enqueueMany(
  tx: Tx,
  kind: string,
  payloads: Array<Record<string, unknown>>,
  options: Omit<EnqueueOptions, 'uniqueKey'> = {},
): Promise<void> {
  if (payloads.length === 0) return;
  await tx.query(
    `insert into jobs (tenant_id, kind, payload, run_at, max_attempts)
     select $1, $2, p.value, coalesce($4, now()), $5 from jsonb_array_elements($3::jsonb) with ordinality as p (value, n) order by p.n`,
    [tx.tenantId, kind, JSON.stringify(payloads), options.runAt ?? null, options.maxAttempts ?? 8],
  );
  tx.afterCommit(() => jobSignals.emit('enqueued'));
}

// Effects committed once. Delivery is at least once (runner.ts): a process killed after a handler's
// transaction committed but before the runner marked the job done runs the job again elsewhere. A handler
// whose effect is a database write (a mail queued, a row added) calls recordEffect() inside the very
// transaction that writes it: the record commits with the effect or not at all. The runner, before it runs
// a job again (attempt 2 and later), looks for the record and marks the job done instead of repeating it.
// A key recorded twice fails the second transaction (primary key), so even two workers racing on one job
// cannot both commit its effect.
import type { Tx } from '../db/database.ts';

/** What this file reads of a job (runner.ts's Job has it): its random effect key, set by the claim. */
interface Keyed {
  effect_key?: string | null;
}

/** Records, in `tx`, that the effect of these jobs is committed (their `effect_key`, set by the claim). */
export async function recordEffect(tx: Tx, jobs: Keyed | Keyed[]): Promise<void> {
  const list = Array.isArray(jobs) ? jobs : [jobs];
  const keys = list.map((j) => j.effect_key).filter((k): k is string => typeof k === 'string');
  if (keys.length === 0) return;
  await tx.query(`insert into job_effects (effect_key, tenant_id) select k, $2 from unnest($1::uuid[]) as k`, [keys, tx.tenantId]);
}

/** The keys among these jobs' whose effect an earlier attempt committed (the runner's check, as the owner). */
export async function committedEffects(tx: Tx, jobs: Keyed[]): Promise<Set<string>> {
  const keys = jobs.map((j) => j.effect_key).filter((k): k is string => typeof k === 'string');
  if (keys.length === 0) return new Set();
  const rows = await tx.query<{ effect_key: string }>('select effect_key from job_effects where effect_key = any($1::uuid[])', [keys]);
  return new Set(rows.map((r) => r.effect_key));
}

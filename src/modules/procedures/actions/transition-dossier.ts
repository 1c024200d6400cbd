// An agent changes a dossier's state: only along the transition table (dossier-states.ts), with a
// motivation to refuse or dismiss. One transaction: lock, policy, change, history, journal, notify.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { HttpError, unprocessable } from '../../../core/base/errors.ts';
import { loadVisibleDossier, requireAgent, type Principal } from '../procedures.policy.ts';
import { applyTransition, type DossierRow } from '../dossiers.repository.ts';
import { findProcedure } from '../procedures.repository.ts';
import { MOTIVATION_REQUIRED, isAgentTransition, isDossierState, type DossierState } from '../dossier-states.ts';
import { enqueueDossierEvent } from '../dossier-events.ts';

export interface TransitionInput {
  to: unknown;
  motivation?: unknown;
}

/** Inside a transaction (bulk transitions reuse it per dossier). */
export async function transitionIn(tx: Tx, p: Principal, dossier: DossierRow, input: TransitionInput): Promise<DossierRow> {
  const to = input.to;
  if (!isDossierState(to)) throw unprocessable({ to: [p.t('procedures.field.choice')] });
  if (!isAgentTransition(dossier.state, to)) {
    throw new HttpError(409, 'illegal_transition', p.t('procedures.error.illegal_transition', { from: dossier.state, to }));
  }
  const motivation = typeof input.motivation === 'string' && input.motivation.trim() ? input.motivation.trim() : null;
  if (motivation && motivation.length > 10_000) throw unprocessable({ motivation: [p.t('procedures.field.too_long', { max: 10_000 })] });
  if (MOTIVATION_REQUIRED.includes(to) && !motivation) throw unprocessable({ motivation: [p.t('procedures.error.motivation_required')] });
  const updated = await applyTransition(tx, dossier, to as DossierState, p.actor, motivation);
  await journal(tx, {
    actor: p.actor,
    action: 'procedures.dossier.transition',
    subjectType: 'dossier',
    subjectId: dossier.id,
    data: { number: dossier.number, from: dossier.state, to, motivation },
  });
  const procedure = (await findProcedure(tx, dossier.procedure_id))!;
  await enqueueDossierEvent(tx, procedure, dossier.id, `state:${to}`, { motivation });
  return updated;
}

export async function transitionDossier(db: Database, p: Principal, number: number, input: TransitionInput): Promise<DossierRow> {
  return db.transaction(p.tenantId, async (tx) => transitionIn(tx, p, await loadVisibleDossier(tx, p, number, { lock: true }), input));
}

export interface BulkResult {
  changed: number[];
  /** Dossiers left unchanged, with the reason (illegal, not found…). */
  skipped: Array<{ number: number; code: string }>;
}

/**
 * The same transition on many dossiers. Each dossier is its own transaction, so one illegal move does not
 * undo the others; each skip is reported.
 */
export async function bulkTransition(db: Database, p: Principal, numbers: number[], input: TransitionInput): Promise<BulkResult> {
  requireAgent(p);
  const result: BulkResult = { changed: [], skipped: [] };
  for (const number of numbers.slice(0, 500)) {
    try {
      await transitionDossier(db, p, number, input);
      result.changed.push(number);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode === 403) throw error;
      if (error.statusCode === 422) throw error;
      result.skipped.push({ number, code: error.code });
    }
  }
  return result;
}

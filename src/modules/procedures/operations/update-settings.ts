// A designer changes a procedure's operations settings (templates, webhook, retention, drafts): checked,
// merged into procedures.settings and journaled in one transaction. The webhook secret is journaled as
// "changed", never in clear.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/http/errors.ts';
import { requireDesigner, type Principal } from '../procedures.policy.ts';
import { findProcedure, updateSettings } from '../procedures.repository.ts';
import { operationsSettings, validateOperationsSettings, type OperationsSettings } from './settings.ts';
import './messages-ops.ts';

/** Settings as shown back to a designer: the webhook secret is never returned. */
export function publicOperationsSettings(s: OperationsSettings): Record<string, unknown> {
  return {
    notifications: s.notifications,
    webhook: s.webhook ? { url: s.webhook.url, secret_set: true } : null,
    retention: s.retention ? { after_decision: s.retention.action, days: s.retention.days } : null,
    drafts: { expire_after_days: s.drafts.expireAfterDays, remind_before_days: s.drafts.remindBeforeDays },
  };
}

export async function updateOperationsSettings(db: Database, p: Principal, ref: string, input: unknown, options: { allowHttp: boolean }): Promise<OperationsSettings> {
  requireDesigner(p);
  const checked = validateOperationsSettings(input, { allowHttp: options.allowHttp });
  if (!checked.ok) {
    throw unprocessable(Object.fromEntries(Object.entries(checked.errors).map(([k, keys]) => [k, keys.map((key) => p.t(key))])));
  }
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    await updateSettings(tx, procedure.id, checked.value);
    const changed: Record<string, unknown> = { ...checked.value };
    if (changed.webhook) changed.webhook = { url: (changed.webhook as { url: string }).url, secret: 'changed' };
    await journal(tx, { actor: p.actor, action: 'procedures.procedure.operations', subjectType: 'procedure', subjectId: procedure.id, data: changed });
    return operationsSettings({ ...procedure.settings, ...checked.value });
  });
}

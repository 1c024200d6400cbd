// A designer changes a procedure's operations settings (templates, webhook, retention, drafts): checked,
// merged into procedures.settings and journaled in one transaction. The webhook secret is journaled as
// "changed", never in clear, and never returned again: without a secret of their own, the server generates
// one (and on `rotate_secret`), returned once by this action for the page or the API to show once.
// A webhook address that resolves to a loopback, private, link-local or metadata address is refused here
// (core/net/outbound.ts), and again at each delivery since DNS answers change.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../../core/db/database.ts';
import { checkOutboundUrl, OutboundError, type OutboundPolicy } from '../../../core/net/outbound.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { requireDesigner, type Principal } from '../procedures.policy.ts';
import { findProcedure, updateSettings } from '../procedures.repository.ts';
import { operationsSettings, validateOperationsSettings, type OperationsSettings } from './settings.ts';

/**
 * Settings as shown back to a designer: the webhook secret is never returned, except the one the server
 * has just generated (`generatedSecret`, shown once).
 */
export function publicOperationsSettings(s: OperationsSettings, generatedSecret: string | null = null): Record<string, unknown> {
  return {
    notifications: s.notifications,
    webhook: s.webhook ? { url: s.webhook.url, secret_set: true, ...(generatedSecret ? { secret: generatedSecret } : {}) } : null,
    retention: s.retention
      ? {
          after_decision: s.retention.action,
          days: s.retention.days,
          ...(s.retention.action === 'archive'
            ? { then: s.retention.then, appraisal_rule: s.retention.appraisalRule, access_rule: s.retention.accessRule }
            : {}),
        }
      : null,
    drafts: { expire_after_days: s.drafts.expireAfterDays, remind_before_days: s.drafts.remindBeforeDays },
  };
}

export interface UpdateOperationsOptions {
  allowHttp: boolean;
  /** The host's outbound policy (config.outboundAllow; a resolver in tests). Default: nothing exempt. */
  outbound?: OutboundPolicy;
}

/** A webhook secret the server chose: 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const errorsOf = (p: Principal, errors: Record<string, string[]>) =>
  unprocessable(Object.fromEntries(Object.entries(errors).map(([k, keys]) => [k, keys.map((key) => p.t(key))])));

export async function updateOperationsSettings(
  db: Database,
  p: Principal,
  ref: string,
  input: unknown,
  options: UpdateOperationsOptions,
): Promise<OperationsSettings & { generatedSecret: string | null }> {
  requireDesigner(p);
  const checked = validateOperationsSettings(input, { allowHttp: options.allowHttp });
  if (!checked.ok) throw errorsOf(p, checked.errors);
  const webhook = checked.value.webhook as { url: string; secret?: string; rotate_secret?: true } | null | undefined;
  if (webhook) {
    try {
      await checkOutboundUrl(webhook.url, options.outbound);
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      // A name that does not resolve (yet, or DNS is slow) is accepted: every delivery checks again.
      if (error.code === 'address_not_allowed') throw errorsOf(p, { 'webhook.url': ['procedures.ops.errors.url_not_allowed'] });
      if (error.code === 'invalid_url') throw errorsOf(p, { 'webhook.url': ['procedures.ops.errors.url'] });
    }
  }
  return db.transaction(p.tenantId, async (tx) => {
    const procedure = await findProcedure(tx, ref, { lock: true });
    if (!procedure) throw notFound();
    const patch: Record<string, unknown> = { ...checked.value };
    const changed: Record<string, unknown> = { ...checked.value };
    let generatedSecret: string | null = null;
    if (webhook) {
      const current = operationsSettings(procedure.settings).webhook;
      let secret = webhook.secret ?? (webhook.rotate_secret ? null : (current?.secret ?? null));
      if (secret === null) secret = generatedSecret = newWebhookSecret();
      patch.webhook = { url: webhook.url, secret };
      changed.webhook = { url: webhook.url, secret: secret === current?.secret ? 'unchanged' : 'changed' };
    }
    await updateSettings(tx, procedure.id, patch);
    await journal(tx, { actor: p.actor, action: 'procedures.procedure.operations', subjectType: 'procedure', subjectId: procedure.id, data: changed });
    return { ...operationsSettings({ ...procedure.settings, ...patch }), generatedSecret };
  });
}

// The operations part of a procedure's settings (procedures.settings jsonb): email templates, webhook,
// retention after decision, draft expiry. Read with defaults filled in; written only through
// validateOperationsSettings so a stored value is always usable by the jobs.
import type { Tx } from '../../../core/db/database.ts';

export const NOTIFY_EVENTS = ['submitted', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite', 'message'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const RETENTION_ACTIONS = ['archive', 'anonymise', 'delete'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];
/** What the procedures module keeps of a dossier once the archives hold it (retention "archive"). */
export const AFTER_ARCHIVE = ['keep', 'anonymise', 'delete'] as const;
export type AfterArchive = (typeof AFTER_ARCHIVE)[number];
/**
 * The management rules a dossier's archive unit gets when the procedure does not name them: the shipped
 * appraisal rule for case files (10 years of administrative use, then destroy: a subsidy or permit file's
 * usual DUA) and the 50-year access delay of Code du patrimoine L213-2, I, 3° (a dossier names a person and
 * describes their situation: private life). Both are in every collectivité's library (archives/rules).
 */
export const DEFAULT_ARCHIVE_RULES = { appraisal: 'APP-DOSSIER-10-D', access: 'ACC-50' } as const;
const RULE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface Template {
  subject: string;
  body: string;
}

export interface OperationsSettings {
  notifications: { enabled: boolean; templates: Partial<Record<NotifyEvent, Template>> };
  webhook: { url: string; secret: string } | null;
  /** What happens to a decided dossier `days` after its decision (null: kept as is). */
  retention: {
    action: RetentionAction;
    days: number;
    /** Retention "archive" only: what stays here once the archive unit is committed (default keep). */
    then: AfterArchive;
    /** Retention "archive" only: rule codes of the collectivité's archive library for the unit. */
    appraisalRule: string;
    accessRule: string;
  } | null;
  drafts: { expireAfterDays: number; remindBeforeDays: number };
}

export const DEFAULT_DRAFT_EXPIRY_DAYS = 90;
export const DEFAULT_DRAFT_REMINDER_DAYS = 7;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Settings as stored (snake_case JSON) → typed, with defaults; unknown or broken parts are ignored. */
export function operationsSettings(stored: unknown): OperationsSettings {
  const s = isObject(stored) ? stored : {};
  const n = isObject(s.notifications) ? s.notifications : {};
  const templates: OperationsSettings['notifications']['templates'] = {};
  if (isObject(n.templates)) {
    for (const event of NOTIFY_EVENTS) {
      const t = n.templates[event];
      if (isObject(t) && typeof t.subject === 'string' && typeof t.body === 'string') templates[event] = { subject: t.subject, body: t.body };
    }
  }
  const w = isObject(s.webhook) ? s.webhook : null;
  const r = isObject(s.retention) ? s.retention : null;
  const d = isObject(s.drafts) ? s.drafts : {};
  const posInt = (v: unknown, fallback: number) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fallback);
  return {
    notifications: { enabled: n.enabled !== false, templates },
    webhook: w && typeof w.url === 'string' && typeof w.secret === 'string' && w.url ? { url: w.url, secret: w.secret } : null,
    retention:
      r && (RETENTION_ACTIONS as readonly unknown[]).includes(r.after_decision) && Number.isInteger(r.days)
        ? {
            action: r.after_decision as RetentionAction,
            days: r.days as number,
            then: (AFTER_ARCHIVE as readonly unknown[]).includes(r.then) ? (r.then as AfterArchive) : 'keep',
            appraisalRule: typeof r.appraisal_rule === 'string' && RULE_CODE.test(r.appraisal_rule) ? r.appraisal_rule : DEFAULT_ARCHIVE_RULES.appraisal,
            accessRule: typeof r.access_rule === 'string' && RULE_CODE.test(r.access_rule) ? r.access_rule : DEFAULT_ARCHIVE_RULES.access,
          }
        : null,
    drafts: {
      expireAfterDays: posInt(d.expire_after_days, DEFAULT_DRAFT_EXPIRY_DAYS) || DEFAULT_DRAFT_EXPIRY_DAYS,
      remindBeforeDays: posInt(d.remind_before_days, DEFAULT_DRAFT_REMINDER_DAYS),
    },
  };
}

export type SettingsErrors = Record<string, string[]>;

const MAX_TEMPLATE = 10_000;

/**
 * Checks a patch of operations settings (the JSON the API and the designer send) and returns the stored
 * form to merge into procedures.settings, or the errors per field (message keys for i18n).
 */
export function validateOperationsSettings(
  input: unknown,
  options: { allowHttp?: boolean } = {},
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const add = (key: string, message: string) => {
    (errors[key] ??= []).push(message);
  };
  const value: Record<string, unknown> = {};
  if (!isObject(input)) return { ok: false, errors: { settings: ['procedures.ops.errors.object'] } };
  if (input.notifications !== undefined) {
    const n = input.notifications;
    if (!isObject(n)) add('notifications', 'procedures.ops.errors.object');
    else {
      const templates: Record<string, Template> = {};
      if (n.templates !== undefined && !isObject(n.templates)) add('notifications.templates', 'procedures.ops.errors.object');
      for (const [event, t] of Object.entries(isObject(n.templates) ? n.templates : {})) {
        if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
          add(`notifications.templates.${event}`, 'procedures.ops.errors.unknown_event');
          continue;
        }
        if (!isObject(t) || typeof t.subject !== 'string' || typeof t.body !== 'string' || !t.subject.trim() || !t.body.trim()) {
          add(`notifications.templates.${event}`, 'procedures.ops.errors.template');
          continue;
        }
        if (t.subject.length > 300 || t.body.length > MAX_TEMPLATE || /[\r\n]/.test(t.subject)) {
          add(`notifications.templates.${event}`, 'procedures.ops.errors.template_size');
          continue;
        }
        templates[event] = { subject: t.subject.trim(), body: t.body };
      }
      value.notifications = { enabled: n.enabled !== false, templates };
    }
  }
  if (input.webhook !== undefined) {
    const w = input.webhook;
    if (w === null) value.webhook = null;
    else if (!isObject(w) || typeof w.url !== 'string') add('webhook.url', 'procedures.ops.errors.url');
    else {
      let url: URL | null = null;
      try {
        url = new URL(w.url);
      } catch {
        /* reported below */
      }
      if (!url || !(url.protocol === 'https:' || (options.allowHttp && url.protocol === 'http:')) || url.username || url.password || w.url.length > 2000) {
        add('webhook.url', 'procedures.ops.errors.url');
      }
      // The secret is optional: without one, the server generates it (and shows it once); a designer may
      // still give one the receiver already has. Whether the address may be reached is checked by the
      // action (it needs DNS), see update-settings.ts.
      if (w.secret !== undefined && w.secret !== null && w.secret !== '' && (typeof w.secret !== 'string' || w.secret.length < 16 || w.secret.length > 200)) {
        add('webhook.secret', 'procedures.ops.errors.secret');
      }
      if (w.rotate_secret !== undefined && typeof w.rotate_secret !== 'boolean') add('webhook.rotate_secret', 'procedures.ops.errors.boolean');
      value.webhook = {
        url: w.url,
        ...(typeof w.secret === 'string' && w.secret ? { secret: w.secret } : {}),
        ...(w.rotate_secret === true ? { rotate_secret: true } : {}),
      };
    }
  }
  if (input.retention !== undefined) {
    const r = input.retention;
    if (r === null) value.retention = null;
    else if (!isObject(r) || !(RETENTION_ACTIONS as readonly unknown[]).includes(r.after_decision))
      add('retention.after_decision', 'procedures.ops.errors.retention_action');
    else if (!Number.isInteger(r.days) || (r.days as number) < 0 || (r.days as number) > 36_500) add('retention.days', 'procedures.ops.errors.days');
    else if (r.then !== undefined && (r.after_decision !== 'archive' || !(AFTER_ARCHIVE as readonly unknown[]).includes(r.then)))
      add('retention.then', 'procedures.ops.errors.retention_then');
    else if (r.appraisal_rule !== undefined && (r.after_decision !== 'archive' || typeof r.appraisal_rule !== 'string' || !RULE_CODE.test(r.appraisal_rule)))
      add('retention.appraisal_rule', 'procedures.ops.errors.rule_code');
    else if (r.access_rule !== undefined && (r.after_decision !== 'archive' || typeof r.access_rule !== 'string' || !RULE_CODE.test(r.access_rule)))
      add('retention.access_rule', 'procedures.ops.errors.rule_code');
    else
      value.retention = {
        after_decision: r.after_decision,
        days: r.days,
        ...(r.then !== undefined ? { then: r.then } : {}),
        ...(r.appraisal_rule !== undefined ? { appraisal_rule: r.appraisal_rule } : {}),
        ...(r.access_rule !== undefined ? { access_rule: r.access_rule } : {}),
      };
  }
  if (input.drafts !== undefined) {
    const d = input.drafts;
    const exp = isObject(d) ? (d.expire_after_days ?? DEFAULT_DRAFT_EXPIRY_DAYS) : null;
    const rem = isObject(d) ? (d.remind_before_days ?? DEFAULT_DRAFT_REMINDER_DAYS) : null;
    if (!Number.isInteger(exp) || (exp as number) < 1 || (exp as number) > 3650) add('drafts.expire_after_days', 'procedures.ops.errors.days');
    else if (!Number.isInteger(rem) || (rem as number) < 0 || (rem as number) >= (exp as number))
      add('drafts.remind_before_days', 'procedures.ops.errors.reminder');
    else value.drafts = { expire_after_days: exp, remind_before_days: rem };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}

/** Stored settings as the API may show them (GET of a procedure): the webhook secret never leaves. */
export function settingsWithoutSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  const w = settings.webhook as { url?: unknown } | null | undefined;
  return w && typeof w === 'object' ? { ...settings, webhook: { url: w.url, secret_set: true } } : settings;
}

/** The operations settings of one procedure (RLS: the transaction's tenant), or null if unknown. */
export async function loadOperationsSettings(tx: Tx, procedureId: string): Promise<OperationsSettings | null> {
  const row = await tx.one<{ settings: unknown }>('select settings from procedures where id = $1', [procedureId]);
  return row ? operationsSettings(row.settings) : null;
}

// The designer's "operations" page of a procedure: citizen email templates, webhook (with its delivery
// log), retention after decision and draft expiry. /<slug>/admin/demarches/<id>/operations, a plain form
// that works without JavaScript; bad input re-renders the form with an error summary and changes nothing.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import type { RequestContext } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRecentSignIn, requireRoles } from '../../../../core/auth/require.ts';
import { html, type Html } from '../../../../core/views/html.ts';
import { csrfField, errorSummary, input, notice, select, submit, textarea, type FieldErrors } from '../../../../core/views/forms.ts';
import { formatDateTime } from '../../../../core/i18n/i18n.ts';
import { noticeFrom, seeOther, sendPage } from '../../views/common.ts';
import { principalOf } from '../../procedures.policy.ts';
import { findProcedure, type ProcedureRow } from '../../procedures.repository.ts';
import { listWebhookDeliveries, type DeliveryRow } from '../../webhooks/dispatch.ts';
import { DEFAULT_TEMPLATES } from '../../notifications/templates.ts';
import { NOTIFY_EVENTS, operationsSettings, type OperationsSettings } from '../../operations/settings.ts';
import { updateOperationsSettings } from '../../operations/update-settings.ts';
import { formBodyOf } from '../form-body.ts';

type Body = Record<string, string | undefined>;
type Params = { id: string };

/** The API's error keys (`webhook.url`) are the form's field names with dots as underscores. */
const fieldName = (key: string) => (/^notifications\.templates\.[a-z_]+$/.test(key) ? `${key}_subject` : key).replace(/\./g, '_');

function settingsToForm(s: OperationsSettings): Body {
  const form: Body = {
    enabled: s.notifications.enabled ? 'on' : undefined,
    webhook_url: s.webhook?.url ?? '',
    retention_after_decision: s.retention?.action ?? '',
    retention_days: s.retention ? String(s.retention.days) : '',
    drafts_expire_after_days: String(s.drafts.expireAfterDays),
    drafts_remind_before_days: String(s.drafts.remindBeforeDays),
  };
  for (const e of NOTIFY_EVENTS) {
    const tpl = s.notifications.templates[e] ?? DEFAULT_TEMPLATES[e];
    form[`notifications_templates_${e}_subject`] = tpl.subject;
    form[`notifications_templates_${e}_body`] = tpl.body;
  }
  return form;
}

/** The form → a settings patch; templates equal to the defaults are not stored (defaults may improve). */
/** The posted form: each control's value (the first, if a name came twice); absent controls stay undefined. */
function operationsForm(posted: unknown): Body {
  return Object.fromEntries(Object.entries(formBodyOf(posted)).map(([name, v]) => [name, Array.isArray(v) ? v[0] : v]));
}

function formToPatch(body: Body, current: OperationsSettings): Record<string, unknown> {
  const templates: Record<string, { subject: string; body: string }> = {};
  for (const e of NOTIFY_EVENTS) {
    const subject = body[`notifications_templates_${e}_subject`] ?? '';
    const text = (body[`notifications_templates_${e}_body`] ?? '').replace(/\r\n/g, '\n');
    if (subject.trim() !== DEFAULT_TEMPLATES[e].subject || text.trim() !== DEFAULT_TEMPLATES[e].body.trim()) templates[e] = { subject, body: text };
  }
  const patch: Record<string, unknown> = { notifications: { enabled: body.enabled === 'on', templates } };
  const url = (body.webhook_url ?? '').trim();
  const secret = body.webhook_secret ?? '';
  if (body.webhook_remove === 'on' || (!url && current.webhook)) patch.webhook = null;
  // No secret typed and none stored, or "new secret" ticked: the server generates one, shown once.
  else if (url && body.webhook_rotate === 'on' && !secret) patch.webhook = { url, rotate_secret: true };
  else if (url) patch.webhook = { url, secret: secret || current.webhook?.secret || '' };
  const action = body.retention_after_decision ?? '';
  const days = (body.retention_days ?? '').trim();
  // The form does not show the archive-only settings (then, rule codes: API for now): kept as they are.
  const kept =
    action === 'archive' && current.retention?.action === 'archive'
      ? { then: current.retention.then, appraisal_rule: current.retention.appraisalRule, access_rule: current.retention.accessRule }
      : {};
  patch.retention = action ? { after_decision: action, days: /^\d{1,6}$/.test(days) ? Number(days) : days, ...kept } : null;
  const num = (v: string | undefined) => (/^\d{1,6}$/.test((v ?? '').trim()) ? Number(v) : v);
  patch.drafts = { expire_after_days: num(body.drafts_expire_after_days), remind_before_days: num(body.drafts_remind_before_days) };
  return patch;
}

/** The log's coarse outcome in words (`HTTP 503` stays as is; the guard's categories are translated). */
function deliveryError(ctx: RequestContext, error: string | null): string {
  if (!error || /^HTTP \d{3}$/.test(error)) return error ?? '';
  return ctx.t(`procedures.ops.delivery.${/^[a-z_]+$/.test(error) ? error : 'unreachable'}`);
}

function deliveriesTable(ctx: RequestContext, rows: DeliveryRow[]): Html {
  const { t } = ctx;
  if (!rows.length) return html`<p>${t('procedures.ops.page.no_deliveries')}</p>`;
  return html`<table><caption>${t('procedures.ops.page.deliveries')}</caption>
<thead><tr><th scope="col">${t('procedures.ops.page.when')}</th><th scope="col">${t('procedures.ops.page.event')}</th><th scope="col">${t('procedures.ops.page.dossier')}</th><th scope="col">${t('procedures.ops.page.attempt')}</th><th scope="col">${t('procedures.ops.page.result')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${formatDateTime(ctx.locale, r.created_at)}</td><td>${r.event}</td><td>${r.dossier_number ?? ''}</td><td>${r.attempt}</td><td>${r.ok ? `✓ ${r.status_code}` : `✗ ${deliveryError(ctx, r.error)}`} (${r.duration_ms} ms)</td></tr>`)}</tbody></table>`;
}

function pageBody(
  ctx: RequestContext,
  v: {
    base: string;
    procedure: ProcedureRow;
    form: Body;
    webhookSet: boolean;
    deliveries: DeliveryRow[];
    errors?: FieldErrors;
    notice?: string;
    newSecret?: string | null;
  },
): Html {
  const { t } = ctx;
  const f = v.form;
  const e = v.errors ? Object.fromEntries(Object.entries(v.errors).map(([k, m]) => [fieldName(k), m])) : undefined;
  const eventLabel = (ev: string) => t(`procedures.ops.event.${ev}`);
  return html`<p><a href="${v.base}">← ${v.procedure.title}</a></p>
<h1>${t('procedures.ops.page.title')}</h1>
${notice(v.notice)}${errorSummary(ctx, e)}
${v.newSecret ? html`<div class="notice" role="status"><p>${t('procedures.ops.page.secret_generated')}</p><p><code id="webhook-secret">${v.newSecret}</code></p></div>` : ''}
<form method="post" action="${v.base}/operations" novalidate>
${csrfField(ctx)}
<h2>${t('procedures.ops.page.notifications')}</h2>
<p class="hint">${t('procedures.ops.page.placeholders')}</p>
<div class="choice"><input type="checkbox" id="field-enabled" name="enabled"${f.enabled === 'on' ? html` checked` : ''}><label for="field-enabled">${t('procedures.ops.page.enabled')}</label></div>
${NOTIFY_EVENTS.map(
  (ev) => html`<fieldset><legend>${eventLabel(ev)}</legend>
${input(ctx, { name: `notifications_templates_${ev}_subject`, label: t('procedures.ops.page.subject'), value: f[`notifications_templates_${ev}_subject`], errors: e })}
${textarea(ctx, { name: `notifications_templates_${ev}_body`, label: t('procedures.ops.page.body'), value: f[`notifications_templates_${ev}_body`], rows: 6, errors: e })}
</fieldset>`,
)}
<h2>${t('procedures.ops.page.webhook')}</h2>
${input(ctx, { name: 'webhook_url', label: t('procedures.ops.page.webhook_url'), type: 'url', value: f.webhook_url, hint: t('procedures.ops.page.webhook_hint'), errors: e })}
${input(ctx, { name: 'webhook_secret', label: t('procedures.ops.page.webhook_secret'), type: 'password', value: '', autocomplete: 'new-password', hint: v.webhookSet ? t('procedures.ops.page.secret_set') : t('procedures.ops.page.secret_new'), errors: e })}
${
  v.webhookSet
    ? html`<div class="choice"><input type="checkbox" id="field-webhook_rotate" name="webhook_rotate"><label for="field-webhook_rotate">${t('procedures.ops.page.webhook_rotate')}</label></div>
<div class="choice"><input type="checkbox" id="field-webhook_remove" name="webhook_remove"><label for="field-webhook_remove">${t('procedures.ops.page.webhook_remove')}</label></div>`
    : ''
}
${deliveriesTable(ctx, v.deliveries)}
<h2>${t('procedures.ops.page.retention')}</h2>
${select(ctx, {
  name: 'retention_after_decision',
  label: t('procedures.ops.page.after_decision'),
  value: f.retention_after_decision,
  errors: e,
  options: [
    { value: '', label: t('procedures.ops.retention.keep') },
    ...['archive', 'anonymise', 'delete'].map((a) => ({ value: a, label: t(`procedures.ops.retention.${a}`) })),
  ],
})}
${input(ctx, { name: 'retention_days', label: t('procedures.ops.page.days_after_decision'), inputmode: 'numeric', value: f.retention_days, errors: e })}
${input(ctx, { name: 'drafts_expire_after_days', label: t('procedures.ops.page.draft_expiry'), inputmode: 'numeric', value: f.drafts_expire_after_days, errors: e })}
${input(ctx, { name: 'drafts_remind_before_days', label: t('procedures.ops.page.draft_reminder'), inputmode: 'numeric', value: f.drafts_remind_before_days, hint: t('procedures.ops.page.draft_reminder_hint'), errors: e })}
${submit(t('procedures.ops.page.save'))}
</form>`;
}

export function registerOperationsPage(app: FastifyInstance, deps: AppDeps): void {
  const load = async (request: FastifyRequest<{ Params: Params }>) => {
    requireRoles(request, 'procedure_admin');
    const p = principalOf(request.ctx);
    return deps.db.transaction(p.tenantId, async (tx) => {
      const procedure = await findProcedure(tx, request.params.id);
      if (!procedure) throw notFound();
      return { p, procedure, deliveries: await listWebhookDeliveries(tx, procedure.id, 20) };
    });
  };
  app.get<{ Params: Params; Querystring: { notice?: string } }>('/:tenant/admin/demarches/:id/operations', async (request, reply) => {
    const { procedure, deliveries } = await load(request);
    const s = operationsSettings(procedure.settings);
    const base = `/${request.ctx.tenant!.slug}/admin/demarches/${procedure.id}`;
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('procedures.ops.page.title'),
      path: request.url,
      body: pageBody(request.ctx, {
        base,
        procedure,
        form: settingsToForm(s),
        webhookSet: !!s.webhook,
        deliveries,
        notice: noticeFrom(request.ctx, request.query),
      }),
    });
  });
  app.post<{ Params: Params }>('/:tenant/admin/demarches/:id/operations', async (request, reply) => {
    const { p, procedure, deliveries } = await load(request);
    const current = operationsSettings(procedure.settings);
    const base = `/${request.ctx.tenant!.slug}/admin/demarches/${procedure.id}`;
    const body = operationsForm(request.body);
    const patch = formToPatch(body, current);
    // Where dossiers are sent is sensitive: changing the webhook asks for a recent sign-in (core auth).
    const webhook = patch.webhook as { url: string; secret: string } | null | undefined;
    if (webhook !== undefined && (webhook?.url !== current.webhook?.url || webhook?.secret !== current.webhook?.secret)) {
      await requireRecentSignIn(deps.db, request, `${base}/operations`);
    }
    let updated;
    try {
      updated = await updateOperationsSettings(deps.db, p, procedure.id, patch, {
        allowHttp: deps.config.env !== 'production',
        outbound: { allow: deps.config.outboundAllow },
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
      const errors = (error.details as { errors: FieldErrors }).errors;
      return sendPage(
        reply,
        request.ctx,
        {
          title: request.ctx.t('procedures.ops.page.title'),
          path: request.url,
          body: pageBody(request.ctx, { base, procedure, form: body, webhookSet: !!current.webhook, deliveries, errors }),
        },
        422,
      );
    }
    if (updated.generatedSecret) {
      // Shown once, on this answer only (never stored in a page again): no redirect, so no URL carries it.
      const saved = await load(request);
      const s = operationsSettings(saved.procedure.settings);
      return sendPage(reply, request.ctx, {
        title: request.ctx.t('procedures.ops.page.title'),
        path: request.url,
        body: pageBody(request.ctx, {
          base,
          procedure: saved.procedure,
          form: settingsToForm(s),
          webhookSet: !!s.webhook,
          deliveries: saved.deliveries,
          notice: request.ctx.t('procedures.web.notice.operations_saved'),
          newSecret: updated.generatedSecret,
        }),
      });
    }
    return seeOther(reply, `${base}/operations`, 'operations_saved');
  });
}

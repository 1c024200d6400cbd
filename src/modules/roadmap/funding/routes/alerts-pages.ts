// Saved searches of a staff member: /<slug>/admin/feuille-de-route/alertes (list, create, delete), and the
// unsubscribe link of their mails, /<slug>/feuille-de-route/alertes/desabonner/<token> (a form: a GET changes
// nothing, so that a mail scanner following links does not unsubscribe anyone).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { actorOf, requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { STAFF_ROLES } from '../../../../core/base/roles.ts';
import { HttpError } from '../../../../core/base/errors.ts';
import { html, type Html } from '../../../../core/views/html.ts';
import { page } from '../../../../core/views/layout.ts';
import { choices, csrfField, errorSummary, input, submit } from '../../../../core/views/forms.ts';
import { createAlert, deleteAlert, listAlerts, unsubscribe } from '../alerts/alerts.ts';
import { NATURES, THEMES } from '../vocabulary.ts';
import { formValues, one } from './form.ts';

function send(reply: FastifyReply, request: FastifyRequest, title: string, body: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(request.ctx, { title, path: request.url, body }).value);
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function registerAlertPages(app: FastifyInstance, deps: AppDeps): void {
  const who = (request: FastifyRequest) => {
    const person = requireRoles(request, STAFF_ROLES);
    return { tenantId: requireTenant(request).id, personId: person.id, actor: actorOf(request.ctx), t: request.ctx.t };
  };

  const alertsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: Record<string, string[]>,
    values: Record<string, string | string[]> = {},
  ) => {
    const w = who(request);
    const tenant = requireTenant(request);
    const t = request.ctx.t;
    const alerts = await deps.db.transaction(w.tenantId, (tx) => listAlerts(tx, w.personId));
    const base = `/${tenant.slug}/admin/feuille-de-route/alertes`;
    const labels = {
      title: t('roadmap.funding.alert.title_field'),
      themes: t('roadmap.funding.field.themes'),
      natures: t('roadmap.funding.field.nature'),
      text_query: t('roadmap.funding.search_words'),
    };
    const body = html`<h1>${t('roadmap.funding.alert.page')}</h1>
<p>${t('roadmap.funding.alert.intro')}</p>
${
  alerts.length
    ? html`<ul>${alerts.map(
        (a) => html`<li>${a.title}${a.active ? '' : html` <span class="badge">${t('roadmap.funding.alert.stopped')}</span>`}
<form method="post" action="${base}/${a.id}/supprimer" class="inline">${csrfField(request.ctx)}${submit(t('roadmap.funding.alert.delete'))}</form></li>`,
      )}</ul>`
    : html`<p>${t('roadmap.funding.alert.none')}</p>`
}
${errorSummary(request.ctx, errors, labels)}
<form method="post" action="${base}" novalidate><fieldset><legend>${t('roadmap.funding.alert.new')}</legend>${csrfField(request.ctx)}
${input(request.ctx, { name: 'title', label: labels.title, value: one(values, 'title'), required: true, errors })}
${choices(request.ctx, { name: 'themes', label: labels.themes, multiple: true, values: list(values.themes), errors, options: THEMES.map((v) => ({ value: v, label: t(`roadmap.funding.theme.${v}`) })) })}
${choices(request.ctx, { name: 'natures', label: labels.natures, multiple: true, values: list(values.natures), errors, options: NATURES.map((v) => ({ value: v, label: t(`roadmap.funding.nature.${v}`) })) })}
${input(request.ctx, { name: 'text_query', label: labels.text_query, value: one(values, 'text_query'), errors })}
${submit(t('roadmap.funding.save'))}</fieldset></form>`;
    return send(reply, request, t('roadmap.funding.alert.page'), body, errors ? 422 : 200);
  };

  app.get('/:tenant/admin/feuille-de-route/alertes', (request, reply) => alertsPage(request, reply));

  app.post('/:tenant/admin/feuille-de-route/alertes', async (request, reply) => {
    const w = who(request);
    const values = formValues(request.body);
    try {
      await createAlert(deps.db, w, {
        title: one(values, 'title'),
        themes: list(values.themes),
        natures: list(values.natures),
        text_query: one(values, 'text_query'),
      });
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 422)
        return alertsPage(request, reply, (error.details as { errors: Record<string, string[]> }).errors, values);
      throw error;
    }
    return reply.redirect(`/${requireTenant(request).slug}/admin/feuille-de-route/alertes`, 303);
  });

  app.post('/:tenant/admin/feuille-de-route/alertes/:id/supprimer', async (request, reply) => {
    await deleteAlert(deps.db, who(request), one(formValues(request.params), 'id'));
    return reply.redirect(`/${requireTenant(request).slug}/admin/feuille-de-route/alertes`, 303);
  });

  const unsubscribePage = (request: FastifyRequest, reply: FastifyReply, done: boolean | null) => {
    const t = request.ctx.t;
    const body =
      done === null
        ? html`<h1>${t('roadmap.funding.alert.unsubscribe')}</h1><form method="post" action="${request.url.split('?')[0]!}">${csrfField(request.ctx)}${submit(t('roadmap.funding.alert.unsubscribe_confirm'))}</form>`
        : html`<h1>${t('roadmap.funding.alert.unsubscribe')}</h1><p role="status">${t(done ? 'roadmap.funding.alert.unsubscribed' : 'roadmap.funding.alert.unsubscribe_unknown')}</p>`;
    return send(reply, request, t('roadmap.funding.alert.unsubscribe'), body);
  };

  app.get('/:tenant/feuille-de-route/alertes/desabonner/:token', (request, reply) => unsubscribePage(request, reply, null));

  app.post('/:tenant/feuille-de-route/alertes/desabonner/:token', async (request, reply) => {
    const done = await unsubscribe(deps.db, requireTenant(request).id, one(formValues(request.params), 'token'));
    return unsubscribePage(request, reply, done);
  });
}

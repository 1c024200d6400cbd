// Pieces shared by the procedures pages: sending a page, the error summary of a procedure form (its links
// point at the controls render.ts draws), state badges, dates, sizes, pagination links.
import type { FastifyReply } from 'fastify';
import { html, type Html } from '../../../core/views/html.ts';
import { page, type PageOptions } from '../../../core/views/layout.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDateTime } from '../../../core/i18n/i18n.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import { errorsByName, idOf, pathOf } from '../fields/names.ts';

export function sendPage(reply: FastifyReply, ctx: RequestContext, options: PageOptions, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, options).value);
}

/** Redirect after a successful POST, with a notice key shown by the next page. */
export function seeOther(reply: FastifyReply, location: string, notice?: string): FastifyReply {
  const sep = location.includes('?') ? '&' : '?';
  return reply.redirect(notice ? `${location}${sep}notice=${encodeURIComponent(notice)}` : location, 303);
}

/** The notice of `?notice=<key>` when it is one of ours (never free text from the URL). */
export function noticeFrom(ctx: RequestContext, query: unknown): string | undefined {
  const key = query && typeof query === 'object' && 'notice' in query ? query.notice : undefined;
  if (typeof key !== 'string' || !/^[a-z_]{1,40}$/.test(key)) return undefined;
  const text = ctx.t(`procedures.web.notice.${key}`);
  return text === `procedures.web.notice.${key}` ? undefined : text;
}

function labelOfPath(fields: FieldDefinition[], path: string[]): string | undefined {
  const field = fields.find((f) => f.key === path[0]);
  if (!field) return undefined;
  if (path.length >= 3 && field.fields) {
    const inner = labelOfPath(field.fields, path.slice(2));
    return inner ? `${field.label} n° ${Number(path[1]) + 1} – ${inner}` : field.label;
  }
  return field.label;
}

/**
 * Error summary at the top of a form: each error links to its control. `extra` names controls that are
 * not fields of the definition (the guest's email, consent…), by name.
 */
export function formErrorSummary(
  ctx: RequestContext,
  errors: Record<string, string[]> | undefined,
  fields: FieldDefinition[],
  extra: Record<string, string> = {},
): Html {
  const byName = errorsByName(errors ?? {});
  const names = Object.keys(byName);
  if (names.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${ctx.t('core.form.error_summary')}</h2>
<ul>${names.map((name) => {
    const label = extra[name] ?? labelOfPath(fields, pathOf(name));
    return html`<li><a href="#${idOf(name)}">${label ? `${label} : ` : ''}${byName[name]!.join(' ')}</a></li>`;
  })}</ul>
</div>`;
}

export function stateBadge(ctx: RequestContext, state: string): Html {
  return html`<span class="badge state-${state}">${ctx.t(`procedures.web.state.${state}`)}</span>`;
}

export function when(ctx: RequestContext, value: Date | string | null | undefined): Html {
  if (!value) return html``;
  const date = value instanceof Date ? value : new Date(value);
  return html`<time datetime="${date.toISOString()}">${formatDateTime(ctx.locale, date)}</time>`;
}

export function bytes(ctx: RequestContext, size: number): string {
  const unit = ctx.locale === 'fr' ? ['o', 'Ko', 'Mo'] : ['B', 'KB', 'MB'];
  if (size < 1024) return `${size} ${unit[0]}`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} ${unit[1]}`;
  return `${(size / 1024 / 1024).toFixed(1)} ${unit[2]}`;
}

/** Previous / next links and "page x of y", keeping the other query parameters. */
export function pagination(ctx: RequestContext, base: string, query: Record<string, string>, pageNo: number, total: number, perPage: number): Html {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return html``;
  const link = (n: number) => `${base}?${new URLSearchParams({ ...query, page: String(n) }).toString()}`;
  return html`<nav class="pager" aria-label="${ctx.t('procedures.web.pages')}"><ul class="inline">
${pageNo > 1 ? html`<li><a href="${link(pageNo - 1)}" rel="prev">${ctx.t('procedures.web.previous')}</a></li>` : ''}
<li>${ctx.t('procedures.web.page_of', { page: pageNo, pages })}</li>
${pageNo < pages ? html`<li><a href="${link(pageNo + 1)}" rel="next">${ctx.t('procedures.web.next')}</a></li>` : ''}
</ul></nav>`;
}

/** Who did something, from a journal actor string, as people read it. */
export function actorName(ctx: RequestContext, actor: string, names: Record<string, string> = {}): string {
  if (names[actor]) return names[actor]!;
  if (actor.startsWith('guest:')) return actor.slice(6);
  if (actor.startsWith('person:')) return ctx.t('procedures.web.actor.agent');
  if (actor.startsWith('token:')) return ctx.t('procedures.web.actor.integration');
  return ctx.t('procedures.web.actor.system');
}

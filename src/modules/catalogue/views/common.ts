// Pieces the catalogue pages share: sending a page, a redirect with a notice, the error summary of a form,
// state and conformity badges, dates and sizes.
import type { FastifyReply } from 'fastify';
import { html, type Html } from '../../../core/views/html.ts';
import { page, type PageOptions } from '../../../core/views/layout.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDate, formatDateTime } from '../../../core/i18n/i18n.ts';

export function sendPage(reply: FastifyReply, ctx: RequestContext, options: PageOptions, status = 200, cache = 'no-store'): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', cache).send(page(ctx, options).value);
}

export function seeOther(reply: FastifyReply, location: string, notice?: string): FastifyReply {
  const sep = location.includes('?') ? '&' : '?';
  return reply.redirect(notice ? `${location}${sep}notice=${encodeURIComponent(notice)}` : location, 303);
}

/** The notice of `?notice=<key>` when it is one of ours (never free text from the address). */
export function noticeFrom(ctx: RequestContext, query: unknown): Html {
  const key = query && typeof query === 'object' && 'notice' in query ? query.notice : undefined;
  if (typeof key !== 'string' || !/^[a-z_]{1,40}$/.test(key)) return html``;
  const text = ctx.t(`catalogue.notice.${key}`);
  return text === `catalogue.notice.${key}` ? html`` : html`<p class="notice" role="status">${text}</p>`;
}

/** Errors at the top of a form, each linking to its control (`#f-<name>`). */
export function errorSummary(ctx: RequestContext, errors: Record<string, string[]> | undefined, labels: Record<string, string>): Html {
  const names = Object.keys(errors ?? {});
  if (!errors || names.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${ctx.t('catalogue.form.errors')}</h2>
<ul>${names.map((n) => html`<li><a href="#f-${n}">${labels[n] ? `${labels[n]} : ` : ''}${errors[n]!.join(' ')}</a></li>`)}</ul>
</div>`;
}

export function fieldError(errors: Record<string, string[]> | undefined, name: string): Html {
  const list = errors?.[name];
  return list?.length ? html`<p class="error" id="e-${name}">${list.join(' ')}</p>` : html``;
}

export function stateBadge(ctx: RequestContext, state: string): Html {
  return html`<span class="badge state-${state}">${ctx.t(`catalogue.state.${state}`)}</span>`;
}

/** The conformity of a version: valid, invalid (with its error count), waiting, or nothing to check. */
export function conformity(ctx: RequestContext, v: { validation_state: string; valid: boolean | null; error_count: number | null }, reportHref: string): Html {
  if (v.validation_state === 'pending') return html`<span class="badge">${ctx.t('catalogue.conformity.pending')}</span>`;
  if (v.validation_state === 'failed') return html`<span class="badge">${ctx.t('catalogue.conformity.failed')}</span>`;
  if (v.validation_state !== 'done') return html``;
  return v.valid
    ? html`<a class="badge state-accepte" href="${reportHref}">${ctx.t('catalogue.conformity.valid')}</a>`
    : html`<a class="badge state-refuse" href="${reportHref}">${ctx.t('catalogue.conformity.invalid', { count: v.error_count ?? 0 })}</a>`;
}

export function when(ctx: RequestContext, value: Date | string | null | undefined): Html {
  if (!value) return html``;
  const date = value instanceof Date ? value : new Date(value);
  return html`<time datetime="${date.toISOString()}">${formatDateTime(ctx.locale, date)}</time>`;
}

export function day(ctx: RequestContext, value: string | null): string {
  return value ? formatDate(ctx.locale, new Date(`${value}T12:00:00Z`)) : '';
}

export function bytes(ctx: RequestContext, size: number): string {
  const unit = ctx.locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  if (size < 1024) return `${size} ${unit[0]}`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} ${unit[1]}`;
  if (size < 1024 ** 3) return `${(size / 1024 / 1024).toFixed(1)} ${unit[2]}`;
  return `${(size / 1024 ** 3).toFixed(1)} ${unit[3]}`;
}

// Pieces shared by the debates pages: sending a page, notices, the pager, a contribution's card (a hidden
// one shows its reason, never its words), form controls with their errors.
import type { FastifyReply } from 'fastify';
import { html, type Html } from '../../../core/views/html.ts';
import { page, type PageOptions } from '../../../core/views/layout.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDate } from '../../../core/i18n/i18n.ts';
import type { ContributionRow } from '../contributions.repository.ts';

export function sendPage(reply: FastifyReply, ctx: RequestContext, options: PageOptions, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, options).value);
}

export function seeOther(reply: FastifyReply, location: string, notice?: string): FastifyReply {
  const sep = location.includes('?') ? '&' : '?';
  return reply.redirect(notice ? `${location}${sep}notice=${encodeURIComponent(notice)}` : location, 303);
}

/** The notice of `?notice=<key>` when it is one of ours (never free text from the URL). */
export function notice(ctx: RequestContext, query: unknown): Html {
  const key = query && typeof query === 'object' && 'notice' in query ? query.notice : undefined;
  if (typeof key !== 'string' || !/^[a-z_]{1,40}$/.test(key)) return html``;
  const text = ctx.t(`debates.web.notice.${key}`);
  return text === `debates.web.notice.${key}` ? html`` : html`<p class="notice" role="status">${text}</p>`;
}

export function day(ctx: RequestContext, value: string | Date): string {
  return formatDate(ctx.locale, typeof value === 'string' ? `${value}T12:00:00Z` : value);
}

/** Previous / next links and "page x of y" (with `more`: the count is a lower bound, "page x" and a next link). */
export function pager(ctx: RequestContext, base: string, query: Record<string, string>, pageNo: number, total: number, perPage: number, more = false): Html {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1 && !more && pageNo <= 1) return html``;
  const link = (n: number) => `${base}?${new URLSearchParams({ ...query, page: String(n) }).toString()}`;
  const hasNext = more || pageNo < pages;
  return html`<nav class="pager" aria-label="${ctx.t('debates.web.pages')}"><ul class="inline">
${pageNo > 1 ? html`<li><a href="${link(pageNo - 1)}" rel="prev">${ctx.t('debates.web.previous')}</a></li>` : ''}
<li>${more || pageNo > pages ? ctx.t('debates.web.page', { page: pageNo }) : ctx.t('debates.web.page_of', { page: pageNo, pages })}</li>
${hasNext ? html`<li><a href="${link(pageNo + 1)}" rel="next">${ctx.t('debates.web.next')}</a></li>` : ''}
</ul></nav>`;
}

/** Paragraphs of a plain text (line breaks kept, everything escaped). */
export function paragraphs(text: string): Html {
  return html`${text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p.split('\n').map((line, i) => (i ? html`<br>${line}` : line))}</p>`)}`;
}

function kindLabel(ctx: RequestContext, c: ContributionRow): string {
  const kind = ctx.t(`debates.web.kind.${c.kind}`);
  return c.stance ? `${kind} · ${ctx.t(`debates.web.stance.${c.stance}`)}` : kind;
}

/** A contribution in a list (link to its page) or at the top of its page (full text). */
export function contributionCard(ctx: RequestContext, c: ContributionRow, href: string | null): Html {
  const hidden = c.moderation === 'hidden';
  const meta = html`<p class="small"><span class="badge">${kindLabel(ctx, c)}</span>${c.answer_status ? html` <span class="badge">${ctx.t(`debates.web.answer.${c.answer_status}`)}</span>` : ''}
${hidden ? '' : html` ${ctx.t('debates.web.by', { name: c.display_name })}${c.mediated ? html` (${ctx.t('debates.web.mediated')})` : ''}`} · ${day(ctx, c.created_at)}${c.kind === 'proposal' ? html` · ${ctx.t('debates.web.supports', { count: c.support_count })}` : ''} · ${ctx.t('debates.web.comments_count', { count: c.comment_count })}</p>`;
  if (hidden) return html`<p><em>${ctx.t('debates.web.hidden', { reason: c.hide_reason ?? '' })}</em></p>${meta}`;
  // Withdrawn by its author (migration 0740; only the team's lists still hold it): never its words.
  if ((c.moderation as string) === 'withdrawn')
    return html`<p><em>${href ? html`<a href="${href}">${ctx.t('debates.web.change.withdrawn_short')}</a>` : ctx.t('debates.web.change.withdrawn_short')}</em></p>`;
  const title = href ? html`<a href="${href}">${c.title}</a>` : c.title;
  const pending = c.moderation === 'pending' ? html`<p class="notice">${ctx.t('debates.web.pending')}</p>` : '';
  return href ? html`<h3>${title}</h3>${meta}${pending}` : html`<h1>${title}</h1>${meta}${pending}${paragraphs(c.body)}`;
}

/** A labelled control with its hint and errors (ids derived from the name). */
export function field(
  label: string,
  name: string,
  control: (attrs: Html) => Html,
  options: { hint?: string; errors?: string[]; required?: boolean } = {},
): Html {
  const id = `f-${name}`;
  const described = [options.hint ? `${id}-hint` : '', options.errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${id}" name="${name}"${options.required ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}${options.errors?.length ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${options.errors?.length ? ' has-error' : ''}"><label for="${id}">${label}</label>
${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}${options.errors?.length ? html`<p class="error" id="${id}-error">${options.errors.join(' ')}</p>` : ''}${control(attrs)}</div>`;
}

export function errorSummary(ctx: RequestContext, errors: Record<string, string[]> | undefined): Html {
  const names = Object.keys(errors ?? {});
  if (!names.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${ctx.t('core.form.error_summary')}</h2>
<ul>${names.map((n) => html`<li><a href="#f-${n}">${errors![n]!.join(' ')}</a></li>`)}</ul></div>`;
}

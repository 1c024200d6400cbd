// The moderator's pages: the debates with what waits in each, and one debate's queue (pending texts and
// reported ones, oldest first) with hide-with-reason, publish and block forms.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { DebateRow } from '../debates.repository.ts';
import type { QueueItem } from '../moderation.repository.ts';
import { day, paragraphs } from './common.ts';

export function moderationHomeBody(ctx: RequestContext, tenantSlug: string, debates: Array<{ debate: DebateRow; waiting: number }>): Html {
  return html`<h1>${ctx.t('debates.web.moderation.admin_title')}</h1>
<p><a class="button" href="/${tenantSlug}/admin/concertations/nouvelle">${ctx.t('debates.web.admin.new')}</a></p>
${
  debates.length
    ? html`<table><thead><tr><th scope="col">${ctx.t('debates.title')}</th><th scope="col">${ctx.t('debates.web.moderation.queue')}</th></tr></thead><tbody>
${debates.map(
  ({ debate, waiting }) =>
    html`<tr><td><a href="/${tenantSlug}/concertations/${debate.slug}">${debate.title}</a> <span class="badge">${ctx.t(`debates.web.status.${debate.status}`)}</span> <span class="small">${ctx.t(`debates.web.moderation.mode.${debate.moderation}`)}</span></td>
<td><a href="/${tenantSlug}/concertations/${debate.slug}/moderation">${ctx.t('debates.web.moderation.waiting', { count: waiting })}</a> · <a href="/${tenantSlug}/concertations/${debate.slug}/gestion">${ctx.t('debates.staff.nav.manage')}<span class="visually-hidden"> : ${debate.title}</span></a></td></tr>`,
)}</tbody></table>`
    : html`<p>${ctx.t('debates.web.list.none')}</p>`
}`;
}

function hidden(name: string, value: string | null): Html {
  return value ? html`<input type="hidden" name="${name}" value="${value}">` : html``;
}

function itemForms(ctx: RequestContext, base: string, item: QueueItem): Html {
  const comment = item.kind === 'comment' ? item.id : null;
  const id = item.id;
  const common = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}"><input type="hidden" name="contribution" value="${item.contribution_id}">${hidden('comment', comment)}`;
  return html`<form method="post" action="${base}/moderation/masquer">${common}
<label for="h-${id}">${ctx.t('debates.web.moderation.hide_reason')}</label><input id="h-${id}" name="reason" required maxlength="500">
<button type="submit" class="danger">${ctx.t('debates.web.moderation.hide')}</button></form>
<form method="post" action="${base}/moderation/publier" class="inline">${common}<button type="submit" class="secondary">${item.moderation === 'pending' ? ctx.t('debates.web.moderation.approve') : ctx.t('debates.web.moderation.keep')}</button></form>
${
  item.author_person_id
    ? html`<details><summary>${ctx.t('debates.web.moderation.block')}</summary><form method="post" action="${base}/moderation/bloquer"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><input type="hidden" name="person" value="${item.author_person_id}">
<label for="b-${id}">${ctx.t('debates.web.moderation.block_reason')}</label><input id="b-${id}" name="reason" required maxlength="500"><button type="submit" class="danger">${ctx.t('debates.web.moderation.block')}</button></form></details>`
    : ''
}`;
}

export function moderationQueueBody(
  ctx: RequestContext,
  input: {
    base: string;
    debate: DebateRow;
    items: QueueItem[];
    blocks: Array<{ reason: string; created_at: Date; display_name: string | null }>;
    notice: Html;
  },
): Html {
  return html`<p><a href="${input.base}">${ctx.t('debates.web.back')}</a></p><h1>${ctx.t('debates.web.moderation.title')} : ${input.debate.title}</h1>${input.notice}
<p>${ctx.t(`debates.web.moderation.mode.${input.debate.moderation}`)}</p>
<h2>${ctx.t('debates.web.moderation.queue')}</h2>
${
  input.items.length
    ? html`<ul class="cards">${input.items.map(
        (
          item,
        ) => html`<li class="card"><p class="small"><span class="badge">${item.moderation === 'pending' ? ctx.t('debates.web.moderation.approve') : ctx.t('debates.web.moderation.reports', { count: item.open_reports })}</span>
${(item.reasons ?? []).map((r) => html` <span class="badge">${ctx.t(`debates.web.reason.${r}`)}</span>`)} ${ctx.t('debates.web.by', { name: item.display_name })} · ${day(ctx, item.created_at)}</p>
${item.title ? html`<h3><a href="${input.base}/contributions/${item.contribution_id}">${item.title}</a></h3>` : ''}${paragraphs(item.body)}${itemForms(ctx, input.base, item)}</li>`,
      )}</ul>`
    : html`<p>${ctx.t('debates.web.moderation.empty')}</p>`
}
${input.blocks.length ? html`<h2>${ctx.t('debates.web.moderation.blocks')}</h2><ul>${input.blocks.map((b) => html`<li>${b.display_name ?? '—'} : ${b.reason} (${day(ctx, b.created_at)})</li>`)}</ul>` : ''}`;
}

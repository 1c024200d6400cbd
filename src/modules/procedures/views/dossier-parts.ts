// Parts of a dossier shown to both the citizen and the agent: answers, history, messages with their
// attachments. Download links are built by the caller (the citizen's carry the tracking code).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import { answerRows } from '../receipt/answers.ts';
import type { AttachmentRow, MessageRow, TransitionRow } from '../dossiers.repository.ts';
import { actorName, bytes, stateBadge, when } from './common.ts';

export function answersList(
  ctx: RequestContext,
  fields: FieldDefinition[],
  data: Record<string, unknown>,
  attachments: AttachmentRow[],
  fileHref: (a: AttachmentRow) => string,
): Html {
  const rows = answerRows(fields, data, { locale: ctx.locale });
  const byField = new Map<string, AttachmentRow[]>();
  for (const a of attachments) if (a.field_key) byField.set(a.field_key, [...(byField.get(a.field_key) ?? []), a]);
  if (!rows.some((r) => r.kind === 'answer')) return html`<p>${ctx.t('procedures.web.no_answers')}</p>`;
  const parts: Html[] = [];
  let items: Html[] = [];
  const flush = () => {
    if (items.length) parts.push(html`<dl class="facts">${items}</dl>`);
    items = [];
  };
  for (const row of rows) {
    if (row.kind === 'section') {
      flush();
      parts.push(html`<h3>${row.label}</h3>`);
      continue;
    }
    const files = byField.get(row.key);
    items.push(
      html`<dt>${row.label}</dt><dd>${
        files?.length
          ? files.map((a) => html`<a href="${fileHref(a)}" download>${a.filename}</a> <span class="small">(${bytes(ctx, Number(a.size))})</span> `)
          : row.value.split('\n').map((line, i) => html`${i ? html`<br>` : ''}${line}`)
      }</dd>`,
    );
  }
  flush();
  return html`${parts}`;
}

export function historyList(ctx: RequestContext, transitions: TransitionRow[], names: Record<string, string> = {}): Html {
  return html`<ol class="history">${transitions.map((s) => html`<li>${when(ctx, s.at)} — ${stateBadge(ctx, s.to_state)}${s.actor && s.from_state ? html` <span class="small">${ctx.t('procedures.web.by', { who: actorName(ctx, s.actor, names) })}</span>` : ''}${s.motivation ? html`<br><span class="small">${ctx.t('procedures.web.motivation')} : ${s.motivation}</span>` : ''}</li>`)}</ol>`;
}

export function messagesList(
  ctx: RequestContext,
  messages: MessageRow[],
  attachments: AttachmentRow[],
  fileHref: (a: AttachmentRow) => string,
  names: Record<string, string> = {},
): Html {
  if (!messages.length) return html`<p>${ctx.t('procedures.web.no_messages')}</p>`;
  return html`<ul class="messages">${messages.map((m) => {
    const files = attachments.filter((a) => a.message_id === m.id);
    const who = m.author_kind === 'citizen' ? ctx.t('procedures.web.actor.citizen') : actorName(ctx, m.author, names);
    return html`<li class="message ${m.author_kind}${m.visibility === 'private' ? ' private' : ''}">
<p class="small"><strong>${who}</strong>${m.visibility === 'private' ? html` · ${ctx.t('procedures.web.private_note')}` : ''} · ${when(ctx, m.created_at)}</p>
${m.body.split(/\n\s*\n/).map((p) => html`<p>${p.split('\n').map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</p>`)}
${files.length ? html`<p>${files.map((a) => html`<a href="${fileHref(a)}" download>${a.filename}</a> <span class="small">(${bytes(ctx, Number(a.size))})</span> `)}</p>` : ''}
</li>`;
  })}</ul>`;
}

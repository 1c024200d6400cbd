// The citizen's pages of one dossier: the receipt right after filing, and the tracking page (state,
// history, messages and reply, answers, edit while en construction).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, notice } from '../../../core/views/forms.ts';
import type { DossierRow, AttachmentRow, MessageRow, TransitionRow } from '../dossiers.repository.ts';
import type { ProcedureDefinition } from '../fields/definition.ts';
import { answersList, historyList, messagesList } from './dossier-parts.ts';
import { formErrorSummary, stateBadge, when } from './common.ts';

export interface TrackingView {
  dossier: DossierRow;
  procedureTitle: string;
  definition: ProcedureDefinition;
  transitions: TransitionRow[];
  messages: MessageRow[];
  attachments: AttachmentRow[];
  /** `/slug/dossiers/42` and the query that proves access (`?code=…` for a guest, '' signed in). */
  base: string;
  access: string;
  /** The full private link, for guests. */
  privateLink: string | null;
  notice?: string;
  errors?: Record<string, string[]>;
  reply?: string;
}

const EDITABLE = ['brouillon', 'en_construction'];

function fileHref(v: TrackingView) {
  return (a: AttachmentRow) => `${v.base}/pieces/${a.id}${v.access}`;
}

export function receiptBody(ctx: RequestContext, v: TrackingView): Html {
  const { t } = ctx;
  const d = v.dossier;
  return html`<h1>${t('procedures.web.receipt.title')}</h1>
${notice(v.notice)}
<div class="card">
<p>${t('procedures.web.receipt.intro', { title: v.procedureTitle })}</p>
<dl class="facts">
<dt>${t('procedures.web.number')}</dt><dd><strong>${String(d.number)}</strong></dd>
<dt>${t('procedures.web.submitted_at')}</dt><dd>${when(ctx, d.submitted_at ?? d.created_at)}</dd>
<dt>${t('procedures.web.state')}</dt><dd>${stateBadge(ctx, d.state)}</dd>
${d.applicant_email ? html`<dt>${t('procedures.web.receipt.email')}</dt><dd>${d.applicant_email}</dd>` : ''}
</dl>
</div>
${v.privateLink ? html`<h2>${t('procedures.web.private_link')}</h2><p>${t('procedures.web.private_link_hint')}</p><p><a href="${v.privateLink}">${v.privateLink}</a></p>` : ''}
<p><a class="button" href="${v.base}${v.access}">${t('procedures.web.track')}</a> <a href="${v.base}/accuse-reception.pdf${v.access}" download>${t('procedures.web.receipt.pdf')}</a></p>
<h2>${t('procedures.web.answers')}</h2>
${answersList(ctx, v.definition.fields, d.data, v.attachments, fileHref(v))}`;
}

export function trackingBody(ctx: RequestContext, v: TrackingView): Html {
  const { t } = ctx;
  const d = v.dossier;
  const replyAction = `${v.base}/messages${v.access ? `${v.access}&` : '?'}_csrf=${encodeURIComponent(ctx.csrfToken)}`;
  return html`<h1>${t('procedures.web.dossier_title', { number: d.number })}</h1>
${notice(v.notice)}
${formErrorSummary(ctx, v.errors, [], { body: t('procedures.web.reply.label'), attachment: t('procedures.web.reply.file') })}
<p>${v.procedureTitle}</p>
<dl class="facts">
<dt>${t('procedures.web.state')}</dt><dd>${stateBadge(ctx, d.state)} <span class="small">${t(`procedures.web.state_help.${d.state}`)}</span></dd>
${d.motivation ? html`<dt>${t('procedures.web.motivation')}</dt><dd>${d.motivation}</dd>` : ''}
<dt>${t('procedures.web.number')}</dt><dd>${String(d.number)}</dd>
</dl>
${EDITABLE.includes(d.state) ? html`<p><a class="button" href="${v.base}/modifier${v.access}">${d.state === 'brouillon' ? t('procedures.web.resume_draft') : t('procedures.web.edit')}</a></p>` : ''}
${v.privateLink ? html`<p class="small">${t('procedures.web.private_link_hint')}</p>` : ''}
<h2 id="messages">${t('procedures.web.messages')}</h2>
${messagesList(ctx, v.messages, v.attachments, fileHref(v))}
${
  d.state !== 'brouillon'
    ? html`<form method="post" action="${replyAction}" enctype="multipart/form-data" novalidate>
${csrfField(ctx)}
<div class="field${v.errors?.body ? ' has-error' : ''}"><label for="field-body">${t('procedures.web.reply.label')}</label>
${v.errors?.body ? html`<p class="error" id="error-field-body">${v.errors.body.join(' ')}</p>` : ''}
<textarea id="field-body" name="body" rows="5"${v.errors?.body ? html` aria-invalid="true" aria-describedby="error-field-body"` : ''}>${v.reply ?? ''}</textarea></div>
<div class="field${v.errors?.attachment ? ' has-error' : ''}"><label for="field-attachment">${t('procedures.web.reply.file')}</label>
<p class="hint" id="hint-field-attachment">${t('procedures.web.reply.file_hint')}</p>
${v.errors?.attachment ? html`<p class="error" id="error-field-attachment">${v.errors.attachment.join(' ')}</p>` : ''}
<input type="file" id="field-attachment" name="attachment" aria-describedby="hint-field-attachment${v.errors?.attachment ? ' error-field-attachment' : ''}"></div>
<button type="submit">${t('procedures.web.reply.send')}</button>
</form>`
    : ''
}
<h2>${t('procedures.web.history')}</h2>
${historyList(ctx, v.transitions)}
<details><summary>${t('procedures.web.answers')}</summary>
${answersList(ctx, v.definition.fields, d.data, v.attachments, fileHref(v))}
</details>`;
}

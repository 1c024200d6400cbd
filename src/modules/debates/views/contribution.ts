// A contribution with its comments (one level of replies), its support button and report form, and the
// form to contribute (type, stance, title, text, pseudonym, charter, a mediator's consent).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { CommentRow, ContributionRow } from '../contributions.repository.ts';
import { CONTRIBUTION_KINDS, REPORT_REASONS, STANCES } from '../debates.schema.ts';
import { contributionCard, day, errorSummary, field, paragraphs } from './common.ts';

export interface ParticipationOptions {
  /** Contributions phase and a signed-in, unblocked person. */
  canPost: boolean;
  charter: string | null;
  mediator: boolean;
}

function charterControls(ctx: RequestContext, charter: string | null, errors: Record<string, string[]>): Html {
  if (!charter) return html``;
  return html`<details><summary>${ctx.t('debates.web.form.charter_text')}</summary>${paragraphs(charter)}</details>
<div class="field${errors.accept_charter ? ' has-error' : ''}">${errors.accept_charter ? html`<p class="error" id="f-accept_charter-error">${errors.accept_charter.join(' ')}</p>` : ''}
<input type="checkbox" id="f-accept_charter" name="accept_charter" value="yes" required> <label for="f-accept_charter">${ctx.t('debates.web.form.charter')}</label></div>`;
}

function mediationControls(ctx: RequestContext, mediator: boolean, values: Record<string, string>, errors: Record<string, string[]>): Html {
  if (!mediator) return html``;
  return html`<details${values.mediation_name ? html` open` : ''}><summary>${ctx.t('debates.web.form.mediation')}</summary>
${field(ctx.t('debates.web.form.mediation_name'), 'mediation_name', (a) => html`<input ${a} value="${values.mediation_name ?? ''}" maxlength="200">`, { errors: errors.mediation })}
${field(ctx.t('debates.web.form.mediation_how'), 'mediation_how', (a) => html`<input ${a} value="${values.mediation_how ?? ''}" maxlength="500">`)}</details>`;
}

export function contributeFormBody(
  ctx: RequestContext,
  input: {
    action: string;
    back: string;
    title: string;
    pre: boolean;
    options: ParticipationOptions;
    values: Record<string, string>;
    errors: Record<string, string[]>;
  },
): Html {
  const { values, errors } = input;
  const kind = values.kind || 'proposal';
  return html`<p><a href="${input.back}">${ctx.t('debates.web.back')}</a></p><h1>${ctx.t('debates.web.form.title')}</h1><p>${input.title}</p>
${input.pre ? html`<p>${ctx.t('debates.web.form.pre_moderation')}</p>` : ''}${errorSummary(ctx, errors)}
<form method="post" action="${input.action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<fieldset class="field" id="f-kind"><legend>${ctx.t('debates.web.form.kind')}</legend>${CONTRIBUTION_KINDS.map(
    (k) =>
      html`<div class="choice"><input type="radio" id="f-kind-${k}" name="kind" value="${k}"${k === kind ? html` checked` : ''}> <label for="f-kind-${k}">${ctx.t(`debates.web.form.kind.${k}`)}</label></div>`,
  )}</fieldset>
<fieldset class="field${errors.stance ? ' has-error' : ''}" id="f-stance"><legend>${ctx.t('debates.web.form.stance')}</legend>${errors.stance ? html`<p class="error">${errors.stance.join(' ')}</p>` : ''}${STANCES.map(
    (s) =>
      html`<div class="choice"><input type="radio" id="f-stance-${s}" name="stance" value="${s}"${values.stance === s ? html` checked` : ''}> <label for="f-stance-${s}">${ctx.t(`debates.web.stance.${s}`)}</label></div>`,
  )}</fieldset>
${field(ctx.t('debates.web.form.title_label'), 'title', (a) => html`<input ${a} value="${values.title ?? ''}">`, { hint: ctx.t('debates.web.form.title_hint'), errors: errors.title, required: true })}
${field(ctx.t('debates.web.form.body'), 'body', (a) => html`<textarea ${a} rows="8">${values.body ?? ''}</textarea>`, { hint: ctx.t('debates.web.form.body_hint'), errors: errors.body, required: true })}
${field(ctx.t('debates.web.form.pseudonym'), 'pseudonym', (a) => html`<input ${a} value="${values.pseudonym ?? ''}" maxlength="80" autocomplete="nickname">`, { hint: ctx.t('debates.web.form.pseudonym_hint'), errors: errors.pseudonym })}
${mediationControls(ctx, input.options.mediator, values, errors)}
${charterControls(ctx, input.options.charter, errors)}
<button type="submit">${ctx.t('debates.web.form.send')}</button></form>`;
}

function reportForm(ctx: RequestContext, action: string, commentId: string | null): Html {
  const id = commentId ?? 'c';
  return html`<details><summary>${ctx.t('debates.web.report')}</summary><form method="post" action="${action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${commentId ? html`<input type="hidden" name="comment" value="${commentId}">` : ''}<label for="r-${id}">${ctx.t('debates.web.report_reason')}</label>
<select id="r-${id}" name="reason">${REPORT_REASONS.map((r) => html`<option value="${r}">${ctx.t(`debates.web.reason.${r}`)}</option>`)}</select>
<button type="submit" class="secondary">${ctx.t('debates.web.report')}</button></form></details>`;
}

function commentForm(ctx: RequestContext, action: string, parent: string | null, options: ParticipationOptions): Html {
  const id = parent ?? 'new';
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">${parent ? html`<input type="hidden" name="parent" value="${parent}">` : ''}
<label for="m-${id}">${parent ? ctx.t('debates.web.reply') : ctx.t('debates.web.comment_body')}</label><textarea id="m-${id}" name="body" rows="${parent ? 2 : 4}" required></textarea>
${parent ? '' : charterControls(ctx, options.charter, {})}<button type="submit"${parent ? html` class="secondary"` : ''}>${parent ? ctx.t('debates.web.reply') : ctx.t('debates.web.comment')}</button></form>`;
}

function commentItem(ctx: RequestContext, m: CommentRow): Html {
  if (m.moderation === 'hidden') return html`<p><em>${ctx.t('debates.web.hidden', { reason: m.hide_reason ?? '' })}</em></p>`;
  return html`<p class="small">${ctx.t('debates.web.by', { name: m.display_name })}${m.mediated ? html` (${ctx.t('debates.web.mediated')})` : ''} · ${day(ctx, m.created_at)}</p>
${m.moderation === 'pending' ? html`<p class="notice">${ctx.t('debates.web.pending')}</p>` : ''}${paragraphs(m.body)}`;
}

export function contributionPageBody(
  ctx: RequestContext,
  input: { base: string; contribution: ContributionRow; comments: CommentRow[]; supported: boolean; options: ParticipationOptions; notice: Html },
): Html {
  const c = input.contribution;
  const here = `${input.base}/contributions/${c.id}`;
  const roots = input.comments.filter((m) => m.depth === 0);
  const signedIn = !!ctx.person;
  const support =
    c.kind === 'proposal' && c.moderation === 'visible'
      ? input.supported
        ? html`<p>${ctx.t('debates.web.supported')}</p>`
        : input.options.canPost
          ? html`<form method="post" action="${here}/soutenir"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button type="submit">${ctx.t('debates.web.support')}</button></form>`
          : ''
      : '';
  const writable = input.options.canPost && c.moderation === 'visible';
  return html`<p><a href="${input.base}">${ctx.t('debates.web.back')}</a></p>${input.notice}
${contributionCard(ctx, c, null)}${support}${signedIn && c.moderation === 'visible' ? reportForm(ctx, `${here}/signaler`, null) : ''}
<h2>${ctx.t('debates.web.comments')}</h2>
<ul class="cards">${roots.map(
    (root) => html`<li class="card">${commentItem(ctx, root)}${signedIn && root.moderation === 'visible' ? reportForm(ctx, `${here}/signaler`, root.id) : ''}
${input.comments
  .filter((r) => r.parent_id === root.id)
  .map(
    (r) => html`<div class="reply">${commentItem(ctx, r)}</div>`,
  )}${writable && root.moderation === 'visible' ? commentForm(ctx, `${here}/commenter`, root.id, input.options) : ''}</li>`,
  )}</ul>
${writable ? commentForm(ctx, `${here}/commenter`, null, input.options) : ''}`;
}

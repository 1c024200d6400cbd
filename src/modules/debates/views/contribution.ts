// A contribution's page — its number, its text (or, hidden or withdrawn, why it is not shown), the official
// answer, its supports, comments (one level of replies), the support, report and comment forms, and for its
// author the edit and withdraw forms —, the form to contribute (type, stance, title, text, pseudonym,
// charter, a mediator's consent) and the form to edit a contribution.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { CommentRow, ContributionRow } from '../contributions.repository.ts';
import type { ContributionPageRow, VersionRow } from '../contribution-changes.repository.ts';
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

export interface ContributionPageInput {
  /** The debate's address: /{collectivité}/concertations/{slug}. */
  base: string;
  contribution: ContributionPageRow;
  comments: CommentRow[];
  supported: boolean;
  options: ParticipationOptions;
  /** The debate is in its contributions step (a support may be taken back, even by a blocked person). */
  open: boolean;
  /** Why its author may not edit / withdraw it (null: may); undefined for anyone else. */
  rights?: { edit: string | null; withdraw: string | null };
  pre: boolean;
  /** Earlier texts, for the team only. */
  versions: VersionRow[] | null;
  notice: Html;
}

function answerSection(ctx: RequestContext, c: ContributionPageRow): Html {
  if (!c.answer || !c.answer_status || c.moderation !== 'visible') return html``;
  return html`<section aria-labelledby="answer-title"><h2 id="answer-title">${ctx.t('debates.web.change.answer')}</h2>
<p class="small"><span class="badge">${ctx.t(`debates.web.answer.${c.answer_status}`)}</span>${c.answered_at ? html` ${ctx.t('debates.web.change.answered_on', { date: day(ctx, c.answered_at) })}` : ''}</p>${paragraphs(c.answer)}</section>`;
}

function authorSection(ctx: RequestContext, input: ContributionPageInput, here: string): Html {
  const rights = input.rights;
  if (!rights || input.contribution.moderation === 'withdrawn') return html``;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const edit = rights.edit
    ? ''
    : html`<p>${ctx.t('debates.web.change.edit_rule')}</p><p><a class="button secondary" href="${here}/modifier">${ctx.t('debates.web.change.edit')}</a></p>`;
  const withdraw = rights.withdraw
    ? ''
    : html`<details><summary>${ctx.t('debates.web.change.withdraw')}</summary><p>${ctx.t('debates.web.change.withdraw_explain')}</p>
<form method="post" action="${here}/retirer">${csrf}<button type="submit" class="secondary">${ctx.t('debates.web.change.withdraw_confirm')}</button></form></details>`;
  const reason = rights.edit && rights.withdraw ? html`<p class="small">${ctx.t('debates.web.change.cannot', { reason: rights.edit })}</p>` : '';
  return html`<section aria-labelledby="yours-title"><h2 id="yours-title">${ctx.t('debates.web.change.yours')}</h2>${edit}${withdraw}${reason}</section>`;
}

function versionsSection(ctx: RequestContext, versions: VersionRow[] | null): Html {
  if (!versions?.length) return html``;
  return html`<details><summary>${ctx.t('debates.web.change.versions')}</summary><ol>${versions.map(
    (v) => html`<li><p class="small">${ctx.t('debates.web.change.version', { version: v.version, date: day(ctx, v.replaced_at) })}</p>
<p><strong>${v.title}</strong></p>${paragraphs(v.body)}</li>`,
  )}</ol></details>`;
}

/** A contribution's page: its number, text (or why it is not shown), the official answer, supports, comments and forms. */
export function contributionPageBody(ctx: RequestContext, input: ContributionPageInput): Html {
  const c = input.contribution;
  // Forms of the existing actions post to the id's address; the page's own address is the number.
  const byId = `${input.base}/contributions/${c.id}`;
  const here = `${input.base}/contributions/${c.number}`;
  const roots = input.comments.filter((m) => m.depth === 0);
  const signedIn = !!ctx.person;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const number = ctx.t('debates.web.change.number', { number: c.number });
  let head: Html;
  if (c.moderation === 'withdrawn') {
    head = html`<h1>${number}</h1><p><em>${ctx.t('debates.web.change.withdrawn', { date: day(ctx, c.withdrawn_at ?? c.created_at) })}</em></p>
<p class="small"><span class="badge">${ctx.t(`debates.web.kind.${c.kind}`)}</span> · ${day(ctx, c.created_at)} · ${ctx.t('debates.web.comments_count', { count: c.comment_count })}</p>`;
  } else {
    const card = contributionCard(ctx, c as ContributionRow, null);
    head =
      c.moderation === 'hidden'
        ? html`<h1>${number}</h1>${card}`
        : html`<p class="small">${number}</p>${card}${c.edited_at ? html`<p class="small">${ctx.t('debates.web.change.edited', { date: day(ctx, c.edited_at) })}</p>` : ''}`;
  }
  const support =
    c.kind === 'proposal' && c.moderation === 'visible'
      ? input.supported
        ? html`<p>${ctx.t('debates.web.supported')}</p>${input.open ? html`<form method="post" action="${here}/retirer-soutien">${csrf}<button type="submit" class="secondary">${ctx.t('debates.web.change.unsupport')}</button></form>` : ''}`
        : input.options.canPost
          ? html`<form method="post" action="${byId}/soutenir">${csrf}<button type="submit">${ctx.t('debates.web.support')}</button></form>`
          : ''
      : '';
  const writable = input.options.canPost && c.moderation === 'visible';
  return html`<p><a href="${input.base}">${ctx.t('debates.web.back')}</a></p>${input.notice}
${head}${answerSection(ctx, c)}${support}${signedIn && c.moderation === 'visible' ? reportForm(ctx, `${byId}/signaler`, null) : ''}
${authorSection(ctx, input, here)}${versionsSection(ctx, input.versions)}
<h2>${ctx.t('debates.web.comments')}</h2>
<ul class="cards">${roots.map(
    (root) => html`<li class="card">${commentItem(ctx, root)}${signedIn && root.moderation === 'visible' ? reportForm(ctx, `${byId}/signaler`, root.id) : ''}
${input.comments
  .filter((r) => r.parent_id === root.id)
  .map(
    (r) => html`<div class="reply">${commentItem(ctx, r)}</div>`,
  )}${writable && root.moderation === 'visible' ? commentForm(ctx, `${byId}/commenter`, root.id, input.options) : ''}</li>`,
  )}</ul>
${writable ? commentForm(ctx, `${byId}/commenter`, null, input.options) : ''}`;
}

/** The author's form to edit a contribution: title, text, an opinion's stance; errors beside each field. */
export function editFormBody(
  ctx: RequestContext,
  input: { action: string; back: string; kind: string; pre: boolean; values: Record<string, string>; errors: Record<string, string[]> },
): Html {
  const { values, errors } = input;
  return html`<p><a href="${input.back}">${ctx.t('debates.web.back')}</a></p><h1>${ctx.t('debates.web.change.edit_title')}</h1>
<p>${ctx.t('debates.web.change.edit_rule')}</p>${input.pre ? html`<p>${ctx.t('debates.web.change.edit_pre')}</p>` : ''}${errorSummary(ctx, errors)}
<form method="post" action="${input.action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${
  input.kind === 'opinion'
    ? html`<fieldset class="field${errors.stance ? ' has-error' : ''}" id="f-stance"><legend>${ctx.t('debates.web.form.stance')}</legend>${errors.stance ? html`<p class="error">${errors.stance.join(' ')}</p>` : ''}${STANCES.map(
        (s) =>
          html`<div class="choice"><input type="radio" id="f-stance-${s}" name="stance" value="${s}"${values.stance === s ? html` checked` : ''}> <label for="f-stance-${s}">${ctx.t(`debates.web.stance.${s}`)}</label></div>`,
      )}</fieldset>`
    : ''
}
${field(ctx.t('debates.web.form.title_label'), 'title', (a) => html`<input ${a} value="${values.title ?? ''}">`, { hint: ctx.t('debates.web.form.title_hint'), errors: errors.title, required: true })}
${field(ctx.t('debates.web.form.body'), 'body', (a) => html`<textarea ${a} rows="8">${values.body ?? ''}</textarea>`, { hint: ctx.t('debates.web.form.body_hint'), errors: errors.body, required: true })}
<button type="submit">${ctx.t('debates.web.change.save')}</button></form>`;
}

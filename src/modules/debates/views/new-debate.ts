// The team's form to set up a debate: title, presentation, publication, moderation mode, charter, and a
// fixed number of phase rows (no script needed; an empty row is left out). On a refusal the form comes back
// with each field's message and what was typed.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { PHASE_KINDS } from '../debates.schema.ts';
import { errorSummary, field } from './common.ts';

/** Phase rows shown: one per kind of phase, in their usual order. */
export const PHASE_ROWS = PHASE_KINDS.length;
export const PHASE_FIELDS = ['kind', 'title', 'summary', 'starts_on', 'ends_on'] as const;

type Values = Record<string, string>;
type Errors = Record<string, string[]>;

function choices(ctx: RequestContext, name: string, options: readonly string[], checked: string, errors: string[] | undefined): Html {
  return html`<fieldset class="field${errors ? ' has-error' : ''}" id="f-${name}"><legend>${ctx.t(`debates.web.admin.${name}`)}</legend>${errors ? html`<p class="error">${errors.join(' ')}</p>` : ''}${options.map(
    (o) =>
      html`<div class="choice"><input type="radio" id="f-${name}-${o}" name="${name}" value="${o}"${o === checked ? html` checked` : ''}> <label for="f-${name}-${o}">${ctx.t(`debates.web.admin.${name}.${o}`)}</label></div>`,
  )}</fieldset>`;
}

function phaseRow(ctx: RequestContext, i: number, values: Values, errors: Errors): Html {
  const at = `phases.${i}`;
  const v = (f: string) => values[`${at}.${f}`] ?? '';
  const kind = v('kind') || PHASE_KINDS[i] || 'information';
  return html`<fieldset><legend>${ctx.t('debates.web.admin.phase', { n: i + 1 })}</legend>
${field(
  ctx.t('debates.web.admin.phase_kind'),
  `${at}.kind`,
  (a) =>
    html`<select ${a}>${PHASE_KINDS.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${ctx.t(`debates.phase.${k}`)}</option>`)}</select>`,
  { errors: errors[`${at}.kind`] },
)}
${field(ctx.t('debates.web.admin.phase_title'), `${at}.title`, (a) => html`<input ${a} value="${v('title')}" maxlength="200">`, { errors: errors[`${at}.title`] })}
${field(ctx.t('debates.web.admin.phase_summary'), `${at}.summary`, (a) => html`<textarea ${a} rows="2">${v('summary')}</textarea>`, {
  hint: ctx.t('debates.web.admin.phase_summary_hint'),
  errors: errors[`${at}.summary`],
})}
${field(ctx.t('debates.web.admin.starts_on'), `${at}.starts_on`, (a) => html`<input type="date" ${a} value="${v('starts_on')}">`, { errors: errors[`${at}.starts_on`] })}
${field(ctx.t('debates.web.admin.ends_on'), `${at}.ends_on`, (a) => html`<input type="date" ${a} value="${v('ends_on')}">`, { errors: errors[`${at}.ends_on`] })}
</fieldset>`;
}

export function newDebateBody(ctx: RequestContext, input: { action: string; back: string; values: Values; errors: Errors }): Html {
  const { values, errors } = input;
  return html`<p><a href="${input.back}">${ctx.t('debates.web.back')}</a></p><h1>${ctx.t('debates.web.admin.new')}</h1>
<p>${ctx.t('debates.web.admin.intro')}</p>${errorSummary(ctx, errors)}
<form method="post" action="${input.action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${field(ctx.t('debates.web.admin.title'), 'title', (a) => html`<input ${a} value="${values.title ?? ''}" maxlength="200">`, { errors: errors.title, required: true })}
${field(ctx.t('debates.web.admin.presentation'), 'presentation', (a) => html`<textarea ${a} rows="6">${values.presentation ?? ''}</textarea>`, {
  hint: ctx.t('debates.web.admin.presentation_hint'),
  errors: errors.presentation,
})}
${choices(ctx, 'status', ['draft', 'published'], values.status || 'draft', errors.status)}
${choices(ctx, 'moderation', ['post', 'pre'], values.moderation || 'post', errors.moderation)}
${field(ctx.t('debates.web.admin.charter'), 'charter', (a) => html`<textarea ${a} rows="6">${values.charter ?? ''}</textarea>`, {
  hint: ctx.t('debates.web.admin.charter_hint'),
  errors: errors.charter,
})}
<fieldset id="f-phases"${errors.phases ? html` class="has-error"` : ''}><legend>${ctx.t('debates.web.admin.phases')}</legend><p class="hint">${ctx.t('debates.web.admin.phases_hint')}</p>
${errors.phases ? html`<p class="error">${errors.phases.join(' ')}</p>` : ''}
${Array.from({ length: PHASE_ROWS }, (_, i) => phaseRow(ctx, i, values, errors))}</fieldset>
<button type="submit">${ctx.t('debates.web.admin.create')}</button></form>`;
}

/** The "save as kit" form of the team's debate page. */
export function saveAsKitForm(ctx: RequestContext, action: string): Html {
  return html`<h2>${ctx.t('debates.web.admin.save_as_kit')}</h2><p>${ctx.t('debates.web.admin.save_as_kit_hint')}</p>
<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<label for="f-kit-note">${ctx.t('debates.web.admin.kit_note')}</label><input id="f-kit-note" name="note" maxlength="500">
<button type="submit" class="secondary">${ctx.t('debates.web.admin.save_as_kit')}</button></form>`;
}

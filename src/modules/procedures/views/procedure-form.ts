// A procedure's public page and form: filing as a guest (email), signed in, or as a mediator helping
// someone (with their consent); editing a draft or a dossier en construction. Works without JavaScript.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, notice } from '../../../core/views/forms.ts';
import type { FieldDefinition, ProcedureDefinition } from '../fields/definition.ts';
import type { FileAnswer } from '../fields/values.ts';
import { renderFields, needsMultipart } from '../fields/render.ts';
import { idOf, nameOf } from '../fields/names.ts';
import { signKeptFile } from '../fields/kept-files.ts';
import { formErrorSummary } from './common.ts';

export type FormMode = 'new' | 'mediation' | 'draft' | 'edit' | 'preview';

export interface ProcedureFormView {
  mode: FormMode;
  title: string;
  definition: ProcedureDefinition;
  /** Where the form posts (the CSRF token is added for multipart forms). */
  action: string;
  answers: Record<string, unknown>;
  files: Record<string, FileAnswer[]>;
  errors?: Record<string, string[]>;
  /** Guest email, mediation consent and idempotency key, as last posted. */
  controls: Record<string, string>;
  secret: string;
  notice?: string;
  /** Link back (tracking page when editing). */
  back?: { href: string; label: string };
}

function textControl(
  ctx: RequestContext,
  name: string,
  label: string,
  value: string,
  o: { type?: string; hint?: string; autocomplete?: string; errors?: string[]; required?: boolean } = {},
): Html {
  const id = idOf(name);
  const describedBy = [o.hint ? `hint-${id}` : '', o.errors?.length ? `error-${id}` : ''].filter(Boolean).join(' ');
  return html`<div class="field${o.errors?.length ? ' has-error' : ''}"><label for="${id}">${label}${o.required ? html` <span class="req">${ctx.t('core.form.required')}</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="hint-${id}">${o.hint}</p>` : ''}${o.errors?.length ? html`<p class="error" id="error-${id}">${o.errors.join(' ')}</p>` : ''}
<input type="${o.type ?? 'text'}" id="${id}" name="${name}" value="${value}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${o.errors?.length ? html` aria-invalid="true"` : ''}${o.required ? html` required` : ''}></div>`;
}

/** Who files: a guest gives an email; a signed-in person sees under which account; a mediator records consent. */
function applicantSection(ctx: RequestContext, v: ProcedureFormView): Html {
  const { t } = ctx;
  const errors = v.errors ?? {};
  if (v.mode === 'mediation') {
    const how = v.controls._consent_how ?? '';
    return html`<fieldset class="field card"><legend>${t('procedures.web.mediation.legend')}</legend>
<p class="hint">${t('procedures.web.mediation.intro')}</p>
${textControl(ctx, '_consent_name', t('procedures.web.mediation.name'), v.controls._consent_name ?? '', { required: true, errors: errors.mediation, autocomplete: 'off' })}
${textControl(ctx, '_email', t('procedures.web.mediation.email'), v.controls._email ?? '', { type: 'email', hint: t('procedures.web.mediation.email_hint'), errors: errors.email, autocomplete: 'off' })}
<fieldset class="field" id="field-_consent_how"><legend>${t('procedures.web.mediation.how')} <span class="req">${t('core.form.required')}</span></legend>
${['oral', 'written'].map((k) => html`<div class="choice"><input type="radio" id="field-_consent_how-${k}" name="_consent_how" value="${k}"${how === k ? html` checked` : ''}><label for="field-_consent_how-${k}">${t(`procedures.web.mediation.how.${k}`)}</label></div>`)}
</fieldset>
${textControl(ctx, '_consent_at', t('procedures.web.mediation.when'), v.controls._consent_at ?? new Date().toISOString().slice(0, 10), { type: 'date', hint: t('procedures.web.mediation.when_hint') })}
</fieldset>`;
  }
  if (v.mode !== 'new') return html``;
  if (ctx.person) return html`<p>${t('procedures.web.filing_as', { email: ctx.person.email })}</p>`;
  return html`<div class="card">${textControl(ctx, '_email', t('procedures.web.guest_email'), v.controls._email ?? '', { type: 'email', autocomplete: 'email', hint: t('procedures.web.guest_email_hint'), errors: errors.email, required: true })}
<p class="small"><a href="/auth/sign-in?tenant=${ctx.tenant?.slug ?? ''}&amp;next=${encodeURIComponent(v.action)}">${t('procedures.web.sign_in_instead')}</a></p></div>`;
}

function keptFileInputs(v: ProcedureFormView): Html {
  return html`${Object.entries(v.files).flatMap(([path, list]) => list.map((file) => html`<input type="hidden" name="_kept" value="${signKeptFile(v.secret, path, file)}">`))}`;
}

function buttons(ctx: RequestContext, v: ProcedureFormView): Html {
  const { t } = ctx;
  if (v.mode === 'preview') return html`<p><button type="button" disabled>${t('procedures.web.submit')}</button></p>`;
  const canDraft = v.mode === 'new' || v.mode === 'draft';
  return html`<div class="row">
<button type="submit" name="_action" value="submit">${v.mode === 'edit' ? t('procedures.web.save_changes') : t('procedures.web.submit')}</button>
${canDraft ? html`<button type="submit" class="secondary" name="_action" value="save" formnovalidate>${t('procedures.web.save_draft')}</button>` : ''}
</div>
${canDraft ? html`<p class="small">${ctx.person ? t('procedures.web.draft_hint_person') : t('procedures.web.draft_hint_guest')}</p>` : ''}`;
}

export function procedureFormBody(ctx: RequestContext, v: ProcedureFormView): Html {
  const { t } = ctx;
  const multipart = needsMultipart(v.definition.fields);
  const action = multipart ? `${v.action}${v.action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(ctx.csrfToken)}` : v.action;
  const fileNames: Record<string, { filename: string; size: number }> = {};
  for (const [path, list] of Object.entries(v.files)) if (list[0]) fileNames[nameOf(path.split('.'))] = list[0];
  const extra: Record<string, string> = {
    _email: t('procedures.web.guest_email'),
    email: t('procedures.web.guest_email'),
    mediation: t('procedures.web.mediation.legend'),
  };
  const errors = { ...(v.errors ?? {}) };
  // The applicant's controls are named _email / _consent_name (a procedure may have its own "email" field).
  const summaryErrors: Record<string, string[]> = {};
  for (const [k, list] of Object.entries(errors)) summaryErrors[k === 'email' ? '_email' : k === 'mediation' ? '_consent_name' : k] = list;
  return html`${notice(v.notice)}
${formErrorSummary(ctx, summaryErrors, v.definition.fields, { ...extra, _consent_name: t('procedures.web.mediation.legend') })}
${v.definition.description ? html`<div class="intro">${v.definition.description.split(/\n\s*\n/).map((p) => html`<p>${p}</p>`)}</div>` : ''}
<p class="small">${t('procedures.web.required_note')}</p>
<form method="post" action="${action}" novalidate data-conditions${multipart ? html` enctype="multipart/form-data"` : ''}>
${csrfField(ctx)}
<input type="hidden" name="_idem" value="${v.controls._idem ?? ''}">
${keptFileInputs(v)}
${applicantSection(ctx, v)}
${renderFields(ctx, v.definition.fields, { answers: v.answers, errors: fileAwareErrors(errors, v.definition.fields), files: fileNames })}
${buttons(ctx, v)}
</form>
${v.back ? html`<p><a href="${v.back.href}">${v.back.label}</a></p>` : ''}`;
}

/** Errors of the applicant controls are shown by applicantSection; the rest go to the fields. */
function fileAwareErrors(errors: Record<string, string[]>, _fields: FieldDefinition[]): Record<string, string[]> {
  const out = { ...errors };
  delete out.email;
  delete out.mediation;
  return out;
}

// Accessible form helpers: every control has a label, an optional hint, its error tied with
// aria-describedby, and the page shows an error summary linking to each field.
import { html, type Html, type HtmlValue } from './html.ts';
import type { RequestContext } from '../base/context.ts';

export type FieldErrors = Record<string, string[]>;

export function csrfField(ctx: RequestContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

export function errorSummary(ctx: RequestContext, errors: FieldErrors | undefined, labels: Record<string, string> = {}): Html {
  const keys = Object.keys(errors ?? {});
  if (keys.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
  <h2>${ctx.t('core.form.error_summary')}</h2>
  <ul>${keys.map((key) => html`<li><a href="#field-${key}">${labels[key] ? `${labels[key]} : ` : ''}${errors![key]!.join(' ')}</a></li>`)}</ul>
</div>`;
}

export interface InputOptions {
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  hint?: string;
  required?: boolean;
  errors?: FieldErrors;
  autocomplete?: string;
  inputmode?: string;
  attrs?: HtmlValue;
}

function described(name: string, hint: string | undefined, error: boolean): string | undefined {
  const ids = [hint ? `hint-${name}` : '', error ? `error-${name}` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function fieldMessages(name: string, hint: string | undefined, errors: string[] | undefined): Html {
  return html`${hint ? html`<p class="hint" id="hint-${name}">${hint}</p>` : ''}${errors?.length ? html`<p class="error" id="error-${name}">${errors.join(' ')}</p>` : ''}`;
}

export function input(ctx: RequestContext, o: InputOptions): Html {
  const errs = o.errors?.[o.name];
  const desc = described(o.name, o.hint, Boolean(errs?.length));
  return html`<div class="field${errs?.length ? ' has-error' : ''}">
  <label for="field-${o.name}">${o.label}${o.required ? html` <span class="req">${ctx.t('core.form.required')}</span>` : ''}</label>
  ${fieldMessages(o.name, o.hint, errs)}
  <input id="field-${o.name}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${desc ? html` aria-describedby="${desc}"` : ''}${errs?.length ? html` aria-invalid="true"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.attrs ?? ''}>
</div>`;
}

export function textarea(ctx: RequestContext, o: InputOptions & { rows?: number }): Html {
  const errs = o.errors?.[o.name];
  const desc = described(o.name, o.hint, Boolean(errs?.length));
  return html`<div class="field${errs?.length ? ' has-error' : ''}">
  <label for="field-${o.name}">${o.label}${o.required ? html` <span class="req">${ctx.t('core.form.required')}</span>` : ''}</label>
  ${fieldMessages(o.name, o.hint, errs)}
  <textarea id="field-${o.name}" name="${o.name}" rows="${o.rows ?? 5}"${o.required ? html` required` : ''}${desc ? html` aria-describedby="${desc}"` : ''}${errs?.length ? html` aria-invalid="true"` : ''}>${o.value ?? ''}</textarea>
</div>`;
}

export interface SelectOptions extends InputOptions {
  options: Array<{ value: string; label: string }>;
  placeholder?: string;
}

export function select(ctx: RequestContext, o: SelectOptions): Html {
  const errs = o.errors?.[o.name];
  const desc = described(o.name, o.hint, Boolean(errs?.length));
  return html`<div class="field${errs?.length ? ' has-error' : ''}">
  <label for="field-${o.name}">${o.label}${o.required ? html` <span class="req">${ctx.t('core.form.required')}</span>` : ''}</label>
  ${fieldMessages(o.name, o.hint, errs)}
  <select id="field-${o.name}" name="${o.name}"${o.required ? html` required` : ''}${desc ? html` aria-describedby="${desc}"` : ''}${errs?.length ? html` aria-invalid="true"` : ''}>
    ${o.placeholder !== undefined ? html`<option value="">${o.placeholder}</option>` : ''}
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
</div>`;
}

/** Radio buttons or checkboxes in a fieldset with a legend. */
export function choices(ctx: RequestContext, o: SelectOptions & { multiple?: boolean; values?: string[] }): Html {
  const errs = o.errors?.[o.name];
  const selected = new Set(o.values ?? (o.value ? [o.value] : []));
  return html`<fieldset class="field${errs?.length ? ' has-error' : ''}" id="field-${o.name}"${described(o.name, o.hint, Boolean(errs?.length)) ? html` aria-describedby="${described(o.name, o.hint, Boolean(errs?.length))!}"` : ''}>
  <legend>${o.label}${o.required ? html` <span class="req">${ctx.t('core.form.required')}</span>` : ''}</legend>
  ${fieldMessages(o.name, o.hint, errs)}
  ${o.options.map((opt, i) => html`<div class="choice"><input type="${o.multiple ? 'checkbox' : 'radio'}" id="field-${o.name}-${i}" name="${o.name}" value="${opt.value}"${selected.has(opt.value) ? html` checked` : ''}><label for="field-${o.name}-${i}">${opt.label}</label></div>`)}
</fieldset>`;
}

export function submit(label: string, name?: string, value?: string): Html {
  return html`<button type="submit"${name ? html` name="${name}" value="${value ?? ''}"` : ''}>${label}</button>`;
}

/** Status message after a redirect (`?notice=…`), announced to screen readers. */
export function notice(message: string | undefined): Html {
  return message ? html`<div class="notice" role="status">${message}</div>` : html``;
}

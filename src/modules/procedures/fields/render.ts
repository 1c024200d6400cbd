// Accessible HTML for every field type of a procedure form. Works without JavaScript: every control has
// a label (or a fieldset and legend for groups), hints and errors tied with aria-describedby, conditional
// fields shown with a hint saying when they apply, repeated blocks grown with an "add another" submit
// button. conditions.js (optional) hides conditional fields live from the data-visible-if attributes.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { optionsOf, type FieldDefinition } from './definition.ts';
import { describeCondition } from './conditions-text.ts';
import { resolveTerritory, territoryLabel, type TerritoryType } from './territory-lookup.ts';
import { errorsByName, idOf } from './names.ts';

export interface AttachedFile {
  filename: string;
  size?: number;
}

export interface FormState {
  /** Current answers (typed, or the raw text the person typed when it could not be read). */
  answers: Record<string, unknown>;
  /** Errors keyed by field key or path (`members.0.name`, `members[0][name]`). */
  errors?: Record<string, string[]>;
  /** Files already attached, by input name (editing a dossier). */
  files?: Record<string, AttachedFile>;
}

interface Scope {
  ctx: RequestContext;
  /** All fields of the form, to name the fields that conditions refer to. */
  all: FieldDefinition[];
  errors: Record<string, string[]>;
  files: Record<string, AttachedFile>;
  /** Heading level for sections: 2 at the top, 3 inside a repeated block. */
  level: number;
}

export function renderFields(ctx: RequestContext, fields: FieldDefinition[], state: FormState): Html {
  const scope: Scope = { ctx, all: fields, errors: errorsByName(state.errors ?? {}), files: state.files ?? {}, level: 2 };
  return html`${fields.map((f) => renderField(scope, f, f.key, state.answers[f.key]))}`;
}

/** True when the form must be sent as multipart/form-data (it has a file field). */
export function needsMultipart(fields: FieldDefinition[]): boolean {
  return fields.some((f) => f.type === 'file' || (f.fields ? needsMultipart(f.fields) : false));
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return '';
  return String(value);
}

function constraintHint(scope: Scope, f: FieldDefinition): string {
  const { t } = scope.ctx;
  const parts: string[] = [];
  const hasMin = f.min !== undefined && f.min !== null && f.min !== '';
  const hasMax = f.max !== undefined && f.max !== null && f.max !== '';
  if (['integer', 'decimal', 'date', 'datetime'].includes(f.type)) {
    if (hasMin && hasMax) parts.push(t('procedures.web.hint.between', { min: String(f.min), max: String(f.max) }));
    else if (hasMin) parts.push(t('procedures.web.hint.min', { min: String(f.min) }));
    else if (hasMax) parts.push(t('procedures.web.hint.max', { max: String(f.max) }));
  }
  if (f.minLength && f.maxLength) parts.push(t('procedures.web.hint.length_between', { min: f.minLength, max: f.maxLength }));
  else if (f.maxLength) parts.push(t('procedures.web.hint.length_max', { max: f.maxLength }));
  else if (f.minLength) parts.push(t('procedures.web.hint.length_min', { min: f.minLength }));
  const typeHint = `procedures.web.hint.type.${f.type}`;
  if (t(typeHint) !== typeHint) parts.push(t(typeHint));
  if (f.type === 'file') {
    if (f.accept?.length) parts.push(t('procedures.web.hint.accept', { types: f.accept.map((m) => m.split('/')[1]!.toUpperCase()).join(', ') }));
    if (f.maxBytes) parts.push(t('procedures.web.hint.max_size', { size: `${Math.round((f.maxBytes / 1024 / 1024) * 10) / 10} Mo` }));
  }
  return parts.join(' ');
}

/** The label text with its "(obligatoire)" marker. */
function labelText(scope: Scope, f: FieldDefinition): Html {
  return html`${f.label}${f.required ? html` <span class="req">${scope.ctx.t('core.form.required')}</span>` : ''}`;
}

/** Hints, condition texts and errors under a label; returns the ids for aria-describedby. */
function messages(scope: Scope, f: FieldDefinition, id: string, errors: string[] | undefined, extra: Html | '' = ''): { html: Html; describedBy: string } {
  const { t } = scope.ctx;
  const hint = [f.hint, constraintHint(scope, f)].filter(Boolean).join(' ');
  const conds: string[] = [];
  if (f.visibleIf) conds.push(t('procedures.web.only_if', { condition: describeCondition(t, f.visibleIf, scope.all) }));
  if (f.requiredIf) conds.push(t('procedures.web.required_if', { condition: describeCondition(t, f.requiredIf, scope.all) }));
  const ids = [hint ? `hint-${id}` : '', conds.length ? `cond-${id}` : '', extra ? `more-${id}` : '', errors?.length ? `error-${id}` : ''].filter(Boolean);
  return {
    describedBy: ids.join(' '),
    html: html`${hint ? html`<p class="hint" id="hint-${id}">${hint}</p>` : ''}${conds.length ? html`<p class="hint cond" id="cond-${id}">${conds.join(' ')}</p>` : ''}${extra ? html`<div class="hint" id="more-${id}">${extra}</div>` : ''}${errors?.length ? html`<p class="error" id="error-${id}"><span class="visually-hidden">${t('procedures.web.error_prefix')}</span>${errors.join(' ')}</p>` : ''}`,
  };
}

function aria(describedBy: string, invalid: boolean, required?: boolean): Html {
  return html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid ? html` aria-invalid="true"` : ''}${required ? html` required` : ''}`;
}

function conditionAttr(f: FieldDefinition): Html {
  return f.visibleIf ? html` data-visible-if="${JSON.stringify(f.visibleIf)}"` : html``;
}

const INPUTS: Partial<Record<FieldDefinition['type'], { type: string; inputmode?: string; autocomplete?: string; spellcheck?: false }>> = {
  text: { type: 'text' },
  integer: { type: 'text', inputmode: 'numeric' },
  decimal: { type: 'text', inputmode: 'decimal' },
  date: { type: 'date' },
  datetime: { type: 'datetime-local' },
  email: { type: 'email', autocomplete: 'email', spellcheck: false },
  phone: { type: 'tel', autocomplete: 'tel' },
  siret: { type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: false },
  iban: { type: 'text', autocomplete: 'off', spellcheck: false },
  commune: { type: 'text', autocomplete: 'address-level2' },
  epci: { type: 'text', autocomplete: 'off' },
  departement: { type: 'text', autocomplete: 'off' },
};

function renderField(scope: Scope, f: FieldDefinition, name: string, value: unknown): Html {
  const { t } = scope.ctx;
  const id = idOf(name);
  if (f.type === 'section') {
    return scope.level === 2 ? html`<h2 id="${id}"${conditionAttr(f)}>${f.label}</h2>` : html`<h3 id="${id}"${conditionAttr(f)}>${f.label}</h3>`;
  }
  if (f.type === 'explanation') {
    const paragraphs = [f.label, f.hint ?? '']
      .join('\n\n')
      .split(/\n\s*\n/)
      .filter((p) => p.trim());
    return html`<div class="explanation" id="${id}"${conditionAttr(f)}>${paragraphs.map((p) => html`<p>${p}</p>`)}</div>`;
  }
  if (f.type === 'repetition') return renderRepetition(scope, f, name, value);
  const errors = scope.errors[name];
  const invalid = Boolean(errors?.length);
  const cls = `field${invalid ? ' has-error' : ''}`;

  if (f.type === 'choice' || f.type === 'multiple_choice' || f.type === 'yes_no') {
    const options =
      f.type === 'yes_no'
        ? [
            { value: 'true', label: t('procedures.web.yes') },
            { value: 'false', label: t('procedures.web.no') },
          ]
        : optionsOf(f);
    const selected = new Set((Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(String));
    const m = messages(scope, f, id, errors);
    const kind = f.type === 'multiple_choice' ? 'checkbox' : 'radio';
    return html`<fieldset class="${cls}" id="${id}"${conditionAttr(f)}${m.describedBy ? html` aria-describedby="${m.describedBy}"` : ''}>
<legend>${labelText(scope, f)}</legend>${m.html}
${options.map((o, i) => html`<div class="choice"><input type="${kind}" id="${id}-${i}" name="${name}" value="${o.value}"${selected.has(o.value) ? html` checked` : ''}${invalid && i === 0 ? html` aria-invalid="true"` : ''}><label for="${id}-${i}">${o.label}</label></div>`)}
</fieldset>`;
  }
  if (f.type === 'checkbox') {
    const m = messages(scope, f, id, errors);
    return html`<div class="${cls}"${conditionAttr(f)}>${m.html}<div class="choice"><input type="checkbox" id="${id}" name="${name}" value="true"${value === true || value === 'true' ? html` checked` : ''}${aria(m.describedBy, invalid, f.required)}><label for="${id}">${labelText(scope, f)}</label></div></div>`;
  }
  if (f.type === 'dropdown') {
    const m = messages(scope, f, id, errors);
    return html`<div class="${cls}"${conditionAttr(f)}><label for="${id}">${labelText(scope, f)}</label>${m.html}
<select id="${id}" name="${name}"${aria(m.describedBy, invalid, f.required)}><option value="">${t('procedures.web.choose')}</option>${optionsOf(f).map((o) => html`<option value="${o.value}"${o.value === text(value) ? html` selected` : ''}>${o.label}</option>`)}</select></div>`;
  }
  if (f.type === 'textarea' || f.type === 'address') {
    const m = messages(scope, f, id, errors);
    const rows = f.type === 'address' ? 3 : 6;
    return html`<div class="${cls}"${conditionAttr(f)}><label for="${id}">${labelText(scope, f)}</label>${m.html}
<textarea id="${id}" name="${name}" rows="${rows}"${f.type === 'address' ? html` autocomplete="street-address"` : ''}${aria(m.describedBy, invalid, f.required)}>${text(value)}</textarea></div>`;
  }
  if (f.type === 'file') {
    const attached = scope.files[name];
    const extra = attached ? html`<p>${t('procedures.web.file_attached', { name: attached.filename })}</p>` : '';
    const m = messages(scope, f, id, errors, extra);
    return html`<div class="${cls}"${conditionAttr(f)}><label for="${id}">${labelText(scope, f)}</label>${m.html}
<input type="file" id="${id}" name="${name}"${f.accept?.length ? html` accept="${f.accept.join(',')}"` : ''}${aria(m.describedBy, invalid, f.required && !attached)}></div>`;
  }
  const spec = INPUTS[f.type] ?? { type: 'text' };
  let shown = text(value);
  if (f.type === 'decimal' && typeof value === 'number' && scope.ctx.locale === 'fr') shown = shown.replace('.', ',');
  let extra: Html | '' = '';
  if (f.type === 'commune' || f.type === 'epci' || f.type === 'departement') extra = territoryNote(scope, f.type, shown);
  const m = messages(scope, f, id, errors, extra);
  return html`<div class="${cls}"${conditionAttr(f)}><label for="${id}">${labelText(scope, f)}</label>${m.html}
<input type="${spec.type}" id="${id}" name="${name}" value="${shown}"${spec.inputmode ? html` inputmode="${spec.inputmode}"` : ''}${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}${spec.spellcheck === false ? html` spellcheck="false"` : ''}${aria(m.describedBy, invalid, f.required)}></div>`;
}

/** Under a commune/EPCI/département field: the place recognised, or the places that match the text. */
function territoryNote(scope: Scope, type: TerritoryType, value: string): Html | '' {
  if (!value) return '';
  const { t } = scope.ctx;
  const label = territoryLabel(type, value);
  if (label) return html`<p class="resolved">${t('procedures.web.territory.recognised', { name: label })}</p>`;
  const { candidates } = resolveTerritory(type, value);
  if (!candidates.length) return '';
  return html`<p>${t('procedures.web.territory.several')}</p><ul>${candidates.map((c) => html`<li>${c.label}</li>`)}</ul>`;
}

function renderRepetition(scope: Scope, f: FieldDefinition, name: string, value: unknown): Html {
  const { t } = scope.ctx;
  const blocks = Array.isArray(value) ? value : [];
  const min = typeof f.min === 'number' ? f.min : 1;
  const max = typeof f.max === 'number' ? f.max : 50;
  const count = Math.max(blocks.length, min, 1);
  const id = idOf(name);
  const errors = scope.errors[name];
  const m = messages(scope, f, id, errors);
  const inner: Scope = { ...scope, level: 3 };
  const list = Array.from({ length: count }, (_, i) => {
    const block = (blocks[i] && typeof blocks[i] === 'object' ? blocks[i] : {}) as Record<string, unknown>;
    return html`<fieldset class="block">
<legend>${t('procedures.web.block', { label: f.label, n: i + 1 })}</legend>
${(f.fields ?? []).map((sub) => renderField(inner, sub, `${name}[${i}][${sub.key}]`, block[sub.key]))}
${count > min ? html`<button type="submit" class="secondary" name="_remove" value="${name}.${i}" formnovalidate>${t('procedures.web.block.remove', { n: i + 1 })}</button>` : ''}
</fieldset>`;
  });
  return html`<fieldset class="field repetition${errors?.length ? ' has-error' : ''}" id="${id}"${conditionAttr(f)}${m.describedBy ? html` aria-describedby="${m.describedBy}"` : ''}>
<legend>${labelText(scope, f)}</legend>${m.html}
${list}
${count < max ? html`<button type="submit" class="secondary" name="_add" value="${name}" formnovalidate>${t('procedures.web.block.add', { label: f.label })}</button>` : ''}
</fieldset>`;
}

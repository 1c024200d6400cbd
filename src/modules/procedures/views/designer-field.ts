// Editing one field of a procedure: label, key, hint, required, the constraints its type has, and its
// conditions as simple rows (field / operator / value, combined with "all" or "any"). A condition deeper
// than one level (from an imported JSON) is shown and kept as JSON.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField } from '../../../core/views/forms.ts';
import { DISPLAY_ONLY, FIELD_TYPES, optionsOf, type Condition, type FieldDefinition } from '../fields/definition.ts';
import { formErrorSummary } from './common.ts';

export const CONDITION_ROWS = 3;
const OPS = ['equals', 'not_equals', 'gt', 'lt', 'filled', 'empty'];

export interface FieldEditView {
  base: string;
  /** Position of the field: `3`, or `3.1` inside a repeated block. */
  path: string;
  procedureTitle: string;
  field: FieldDefinition;
  /** Fields a condition may look at: those answered before this one. */
  earlier: FieldDefinition[];
  errors?: Record<string, string[]>;
}

/** A condition as rows when it is flat (one comparison, or all/any of comparisons); null when deeper. */
export function conditionRows(c: Condition | undefined): { mode: 'all' | 'any'; rows: Array<{ field: string; op: string; value: string }> } | null {
  if (!c) return { mode: 'all', rows: [] };
  const flat = (x: Condition) => ('field' in x ? { field: x.field, op: x.op, value: 'value' in x ? String(x.value) : '' } : null);
  if ('all' in c || 'any' in c) {
    const list = 'all' in c ? c.all : c.any;
    const rows = list.map(flat);
    return rows.every(Boolean) && rows.length <= CONDITION_ROWS
      ? { mode: 'all' in c ? 'all' : 'any', rows: rows as Array<{ field: string; op: string; value: string }> }
      : null;
  }
  return { mode: 'all', rows: [flat(c)!] };
}

function input(id: string, name: string, label: string, value: unknown, v: FieldEditView, o: { hint?: string; type?: string; errorKey?: string } = {}): Html {
  const errors = v.errors?.[o.errorKey ?? name];
  const described = [o.hint ? `hint-${id}` : '', errors ? `error-${id}` : ''].filter(Boolean).join(' ');
  return html`<div class="field${errors ? ' has-error' : ''}"><label for="${id}">${label}</label>
${o.hint ? html`<p class="hint" id="hint-${id}">${o.hint}</p>` : ''}${errors ? html`<p class="error" id="error-${id}">${errors.join(' ')}</p>` : ''}
<input type="${o.type ?? 'text'}" id="${id}" name="${name}" value="${value === undefined || value === null ? '' : String(value)}"${described ? html` aria-describedby="${described}"` : ''}${errors ? html` aria-invalid="true"` : ''}></div>`;
}

function conditionEditor(ctx: RequestContext, v: FieldEditView, name: 'visibleIf' | 'requiredIf'): Html {
  const { t } = ctx;
  const current = v.field[name];
  const rows = conditionRows(current);
  const errors = v.errors?.[name];
  const legend = t(`procedures.web.designer.${name}`);
  if (!rows) {
    return html`<fieldset class="field" id="field-${name}"><legend>${legend}</legend>
<div class="field"><label for="field-${name}-json">${t('procedures.web.designer.condition_json')}</label>
<textarea id="field-${name}-json" name="${name}_json" rows="4" spellcheck="false">${JSON.stringify(current, null, 1)}</textarea></div></fieldset>`;
  }
  return html`<fieldset class="field${errors ? ' has-error' : ''}" id="field-${name}"><legend>${legend}</legend>
<p class="hint">${t('procedures.web.designer.condition_hint')}</p>${errors ? html`<p class="error">${errors.join(' ')}</p>` : ''}
<div class="field"><label for="field-${name}-mode">${t('procedures.web.designer.combine')}</label>
<select id="field-${name}-mode" name="${name}_mode"><option value="all"${rows.mode === 'all' ? html` selected` : ''}>${t('procedures.web.designer.combine.all')}</option><option value="any"${rows.mode === 'any' ? html` selected` : ''}>${t('procedures.web.designer.combine.any')}</option></select></div>
${Array.from({ length: CONDITION_ROWS }, (_, i) => {
  const row = rows.rows[i] ?? { field: '', op: 'equals', value: '' };
  const id = `field-${name}-${i}`;
  return html`<div class="row" role="group" aria-label="${t('procedures.web.designer.condition_n', { n: i + 1 })}">
<div class="field"><label for="${id}-field">${t('procedures.web.designer.cond_field', { n: i + 1 })}</label><select id="${id}-field" name="${name}_field"><option value="">—</option>${v.earlier.map((f) => html`<option value="${f.key}"${f.key === row.field ? html` selected` : ''}>${f.label}</option>`)}</select></div>
<div class="field"><label for="${id}-op">${t('procedures.web.designer.cond_op', { n: i + 1 })}</label><select id="${id}-op" name="${name}_op">${OPS.map((op) => html`<option value="${op}"${op === row.op ? html` selected` : ''}>${t(`procedures.web.designer.op.${op}`)}</option>`)}</select></div>
<div class="field"><label for="${id}-value">${t('procedures.web.designer.cond_value', { n: i + 1 })}</label><input type="text" id="${id}-value" name="${name}_value" value="${row.value}"></div>
</div>`;
})}
</fieldset>`;
}

export function fieldEditBody(ctx: RequestContext, v: FieldEditView): Html {
  const { t } = ctx;
  const f = v.field;
  const type = f.type;
  const numeric = ['integer', 'decimal', 'date', 'datetime', 'multiple_choice', 'repetition'].includes(type);
  const textual = ['text', 'textarea', 'address'].includes(type);
  const choices = ['choice', 'multiple_choice', 'dropdown'].includes(type);
  const options = optionsOf(f)
    .map((o) => (o.value === o.label ? o.label : `${o.value} = ${o.label}`))
    .join('\n');
  return html`${formErrorSummary(ctx, v.errors, [], {})}
<p><a href="${v.base}">${v.procedureTitle}</a></p>
<h1>${t('procedures.web.designer.edit_field', { label: f.label })}</h1>
<form method="post" action="${v.base}/champs/${v.path}/modifier" novalidate>
${csrfField(ctx)}
${input('field-label', 'label', t('procedures.web.designer.field_label'), f.label, v)}
${input('field-key', 'key', t('procedures.web.designer.key'), f.key, v, { hint: t('procedures.web.designer.key_hint') })}
<div class="field"><label for="field-type">${t('procedures.web.designer.type')}</label><select id="field-type" name="type">${FIELD_TYPES.map((x) => html`<option value="${x}"${x === type ? html` selected` : ''}>${t(`procedures.web.type.${x}`)}</option>`)}</select></div>
<div class="field"><label for="field-hint">${type === 'explanation' ? t('procedures.web.designer.more_text') : t('procedures.web.designer.hint')}</label><textarea id="field-hint" name="hint" rows="3">${f.hint ?? ''}</textarea></div>
${DISPLAY_ONLY.includes(type) ? '' : html`<div class="field choice"><input type="checkbox" id="field-required" name="required" value="true"${f.required ? html` checked` : ''}><label for="field-required">${t('procedures.web.designer.required')}</label></div>`}
${choices ? html`<div class="field${v.errors?.options ? ' has-error' : ''}"><label for="field-options">${t('procedures.web.designer.options')}</label><p class="hint" id="hint-field-options">${t('procedures.web.designer.options_hint')}</p>${v.errors?.options ? html`<p class="error" id="error-field-options">${v.errors.options.join(' ')}</p>` : ''}<textarea id="field-options" name="options" rows="5" aria-describedby="hint-field-options">${options}</textarea></div>` : ''}
${numeric ? html`<div class="row">${input('field-min', 'min', t('procedures.web.designer.min'), f.min, v)}${input('field-max', 'max', t('procedures.web.designer.max'), f.max, v)}</div>` : ''}
${
  textual
    ? html`<div class="row">${input('field-minLength', 'minLength', t('procedures.web.designer.minLength'), f.minLength, v)}${input('field-maxLength', 'maxLength', t('procedures.web.designer.maxLength'), f.maxLength, v)}</div>
${input('field-pattern', 'pattern', t('procedures.web.designer.pattern'), f.pattern, v, { hint: t('procedures.web.designer.pattern_hint') })}`
    : ''
}
${
  type === 'file'
    ? html`${input('field-accept', 'accept', t('procedures.web.designer.accept'), (f.accept ?? []).join(', '), v, { hint: t('procedures.web.designer.accept_hint') })}
${input('field-maxBytes', 'maxBytes', t('procedures.web.designer.max_mb'), f.maxBytes ? f.maxBytes / 1024 / 1024 : '', v)}`
    : ''
}
${conditionEditor(ctx, v, 'visibleIf')}
${DISPLAY_ONLY.includes(type) ? '' : conditionEditor(ctx, v, 'requiredIf')}
<button type="submit">${t('procedures.web.designer.save')}</button>
</form>`;
}

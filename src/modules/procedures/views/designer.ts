// The designer's pages: the list of procedures (create, import), and one procedure (general
// information, its fields with move up / down / edit / delete, add a field, preview, publish, revisions,
// export). Every button is a small form: the designer works without JavaScript.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, notice } from '../../../core/views/forms.ts';
import { FIELD_TYPES, type FieldDefinition } from '../fields/definition.ts';
import type { ProcedureRow } from '../procedures.repository.ts';
import { describeCondition } from '../fields/conditions-text.ts';
import { formErrorSummary, when } from './common.ts';

function textField(id: string, name: string, label: string, value: string, errors?: string[], hint?: string): Html {
  const described = [hint ? `hint-${id}` : '', errors?.length ? `error-${id}` : ''].filter(Boolean).join(' ');
  return html`<div class="field${errors?.length ? ' has-error' : ''}"><label for="${id}">${label}</label>
${hint ? html`<p class="hint" id="hint-${id}">${hint}</p>` : ''}${errors?.length ? html`<p class="error" id="error-${id}">${errors.join(' ')}</p>` : ''}
<input type="text" id="${id}" name="${name}" value="${value}"${described ? html` aria-describedby="${described}"` : ''}${errors?.length ? html` aria-invalid="true"` : ''}></div>`;
}

export function designerListBody(
  ctx: RequestContext,
  o: { base: string; procedures: ProcedureRow[]; notice?: string; errors?: Record<string, string[]>; values?: Record<string, string> },
): Html {
  const { t } = ctx;
  const errors = o.errors ?? {};
  return html`<h1>${t('procedures.web.designer.list')}</h1>
${notice(o.notice)}
${formErrorSummary(ctx, errors, [], { title: t('procedures.web.designer.title_label'), json: t('procedures.web.designer.import_label') })}
${
  o.procedures.length
    ? html`<div class="table-scroll"><table><caption class="visually-hidden">${t('procedures.web.designer.list')}</caption>
<thead><tr><th scope="col">${t('procedures.web.procedure')}</th><th scope="col">${t('procedures.web.designer.state')}</th><th scope="col">${t('procedures.web.designer.revision')}</th><th scope="col">${t('procedures.web.updated_at')}</th></tr></thead>
<tbody>${o.procedures.map((p) => html`<tr><td><a href="${o.base}/${p.id}">${p.title}</a></td><td>${t(`procedures.web.designer.state.${p.state}`)}</td><td>${p.current_revision ? String(p.current_revision) : '—'}</td><td>${when(ctx, p.updated_at)}</td></tr>`)}</tbody></table></div>`
    : html`<p>${t('procedures.web.designer.none')}</p>`
}
<h2>${t('procedures.web.designer.create')}</h2>
<form method="post" action="${o.base}" novalidate>${csrfField(ctx)}
${textField('field-title', 'title', t('procedures.web.designer.title_label'), o.values?.title ?? '', errors.title)}
<button type="submit">${t('procedures.web.designer.create_button')}</button></form>
<h2>${t('procedures.web.designer.import')}</h2>
<form method="post" action="${o.base}/importer" novalidate>${csrfField(ctx)}
<div class="field${errors.json ? ' has-error' : ''}"><label for="field-json">${t('procedures.web.designer.import_label')}</label>
<p class="hint" id="hint-field-json">${t('procedures.web.designer.import_hint')}</p>${errors.json ? html`<p class="error" id="error-field-json">${errors.json.join(' ')}</p>` : ''}
<textarea id="field-json" name="json" rows="6" spellcheck="false" aria-describedby="hint-field-json${errors.json ? ' error-field-json' : ''}">${o.values?.json ?? ''}</textarea></div>
<button type="submit">${t('procedures.web.designer.import_button')}</button></form>`;
}

export interface DesignerEditView {
  base: string;
  procedure: ProcedureRow;
  revisions: Array<{ revision: number; published_at: Date }>;
  /** True when the draft differs from the published revision. */
  changed: boolean;
  notice?: string;
  errors?: Record<string, string[]>;
}

/** One row per field; the move and delete buttons post the one form around the table (`op=monter:3`). */
function fieldRows(ctx: RequestContext, v: DesignerEditView, fields: FieldDefinition[], prefix: string, all: FieldDefinition[]): Html[] {
  const { t } = ctx;
  return fields.flatMap((f, i) => {
    const path = prefix ? `${prefix}.${i}` : String(i);
    const button = (op: string, label: string) =>
      html`<button class="link" type="submit" name="op" value="${op}:${path}" aria-label="${label} : ${f.label}">${label}</button> `;
    const row = html`<tr><td>${prefix ? '↳ ' : ''}${f.label}${f.required ? ` ${t('core.form.required')}` : ''}${f.visibleIf ? html`<br><span class="small">${t('procedures.web.only_if', { condition: describeCondition(t, f.visibleIf, all) })}</span>` : ''}</td>
<td>${t(`procedures.web.type.${f.type}`)}</td><td><code>${f.key}</code></td>
<td><a href="${v.base}/champs/${path}/modifier" aria-label="${t('procedures.web.designer.edit')} : ${f.label}">${t('procedures.web.designer.edit')}</a>
${i > 0 ? button('monter', t('procedures.web.designer.up')) : ''}${i < fields.length - 1 ? button('descendre', t('procedures.web.designer.down')) : ''}${button('supprimer', t('procedures.web.designer.delete'))}</td></tr>`;
    return f.type === 'repetition' ? [row, ...fieldRows(ctx, v, f.fields ?? [], path, all)] : [row];
  });
}

export function designerEditBody(ctx: RequestContext, v: DesignerEditView): Html {
  const { t } = ctx;
  const p = v.procedure;
  const d = p.draft_definition;
  const errors = v.errors ?? {};
  const repetitions = d.fields.map((f, i) => ({ f, i })).filter(({ f }) => f.type === 'repetition');
  return html`<p><a href="${v.base.replace(/\/[^/]+$/, '')}">${t('procedures.web.designer.list')}</a></p>
<h1>${p.title}</h1>
${notice(v.notice)}
${formErrorSummary(ctx, errors, [], { title: t('procedures.web.designer.title_label'), label: t('procedures.web.designer.field_label'), _: t('procedures.web.designer.publish') })}
<p>${t(`procedures.web.designer.state.${p.state}`)}${p.current_revision ? html` · ${t('procedures.web.designer.published_revision', { n: p.current_revision })}` : ''}${v.changed ? html` · <strong>${t('procedures.web.designer.unpublished_changes')}</strong>` : ''}</p>
<ul class="inline"><li><a href="${v.base}/apercu">${t('procedures.web.preview')}</a></li><li><a href="${v.base}/export.json" download>${t('procedures.web.designer.export')}</a></li><li><a href="${v.base}/groupes">${t('procedures.web.designer.groups')}</a></li><li><a href="${v.base}/operations">${t('procedures.web.designer.operations')}</a></li></ul>
<form method="post" action="${v.base}/publier" class="card">${csrfField(ctx)}
<p>${t('procedures.web.designer.publish_hint')}</p><button type="submit">${t('procedures.web.designer.publish')}</button></form>
${p.state === 'published' ? html`<form method="post" action="${v.base}/fermer">${csrfField(ctx)}<p class="small">${t('procedures.web.designer.close_hint')}</p><button type="submit" class="secondary">${t('procedures.web.designer.close')}</button></form>` : ''}
<h2>${t('procedures.web.designer.general')}</h2>
<form method="post" action="${v.base}/general" novalidate>${csrfField(ctx)}
${textField('field-title', 'title', t('procedures.web.designer.title_label'), d.title, errors.title)}
<div class="field"><label for="field-description">${t('procedures.web.designer.description')}</label>
<textarea id="field-description" name="description" rows="4">${d.description ?? ''}</textarea></div>
<button type="submit">${t('procedures.web.designer.save')}</button></form>
<h2>${t('procedures.web.designer.fields')}</h2>
${
  d.fields.length
    ? html`<form method="post" action="${v.base}/champs/deplacer">${csrfField(ctx)}<div class="table-scroll"><table><caption class="visually-hidden">${t('procedures.web.designer.fields')}</caption>
<thead><tr><th scope="col">${t('procedures.web.designer.field_label')}</th><th scope="col">${t('procedures.web.designer.type')}</th><th scope="col">${t('procedures.web.designer.key')}</th><th scope="col">${t('procedures.web.designer.actions')}</th></tr></thead>
<tbody>${fieldRows(ctx, v, d.fields, '', d.fields)}</tbody></table></div></form>`
    : html`<p>${t('procedures.web.designer.no_fields')}</p>`
}
<h3>${t('procedures.web.designer.add_field')}</h3>
<form method="post" action="${v.base}/champs" novalidate>${csrfField(ctx)}
<div class="row">
${textField('field-label', 'label', t('procedures.web.designer.field_label'), '', errors.label)}
<div class="field"><label for="field-type">${t('procedures.web.designer.type')}</label><select id="field-type" name="type">${FIELD_TYPES.map((type) => html`<option value="${type}">${t(`procedures.web.type.${type}`)}</option>`)}</select></div>
${repetitions.length ? html`<div class="field"><label for="field-parent">${t('procedures.web.designer.parent')}</label><select id="field-parent" name="parent"><option value="">${t('procedures.web.designer.top_level')}</option>${repetitions.map(({ f, i }) => html`<option value="${String(i)}">${f.label}</option>`)}</select></div>` : ''}
</div>
<button type="submit">${t('procedures.web.designer.add')}</button></form>
${v.revisions.length ? html`<h2>${t('procedures.web.designer.revisions')}</h2><ul>${v.revisions.map((r) => html`<li>${t('procedures.web.designer.published_revision', { n: r.revision })} — ${when(ctx, r.published_at)}</li>`)}</ul>` : ''}`;
}

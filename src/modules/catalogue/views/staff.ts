// Staff pages of the catalogue: the list of every dataset of the collectivité with the form to create one,
// and a dataset's page (metadata form, resources and their versions, upload, review and publication).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { grants } from '../../../core/base/roles.ts';
import type { DatasetRow, ResourceRow, VersionRow } from '../catalogue.repository.ts';
import { canApprove, canPrepare, editable, TRANSITIONS, uploadable, type Principal, type Transition } from '../catalogue.policy.ts';
import { FREQUENCIES, LICENCES, THEMES } from '../vocabularies.ts';
import type { BundledSchema } from '../validation/index.ts';
import { bytes, conformity, errorSummary, fieldError, stateBadge, when } from './common.ts';

export function staffListBody(
  ctx: RequestContext,
  o: { base: string; datasets: DatasetRow[]; notice: Html; errors?: Record<string, string[]>; title?: string },
): Html {
  const t = ctx.t;
  return html`<h1>${t('catalogue.staff.title')}</h1>
${o.notice}
${errorSummary(ctx, o.errors, { title: t('catalogue.field.title') })}
<p>${t('catalogue.datasets', { count: o.datasets.length })}</p>
${
  o.datasets.length
    ? html`<div class="table-scroll"><table>
<caption class="visually-hidden">${t('catalogue.staff.title')}</caption>
<thead><tr><th scope="col">${t('catalogue.field.title')}</th><th scope="col">${t('catalogue.field.state')}</th><th scope="col">${t('catalogue.field.updated')}</th></tr></thead>
<tbody>${o.datasets.map((d) => html`<tr><td><a href="${o.base}/${d.id}">${d.title}</a>${d.personal_data ? html` <span class="badge">${t('catalogue.personal_data.badge')}</span>` : ''}</td><td>${stateBadge(ctx, d.state)}</td><td>${when(ctx, d.updated_at)}</td></tr>`)}</tbody>
</table></div>`
    : ''
}
<h2>${t('catalogue.staff.create')}</h2>
<form method="post" action="${o.base}">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<div class="field${o.errors?.title ? ' has-error' : ''}"><label for="f-title">${t('catalogue.field.title')}</label>${fieldError(o.errors, 'title')}
<input id="f-title" name="title" value="${o.title ?? ''}" required maxlength="200"></div>
<button type="submit">${t('catalogue.staff.create_button')}</button>
</form>`;
}

function options(values: readonly string[], selected: string | string[] | null, label: (v: string) => string): Html[] {
  const chosen = Array.isArray(selected) ? selected : [selected ?? ''];
  return values.map((v) => html`<option value="${v}"${chosen.includes(v) ? html` selected` : ''}>${label(v)}</option>`);
}

export function metadataForm(
  ctx: RequestContext,
  action: string,
  d: DatasetRow,
  schemas: BundledSchema[],
  errors?: Record<string, string[]>,
  values?: Record<string, string | string[]>,
): Html {
  const t = ctx.t;
  const v = (name: string, stored: string): string => {
    const given = values?.[name];
    return given === undefined ? stored : Array.isArray(given) ? given.join(', ') : given;
  };
  const err = (n: string) => (errors?.[n] ? ' has-error' : '');
  const text = (
    name: string,
    stored: string,
    extra: Html | string = '',
  ) => html`<div class="field${err(name)}"><label for="f-${name}">${t(`catalogue.field.${name}`)}</label>${extra}${fieldError(errors, name)}
<input id="f-${name}" name="${name}" value="${v(name, stored)}"></div>`;
  const schemaChoice = values?.schema !== undefined ? String(values.schema) : (d.schema_name ?? (d.custom_schema ? 'custom' : ''));
  const themes = values?.themes !== undefined ? ([] as string[]).concat(values.themes) : d.themes;
  return html`<form method="post" action="${action}">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${text('title', d.title)}
<div class="field${err('description')}"><label for="f-description">${t('catalogue.field.description')}</label>${fieldError(errors, 'description')}
<textarea id="f-description" name="description" rows="5">${v('description', d.description)}</textarea></div>
${text('keywords', d.keywords.join(', '), html`<p class="hint" id="h-keywords">${t('catalogue.hint.list')}</p>`)}
<div class="field${err('themes')}"><label for="f-themes">${t('catalogue.field.themes')}</label>${fieldError(errors, 'themes')}
<select id="f-themes" name="themes" multiple size="5">${options(THEMES, themes, (c) => t(`catalogue.theme.${c}`))}</select></div>
<div class="field${err('licence')}"><label for="f-licence">${t('catalogue.field.licence')}</label>${fieldError(errors, 'licence')}
<select id="f-licence" name="licence">${options(LICENCES, v('licence', d.licence), (c) => t(`catalogue.licence.${c}`))}</select></div>
<div class="field${err('frequency')}"><label for="f-frequency">${t('catalogue.field.frequency')}</label>${fieldError(errors, 'frequency')}
<select id="f-frequency" name="frequency"><option value="">${t('catalogue.frequency.none')}</option>${options(FREQUENCIES, v('frequency', d.frequency ?? ''), (c) => t(`catalogue.frequency.${c}`))}</select></div>
${text('spatial', d.spatial.join(', '), html`<p class="hint">${t('catalogue.hint.spatial')}</p>`)}
<div class="field${err('temporal_start')}"><label for="f-temporal_start">${t('catalogue.field.temporal_start')}</label>${fieldError(errors, 'temporal_start')}
<input id="f-temporal_start" name="temporal_start" type="date" value="${v('temporal_start', d.temporal_start ?? '')}"></div>
<div class="field${err('temporal_end')}"><label for="f-temporal_end">${t('catalogue.field.temporal_end')}</label>${fieldError(errors, 'temporal_end')}
<input id="f-temporal_end" name="temporal_end" type="date" value="${v('temporal_end', d.temporal_end ?? '')}"></div>
${text('publisher', d.publisher)}
${text('contact_point', d.contact_point)}
<div class="field choice${err('personal_data')}">${fieldError(errors, 'personal_data')}<input type="checkbox" id="f-personal_data" name="personal_data" value="true"${(values ? values.personal_data === 'true' : d.personal_data) ? html` checked` : ''}>
<label for="f-personal_data">${t('catalogue.field.personal_data')}</label></div>
<div class="field${err('schema')}"><label for="f-schema">${t('catalogue.field.schema')}</label>${fieldError(errors, 'schema')}
<select id="f-schema" name="schema"><option value="">${t('catalogue.schema.none')}</option>${schemas.map((s) => html`<option value="${s.name}"${schemaChoice === s.name ? html` selected` : ''}>${s.title ?? s.name} (${s.name})</option>`)}
<option value="custom"${schemaChoice === 'custom' ? html` selected` : ''}>${t('catalogue.schema.custom')}</option></select></div>
<div class="field${err('custom_schema')}"><label for="f-custom_schema">${t('catalogue.field.custom_schema')}</label><p class="hint">${t('catalogue.hint.custom_schema')}</p>${fieldError(errors, 'custom_schema')}
<textarea id="f-custom_schema" name="custom_schema" rows="4" spellcheck="false">${typeof values?.custom_schema === 'string' ? values.custom_schema : ''}</textarea></div>
<button type="submit">${t('catalogue.staff.save')}</button>
</form>`;
}

/** An archivist files a version in the archives (the archives module's form route; archives/routes/datasets.ts). */
function sendToArchives(ctx: RequestContext, versionId: string): Html {
  if (!ctx.tenant || !grants(ctx.roles, 'archivist')) return html``;
  return html` <form method="post" action="/${ctx.tenant.slug}/admin/archives/jeux-de-donnees" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><input type="hidden" name="version" value="${versionId}"><button type="submit">${ctx.t('archives.dataset.send')}</button></form>`;
}

function versionList(ctx: RequestContext, base: string, r: ResourceRow & { versions: VersionRow[] }): Html {
  return html`<ul>${r.versions.map((v) => {
    const href = `${base}/ressources/${r.id}/versions/${v.version}`;
    return html`<li>${ctx.t('catalogue.version', { n: v.version })} · <a href="${href}/telecharger">${v.filename}</a> (${v.format}, ${bytes(ctx, v.size)}) · ${when(ctx, v.uploaded_at)} ${conformity(ctx, v, `${href}/rapport`)}${sendToArchives(ctx, v.id)}</li>`;
  })}</ul>`;
}

export function staffDatasetBody(
  ctx: RequestContext,
  o: {
    base: string;
    publicHref: string;
    p: Principal;
    dataset: DatasetRow;
    resources: Array<ResourceRow & { versions: VersionRow[] }>;
    schemas: BundledSchema[];
    notice: Html;
    /** The quality score and what to fix (quality/view.ts). */
    quality?: Html;
    /** Per resource, its load into the tabular API (tabular/view.ts). */
    tabular?: Map<string, Html>;
    errors?: Record<string, string[]>;
    values?: Record<string, string | string[]>;
  },
): Html {
  const t = ctx.t;
  const d = o.dataset;
  const allowed = (Object.keys(TRANSITIONS) as Transition[]).filter((k) => {
    const rule = TRANSITIONS[k];
    return (rule.from as readonly string[]).includes(d.state) && (rule.who === 'approver' ? canApprove(o.p) : canPrepare(o.p));
  });
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const labels: Record<string, string> = Object.fromEntries(
    [
      'title',
      'description',
      'keywords',
      'themes',
      'licence',
      'frequency',
      'spatial',
      'temporal_start',
      'temporal_end',
      'publisher',
      'contact_point',
      'personal_data',
      'schema',
      'custom_schema',
      'decision',
      'file',
    ].map((k) => [k, t(`catalogue.field.${k}`)]),
  );
  return html`<p><a href="${o.base.replace(/\/[^/]+$/, '')}">${t('catalogue.staff.back')}</a></p>
<h1>${d.title}</h1>
<p>${stateBadge(ctx, d.state)}${d.state === 'published' ? html` · <a href="${o.publicHref}">${t('catalogue.staff.public_page')}</a>` : ''}</p>
${o.notice}
${errorSummary(ctx, o.errors, labels)}
${d.review_comment && d.state === 'draft' ? html`<div class="notice"><p><strong>${t('catalogue.staff.sent_back')}</strong></p><p>${d.review_comment}</p></div>` : ''}
${d.personal_data_decision ? html`<p class="notice">${t('catalogue.personal_data.decision_recorded')} ${d.personal_data_decision}</p>` : ''}
<section aria-labelledby="h-governance"><h2 id="h-governance">${t('catalogue.staff.governance')}</h2>
${allowed.length === 0 ? html`<p>${d.state === 'in_review' ? t('catalogue.staff.awaiting_review') : t('catalogue.staff.no_action')}</p>` : ''}
${allowed.map(
  (k) => html`<form method="post" action="${o.base}/etat" class="card">${csrf}<input type="hidden" name="op" value="${k}">
${k === 'approve' && d.personal_data ? html`<div class="field${o.errors?.decision ? ' has-error' : ''}"><label for="f-decision">${t('catalogue.field.decision')}</label><p class="hint">${t('catalogue.hint.decision')}</p>${fieldError(o.errors, 'decision')}<textarea id="f-decision" name="decision" rows="3" required></textarea></div>` : ''}
${k === 'send_back' ? html`<div class="field"><label for="f-comment">${t('catalogue.field.comment')}</label><textarea id="f-comment" name="comment" rows="2"></textarea></div>` : ''}
<button type="submit"${k === 'archive' ? html` class="secondary"` : ''}>${t(`catalogue.action.${k}`)}</button></form>`,
)}
</section>
${o.quality ?? ''}
<section aria-labelledby="h-resources"><h2 id="h-resources">${t('catalogue.staff.resources')}</h2>
${o.resources.length === 0 ? html`<p>${t('catalogue.staff.no_resource')}</p>` : o.resources.map((r) => html`<h3>${r.title}</h3>${r.description ? html`<p>${r.description}</p>` : ''}${versionList(ctx, o.base, r)}${o.tabular?.get(r.id) ?? ''}`)}
${
  uploadable(d.state) && canPrepare(o.p)
    ? html`<h3>${t('catalogue.staff.upload')}</h3>
<form method="post" action="${o.base}/ressources?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
<div class="field"><label for="f-resource">${t('catalogue.field.resource')}</label><select id="f-resource" name="resource"><option value="">${t('catalogue.staff.new_resource')}</option>${o.resources.map((r) => html`<option value="${r.id}">${r.title}</option>`)}</select></div>
<div class="field"><label for="f-rtitle">${t('catalogue.field.resource_title')}</label><input id="f-rtitle" name="title" maxlength="200"></div>
<div class="field${o.errors?.file ? ' has-error' : ''}"><label for="f-file">${t('catalogue.field.file')}</label>${fieldError(o.errors, 'file')}<input id="f-file" type="file" name="file" required></div>
<button type="submit">${t('catalogue.staff.upload_button')}</button>
</form>`
    : ''
}
</section>
${
  editable(d.state) && canPrepare(o.p)
    ? html`<section aria-labelledby="h-metadata"><h2 id="h-metadata">${t('catalogue.staff.metadata')}</h2>
${metadataForm(ctx, o.base, d, o.schemas, o.errors, o.values)}</section>`
    : ''
}`;
}

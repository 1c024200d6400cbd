// The public catalogue: published datasets with French full-text search and filters, and a dataset's page
// (metadata, resources with every version to download, conformity badge, a preview of the first rows).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { DatasetRow, ResourceRow, VersionRow } from '../catalogue.repository.ts';
import { LICENCES, THEMES } from '../vocabularies.ts';
import type { Preview } from '../preview.ts';
import { bytes, conformity, day, when } from './common.ts';

export interface CatalogueQuery {
  q: string;
  theme: string;
  keyword: string;
  licence: string;
  schema: string;
  page: number;
}

function select(ctx: RequestContext, name: string, values: readonly string[], chosen: string, label: (v: string) => string): Html {
  return html`<div class="field"><label for="f-${name}">${ctx.t(`catalogue.filter.${name}`)}</label><select id="f-${name}" name="${name}"><option value="">${ctx.t('catalogue.filter.all')}</option>
${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${label(v)}</option>`)}</select></div>`;
}

export function publicListBody(
  ctx: RequestContext,
  o: { base: string; query: CatalogueQuery; rows: DatasetRow[]; total: number; perPage: number; keywords: string[]; schemas: string[] },
): Html {
  const t = ctx.t;
  const q = o.query;
  const pages = Math.max(1, Math.ceil(o.total / o.perPage));
  const keep = Object.fromEntries(Object.entries({ q: q.q, theme: q.theme, keyword: q.keyword, licence: q.licence, schema: q.schema }).filter(([, v]) => v));
  const link = (n: number) => `${o.base}?${new URLSearchParams({ ...keep, page: String(n) }).toString()}`;
  return html`<h1>${t('catalogue.public.title')}</h1>
<form method="get" action="${o.base}" role="search">
<div class="field"><label for="f-q">${t('catalogue.filter.q')}</label><input id="f-q" name="q" type="search" value="${q.q}" maxlength="200"></div>
${select(ctx, 'theme', THEMES, q.theme, (c) => t(`catalogue.theme.${c}`))}
${o.keywords.length ? select(ctx, 'keyword', o.keywords, q.keyword, (k) => k) : ''}
${select(ctx, 'licence', LICENCES, q.licence, (c) => t(`catalogue.licence.${c}`))}
${o.schemas.length ? select(ctx, 'schema', o.schemas, q.schema, (s) => s) : ''}
<button type="submit">${t('catalogue.filter.submit')}</button>
</form>
<h2 id="results" aria-live="polite">${t('catalogue.datasets', { count: o.total })}</h2>
<ul class="cards">${o.rows.map(
    (d) => html`<li class="card"><h3><a href="${o.base}/${d.slug}">${d.title}</a></h3>
<p>${d.description.length > 240 ? `${d.description.slice(0, 240)}…` : d.description}</p>
<p class="small">${d.themes.map((c) => t(`catalogue.theme.${c}`)).join(', ')}${d.themes.length ? ' · ' : ''}${t(`catalogue.licence.${d.licence}`)}${d.schema_name ? ` · ${d.schema_name}` : ''}</p></li>`,
  )}</ul>
${
  pages > 1
    ? html`<nav aria-label="${t('catalogue.public.pages')}"><ul class="inline">
${q.page > 1 ? html`<li><a href="${link(q.page - 1)}" rel="prev">${t('catalogue.public.previous')}</a></li>` : ''}
<li>${t('catalogue.public.page_of', { page: q.page, pages })}</li>
${q.page < pages ? html`<li><a href="${link(q.page + 1)}" rel="next">${t('catalogue.public.next')}</a></li>` : ''}</ul></nav>`
    : ''
}`;
}

export function publicDatasetBody(
  ctx: RequestContext,
  o: {
    base: string;
    dataset: DatasetRow;
    resources: Array<ResourceRow & { versions: VersionRow[] }>;
    preview: { resource: string; data: Preview } | null;
    /** The quality score (quality/view.ts). */
    quality?: Html;
    /** Per resource, its link to the tabular API when loaded (tabular/view.ts). */
    tabular?: Map<string, Html>;
  },
): Html {
  const t = ctx.t;
  const d = o.dataset;
  const fact = (label: string, value: Html | string) => (value === '' ? '' : html`<dt>${label}</dt><dd>${value}</dd>`);
  return html`<p><a href="${o.base.replace(/\/[^/]+$/, '')}">${t('catalogue.public.back')}</a></p>
<h1>${d.title}</h1>
${d.description ? html`<p>${d.description}</p>` : ''}
<dl class="facts">
${fact(t('catalogue.field.themes'), d.themes.map((c) => t(`catalogue.theme.${c}`)).join(', '))}
${fact(t('catalogue.field.keywords'), d.keywords.join(', '))}
${fact(t('catalogue.field.licence'), t(`catalogue.licence.${d.licence}`))}
${fact(t('catalogue.field.frequency'), d.frequency ? t(`catalogue.frequency.${d.frequency}`) : '')}
${fact(t('catalogue.field.spatial'), d.spatial.join(', '))}
${fact(t('catalogue.field.temporal'), d.temporal_start || d.temporal_end ? `${day(ctx, d.temporal_start)} – ${day(ctx, d.temporal_end)}` : '')}
${fact(t('catalogue.field.publisher'), d.publisher)}
${fact(t('catalogue.field.contact_point'), d.contact_point)}
${fact(t('catalogue.field.schema'), schemaFact(t, d, o.base))}
${fact(t('catalogue.field.published'), d.published_at ? when(ctx, d.published_at) : '')}
</dl>
${o.quality ?? ''}
<h2>${t('catalogue.public.resources')}</h2>
${
  o.resources.length === 0
    ? html`<p>${t('catalogue.staff.no_resource')}</p>`
    : o.resources.map((r) => {
        const [latest, ...older] = r.versions;
        const href = (v: VersionRow) => `${o.base}/ressources/${r.id}/versions/${v.version}`;
        return html`<section class="card"><h3>${r.title}</h3>${r.description ? html`<p>${r.description}</p>` : ''}
${latest ? html`<p><a class="button" href="${href(latest)}/telecharger">${t('catalogue.public.download', { format: latest.format, size: bytes(ctx, latest.size) })}</a> ${conformity(ctx, latest, `${href(latest)}/rapport`)}</p>` : ''}
${o.tabular?.get(r.id) ?? ''}
${older.length ? html`<details><summary>${t('catalogue.public.older', { count: older.length })}</summary><ul>${older.map((v) => html`<li><a href="${href(v)}/telecharger">${t('catalogue.version', { n: v.version })} · ${v.filename}</a> (${bytes(ctx, v.size)}) · ${when(ctx, v.uploaded_at)} ${conformity(ctx, v, `${href(v)}/rapport`)}</li>`)}</ul></details>` : ''}
</section>`;
      })
}
${
  o.preview
    ? html`<h2 id="preview">${t('catalogue.public.preview', { resource: o.preview.resource })}</h2>
<div class="table-scroll" role="region" aria-labelledby="preview" tabindex="0"><table>
<caption class="visually-hidden">${t('catalogue.public.preview', { resource: o.preview.resource })}</caption>
<thead><tr>${o.preview.data.header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${o.preview.data.rows.map((row) => html`<tr>${o.preview!.data.header.map((_, i) => html`<td>${(row[i] ?? '').slice(0, 120)}</td>`)}</tr>`)}</tbody>
</table></div>`
    : ''
}`;
}

/** The declared schema: its name (a bundled one) or its title (a given one), with a link to its JSON. */
function schemaFact(t: (key: string) => string, d: DatasetRow, base: string): Html | string {
  const custom = d.custom_schema && typeof d.custom_schema === 'object' ? (d.custom_schema as Record<string, unknown>) : null;
  const label =
    d.schema_name ?? (custom ? [t('catalogue.schema.custom'), custom.title ?? custom.name].filter((x) => typeof x === 'string' && x).join(' — ') : '');
  return label ? html`${label} (<a href="${base}/schema.json">${t('catalogue.schema.link')}</a>)` : '';
}

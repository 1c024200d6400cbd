// Pages of funding programmes: the searchable list, one programme, and the host operator's form.
import type { RequestContext } from '../../../../core/base/context.ts';
import { html, type Html } from '../../../../core/views/html.ts';
import { choices, csrfField, errorSummary, input, select, submit, textarea } from '../../../../core/views/forms.ts';
import type { ProgrammeChangeRow, ProgrammeRow } from '../programmes.repository.ts';
import { PROGRAMME_FIELDS, type ProgrammeField } from '../programme-input.ts';
import type { SearchQuery } from '../programme-search.ts';
import { AUDIENCES, NATURES, RECURRENCES, THEMES } from '../vocabulary.ts';
import { day, euros, programmeFacts, when } from './format.ts';

const options = (ctx: RequestContext, list: readonly string[], prefix: string) =>
  list.map((value) => ({ value, label: ctx.t(`roadmap.funding.${prefix}.${value}`) }));

export function programmesListBody(
  ctx: RequestContext,
  o: { base: string; rows: ProgrammeRow[]; total: number; page: number; perPage: number; query: SearchQuery; canEdit: boolean },
): Html {
  const t = ctx.t;
  const q = o.query;
  const pageHref = (n: number) => {
    const params = new URLSearchParams(Object.entries({ ...q, page: String(n) }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    return `${o.base}?${params.toString()}`;
  };
  return html`<h1>${t('roadmap.funding.programmes')}</h1>
${o.canEdit ? html`<p>${t('roadmap.funding.host_note')} <a href="${o.base}/nouveau">${t('roadmap.funding.new_programme')}</a></p>` : ''}
<form method="get" action="${o.base}" class="filters" role="search">
  ${input(ctx, { name: 'q', label: t('roadmap.funding.search_words'), type: 'search', value: q.q ?? '' })}
  ${select(ctx, { name: 'theme', label: t('roadmap.funding.field.themes'), value: q.theme ?? '', placeholder: t('roadmap.funding.any'), options: options(ctx, THEMES, 'theme') })}
  ${select(ctx, { name: 'audience', label: t('roadmap.funding.field.audiences'), value: q.audience ?? '', placeholder: t('roadmap.funding.any'), options: options(ctx, AUDIENCES, 'audience') })}
  ${select(ctx, { name: 'nature', label: t('roadmap.funding.field.nature'), value: q.nature ?? '', placeholder: t('roadmap.funding.any'), options: options(ctx, NATURES, 'nature') })}
  ${choices(ctx, { name: 'open', label: t('roadmap.funding.open_only'), multiple: true, values: q.open === '1' ? ['1'] : [], options: [{ value: '1', label: t('roadmap.funding.open_only') }] })}
  ${submit(t('roadmap.funding.search'))}
</form>
<p role="status">${t('roadmap.funding.programmes_count', { count: o.total })}</p>
${
  o.rows.length === 0
    ? html`<p>${t('roadmap.funding.none')}</p>`
    : html`<ul class="cards">${o.rows.map(
        (p) => html`<li><h2><a href="${o.base}/${p.slug}">${p.name}</a></h2>
<p>${p.funder}</p><p class="small">${programmeFacts(ctx, p)} · ${t('roadmap.funding.field.closes_on')} : ${day(ctx, p.closes_on)}</p></li>`,
      )}</ul>`
}
${
  o.page > 1 || o.page * o.perPage < o.total
    ? html`<nav aria-label="${t('roadmap.funding.pages')}"><ul class="inline">
${o.page > 1 ? html`<li><a href="${pageHref(o.page - 1)}">${t('roadmap.funding.previous')}</a></li>` : ''}
${o.page * o.perPage < o.total ? html`<li><a href="${pageHref(o.page + 1)}">${t('roadmap.funding.next')}</a></li>` : ''}
</ul></nav>`
    : ''
}`;
}

export function programmeBody(
  ctx: RequestContext,
  o: { base: string; p: ProgrammeRow; canEdit: boolean; notice: Html; /** Its change trail, for those who read it. */ trailHref?: string },
): Html {
  const t = ctx.t;
  const p = o.p;
  const row = (label: string, value: Html | string) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return html`<p><a href="${o.base}">${t('roadmap.funding.programmes')}</a></p>
${o.notice}
<h1>${p.name}</h1>
<p>${p.description}</p>
<table>
<caption class="visually-hidden">${p.name}</caption>
<tbody>
${row(t('roadmap.funding.field.funder'), p.funder)}
${row(t('roadmap.funding.field.nature'), t(`roadmap.funding.nature.${p.nature}`))}
${row(t('roadmap.funding.field.audiences'), p.audiences.map((a) => t(`roadmap.funding.audience.${a}`)).join(', '))}
${row(t('roadmap.funding.field.territory'), p.territory.join(' '))}
${row(t('roadmap.funding.field.themes'), p.themes.map((th) => t(`roadmap.funding.theme.${th}`)).join(', '))}
${p.population_min !== null || p.population_max !== null ? row(t('roadmap.funding.field.population_max'), t('roadmap.funding.population_between', { min: p.population_min ?? 0, max: p.population_max ?? '∞' })) : ''}
${p.max_rate !== null ? row(t('roadmap.funding.field.max_rate'), `${p.max_rate} %`) : ''}
${p.max_amount !== null ? row(t('roadmap.funding.field.max_amount'), euros(ctx, p.max_amount)) : ''}
${row(t('roadmap.funding.field.opens_on'), day(ctx, p.opens_on))}
${row(t('roadmap.funding.field.closes_on'), day(ctx, p.closes_on))}
${row(t('roadmap.funding.field.recurrence'), t(`roadmap.funding.recurrence.${p.recurrence}`))}
</tbody>
</table>
${p.url ? html`<p><a href="${p.url}" rel="noopener noreferrer">${t('roadmap.funding.more_info')}</a></p>` : ''}
${o.canEdit ? html`<p><a href="${o.base}/${p.slug}/modifier">${t('roadmap.funding.edit_programme')}</a></p>` : ''}
${o.trailHref ? html`<p><a href="${o.trailHref}">${t('roadmap.funding.trail.link')}</a></p>` : ''}`;
}

/** A field's value as the trail shows it: the vocabulary's words, dates and amounts as written, long texts cut. */
function trailValue(ctx: RequestContext, field: string, value: unknown): string {
  const t = ctx.t;
  const word: Record<string, string> = { audiences: 'audience', themes: 'theme', nature: 'nature', recurrence: 'recurrence' };
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('roadmap.funding.trail.empty_value');
  const one = (v: unknown): string => {
    if (word[field] && typeof v === 'string') return t(`roadmap.funding.${word[field]}.${v}`);
    if (field === 'max_amount' && typeof v === 'number') return euros(ctx, v);
    if (field === 'max_rate' && typeof v === 'number') return `${v} %`;
    if ((field === 'opens_on' || field === 'closes_on') && typeof v === 'string') return day(ctx, v);
    return String(v);
  };
  const text = Array.isArray(value) ? value.map(one).join(', ') : one(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * A programme's change trail, newest first. `who` (the host operator's view) names who made each change; the
 * collectivités' staff read the same facts — when, what, from what to what — without the person.
 */
export function programmeTrailBody(
  ctx: RequestContext,
  o: { base: string; p: ProgrammeRow; rows: ProgrammeChangeRow[]; who?: (actor: string) => string },
): Html {
  const t = ctx.t;
  const label = (field: string) => t(`roadmap.funding.field.${field}`);
  const what = (r: ProgrammeChangeRow): Html => {
    if (r.action === 'create') return html`${t('roadmap.funding.trail.create')}`;
    const changed = Array.isArray(r.data.changed) ? r.data.changed.filter((f): f is string => typeof f === 'string') : [];
    if (changed.length === 0) return html`${t('roadmap.funding.trail.update')} : ${t('roadmap.funding.trail.none_changed')}`;
    return html`${t('roadmap.funding.trail.update')}<ul>${changed.map((f) =>
      r.data.before && r.data.after && f in r.data.after
        ? html`<li>${label(f)} : ${trailValue(ctx, f, r.data.before[f])} → ${trailValue(ctx, f, r.data.after[f])}</li>`
        : html`<li>${label(f)}</li>`,
    )}</ul>`;
  };
  return html`<p><a href="${o.base}/${o.p.slug}">${o.p.name}</a></p>
<h1>${t('roadmap.funding.trail.title', { programme: o.p.name })}</h1>
<p>${t(o.who ? 'roadmap.funding.trail.intro_host' : 'roadmap.funding.trail.intro_staff')}</p>
${
  o.rows.length === 0
    ? html`<p>${t('roadmap.funding.trail.empty')}</p>`
    : html`<table><caption>${t('roadmap.funding.trail.caption')}</caption>
<thead><tr><th scope="col">${t('roadmap.funding.trail.when')}</th>${o.who ? html`<th scope="col">${t('roadmap.funding.trail.who')}</th>` : ''}<th scope="col">${t('roadmap.funding.trail.what')}</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr><td>${when(ctx, r.at)}</td>${o.who ? html`<td>${o.who(r.actor)}</td>` : ''}<td>${what(r)}</td></tr>`)}</tbody></table>`
}`;
}

export type ProgrammeFormValues = Record<string, string | string[]>;

export function programmeFormBody(
  ctx: RequestContext,
  o: { action: string; title: string; values: ProgrammeFormValues; errors?: Record<string, string[]> },
): Html {
  const t = ctx.t;
  const v = (name: string) => {
    const value = o.values[name];
    return Array.isArray(value) ? value.join(' ') : (value ?? '');
  };
  const vs = (name: string) => {
    const value = o.values[name];
    return Array.isArray(value) ? value : value ? [value] : [];
  };
  const label = (name: string) => t(`roadmap.funding.field.${name}`);
  const labels = Object.fromEntries(PROGRAMME_FIELDS.map((n) => [n, label(n)]));
  const e = o.errors;
  return html`<h1>${o.title}</h1>
<p>${t('roadmap.funding.host_note')}</p>
${errorSummary(ctx, e, labels)}
<form method="post" action="${o.action}" novalidate>
${csrfField(ctx)}
${input(ctx, { name: 'name', label: label('name'), value: v('name'), required: true, errors: e })}
${input(ctx, { name: 'funder', label: label('funder'), value: v('funder'), required: true, errors: e })}
${select(ctx, { name: 'nature', label: label('nature'), value: v('nature'), required: true, errors: e, options: options(ctx, NATURES, 'nature') })}
${textarea(ctx, { name: 'description', label: label('description'), value: v('description'), errors: e })}
${choices(ctx, { name: 'audiences', label: label('audiences'), multiple: true, values: vs('audiences'), required: true, errors: e, options: options(ctx, AUDIENCES, 'audience') })}
${input(ctx, { name: 'territory', label: label('territory'), value: v('territory') || 'FR', hint: t('roadmap.funding.field.territory_hint'), required: true, errors: e })}
${choices(ctx, { name: 'themes', label: label('themes'), multiple: true, values: vs('themes'), required: true, errors: e, options: options(ctx, THEMES, 'theme') })}
${input(ctx, { name: 'population_min', label: label('population_min'), value: v('population_min'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'population_max', label: label('population_max'), value: v('population_max'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'max_rate', label: label('max_rate'), value: v('max_rate'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'max_amount', label: label('max_amount'), value: v('max_amount'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'opens_on', label: label('opens_on'), type: 'date', value: v('opens_on'), errors: e })}
${input(ctx, { name: 'closes_on', label: label('closes_on'), type: 'date', value: v('closes_on'), errors: e })}
${select(ctx, { name: 'recurrence', label: label('recurrence'), value: v('recurrence'), required: true, errors: e, options: options(ctx, RECURRENCES, 'recurrence') })}
${input(ctx, { name: 'url', label: label('url'), type: 'url', value: v('url'), errors: e })}
${submit(t('roadmap.funding.save'))}
</form>`;
}

/** A programme as form values (to edit it). */
export function programmeValues(p: ProgrammeRow): ProgrammeFormValues {
  // Lists: the repeated names (audiences, themes) as arrays, the territory's codes in one text; numbers and dates as text, none as ''.
  const asForm = (k: ProgrammeField): string | string[] => {
    const value = p[k];
    if (k === 'territory') return p.territory.join(' ');
    return Array.isArray(value) ? value : value === null ? '' : String(value);
  };
  return Object.fromEntries(PROGRAMME_FIELDS.map((k) => [k, asForm(k)]));
}

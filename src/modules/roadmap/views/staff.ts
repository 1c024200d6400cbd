// Staff pages of the roadmap: the list of projects (drafts included) with the forms to add a project or a
// roadmap-wide indicator, and one project's editing page (fields, partners, links, its indicators and a
// form to record a value). Every control labelled, errors listed at the top and beside each field.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, errorSummary, input, select, submit, textarea, type FieldErrors } from '../../../core/views/forms.ts';
import { STAGES, THEMES, type LinkRow, type PartnerRow, type ProjectRow } from '../projects.repository.ts';
import { SOURCES, UNITS } from '../roadmap.schema.ts';
import type { IndicatorView } from './public.ts';
import { euros, stageBadge } from './public.ts';
import { formatValue } from './chart.ts';

type Values = Record<string, string>;

function noticeOf(ctx: RequestContext, key: string | null): Html {
  return key ? html`<p class="notice" role="status">${ctx.t(`roadmap.notice.${key}`)}</p>` : html``;
}

function projectFields(ctx: RequestContext, v: Values, errors?: FieldErrors): Html {
  const t = ctx.t;
  return html`${input(ctx, { name: 'title', label: t('roadmap.project_title'), value: v.title, required: true, errors })}
${select(ctx, { name: 'theme', label: t('roadmap.theme'), value: v.theme, required: true, errors, options: THEMES.map((x) => ({ value: x, label: t(`roadmap.theme.${x}`) })) })}
${select(ctx, { name: 'stage', label: t('roadmap.stage'), value: v.stage ?? 'idea', errors, options: STAGES.map((x) => ({ value: x, label: t(`roadmap.stage.${x}`) })) })}
${input(ctx, { name: 'start_on', label: t('roadmap.start_on'), type: 'date', value: v.start_on, errors })}
${input(ctx, { name: 'end_on', label: t('roadmap.end_on'), type: 'date', value: v.end_on, errors })}
${input(ctx, { name: 'budget_investment', label: t('roadmap.budget_investment'), value: v.budget_investment, inputmode: 'numeric', errors })}
${input(ctx, { name: 'budget_operation', label: t('roadmap.budget_operation'), value: v.budget_operation, inputmode: 'numeric', errors })}`;
}

const LABELS = (ctx: RequestContext): Record<string, string> => ({
  title: ctx.t('roadmap.project_title'),
  theme: ctx.t('roadmap.theme'),
  stage: ctx.t('roadmap.stage'),
  start_on: ctx.t('roadmap.start_on'),
  end_on: ctx.t('roadmap.end_on'),
  budget_investment: ctx.t('roadmap.budget_investment'),
  budget_operation: ctx.t('roadmap.budget_operation'),
  partners: ctx.t('roadmap.partners'),
  links: ctx.t('roadmap.links'),
  name: ctx.t('roadmap.indicator_name'),
  unit: ctx.t('roadmap.unit'),
  target: ctx.t('roadmap.target'),
  target_on: ctx.t('roadmap.target_on'),
  value: ctx.t('roadmap.value'),
  measured_on: ctx.t('roadmap.date'),
});

function indicatorForm(ctx: RequestContext, action: string, v: Values, errors?: FieldErrors): Html {
  const t = ctx.t;
  return html`<form method="post" action="${action}">${csrfField(ctx)}
${input(ctx, { name: 'name', label: t('roadmap.indicator_name'), value: v.name, required: true, errors })}
${select(ctx, { name: 'source', label: t('roadmap.source'), value: v.source ?? 'manual', errors, options: SOURCES.map((x) => ({ value: x, label: t(`roadmap.source.${x}`) })) })}
${select(ctx, { name: 'unit', label: t('roadmap.unit'), value: v.unit, required: true, errors, options: UNITS.map((x) => ({ value: x, label: t(`roadmap.unit.${x}`) })) })}
${input(ctx, { name: 'target', label: t('roadmap.target'), value: v.target, inputmode: 'decimal', errors })}
${input(ctx, { name: 'target_on', label: t('roadmap.target_on'), type: 'date', value: v.target_on, errors })}
${submit(t('roadmap.staff.add_indicator'))}</form>`;
}

export interface StaffList {
  base: string;
  publicHref: string;
  projects: ProjectRow[];
  notice: string | null;
  errors?: FieldErrors;
  values?: Values;
  /** Which form the errors belong to. */
  form?: 'project' | 'indicator';
}

export function staffListBody(ctx: RequestContext, s: StaffList): Html {
  const t = ctx.t;
  return html`<h1>${t('roadmap.staff.title')}</h1>
${noticeOf(ctx, s.notice)}
${errorSummary(ctx, s.errors, LABELS(ctx))}
<p><a href="${s.publicHref}">${t('roadmap.staff.public_page')}</a></p>
<table><caption>${t('roadmap.projects', { count: s.projects.length })}</caption>
<thead><tr><th scope="col">${t('roadmap.project_title')}</th><th scope="col">${t('roadmap.theme')}</th><th scope="col">${t('roadmap.stage')}</th><th scope="col">${t('roadmap.budget')}</th></tr></thead>
<tbody>${s.projects.map(
    (p) =>
      html`<tr><td><a href="${s.base}/projets/${p.slug}">${p.title}</a>${p.published ? '' : html` <span class="badge">${t('roadmap.draft')}</span>`}</td><td>${t(`roadmap.theme.${p.theme}`)}</td><td>${stageBadge(ctx, p.stage)}</td><td>${euros(ctx, p.budget_investment + p.budget_operation)}</td></tr>`,
  )}</tbody></table>
<h2>${t('roadmap.staff.new')}</h2>
<form method="post" action="${s.base}/projets">${csrfField(ctx)}
${projectFields(ctx, s.form === 'project' ? (s.values ?? {}) : {}, s.form === 'project' ? s.errors : undefined)}
${submit(t('roadmap.staff.create'))}</form>
<h2>${t('roadmap.staff.new_indicator')} (${t('roadmap.staff.roadmap_wide')})</h2>
${indicatorForm(ctx, `${s.base}/indicateurs`, s.form === 'indicator' ? (s.values ?? {}) : {}, s.form === 'indicator' ? s.errors : undefined)}
<h2>${t('roadmap.indicators')}</h2>
<form method="post" action="${s.base}/mesurer">${csrfField(ctx)}${submit(t('roadmap.staff.measure_now'))}</form>
<form method="post" action="${s.base}/jeu-de-donnees">${csrfField(ctx)}${submit(t('roadmap.staff.publish_dataset'))}</form>`;
}

export interface StaffProject {
  base: string;
  /** The project's public page (a draft's answers 404 to the public). */
  publicHref: string;
  project: ProjectRow;
  partners: PartnerRow[];
  links: LinkRow[];
  indicators: IndicatorView[];
  /** The funding part's section (plan, applications, programmes to claim), already rendered. */
  funding?: Html;
  notice: string | null;
  errors?: FieldErrors;
  values?: Values;
  form?: 'project' | 'indicator' | 'value';
}

export function projectValues(p: ProjectRow, partners: PartnerRow[], links: LinkRow[]): Values {
  return {
    title: p.title,
    theme: p.theme,
    stage: p.stage,
    description: p.description,
    start_on: p.start_on ?? '',
    end_on: p.end_on ?? '',
    budget_investment: String(p.budget_investment),
    budget_operation: String(p.budget_operation),
    published: p.published ? 'on' : '',
    partners: partners.map((x) => (x.contribution !== null ? `${x.slug} ${x.contribution}` : x.slug)).join('\n'),
    links: links.map((l) => `${l.kind} ${l.ref}`).join('\n'),
  };
}

export function staffProjectBody(ctx: RequestContext, s: StaffProject): Html {
  const t = ctx.t;
  const base = `${s.base}/projets/${s.project.slug}`;
  const v = s.form === 'project' && s.values ? s.values : projectValues(s.project, s.partners, s.links);
  const errs = s.form === 'project' ? s.errors : undefined;
  const valueErrors = s.form === 'value' ? s.errors : undefined;
  const manual = s.indicators.filter((x) => x.indicator.source === 'manual');
  return html`<p><a href="${s.base}">${t('roadmap.staff.title')}</a></p>
<h1>${s.project.title}</h1>
${noticeOf(ctx, s.notice)}
${errorSummary(ctx, s.errors, LABELS(ctx))}
<p><a href="${s.publicHref}">${t('roadmap.staff.public_page')}</a>${s.funding ? html` · <a href="#financements">${t('roadmap.funding.title')}</a>` : ''}</p>
<form method="post" action="${base}">${csrfField(ctx)}
${projectFields(ctx, v, errs)}
${textarea(ctx, { name: 'description', label: t('roadmap.description'), value: v.description, errors: errs, rows: 6 })}
${textarea(ctx, { name: 'partners', label: t('roadmap.partners'), hint: t('roadmap.partners_hint'), value: v.partners, errors: errs, rows: 3 })}
${textarea(ctx, { name: 'links', label: t('roadmap.links'), hint: t('roadmap.links_hint'), value: v.links, errors: errs, rows: 3 })}
<div class="choice"><input type="checkbox" id="field-published" name="published" value="on"${v.published === 'on' ? html` checked` : ''}><label for="field-published">${t('roadmap.published')}</label></div>
${submit(t('roadmap.staff.save'))}</form>
${s.funding ?? ''}
<h2>${t('roadmap.indicators')}</h2>
<ul>${s.indicators.map(
    (x) =>
      html`<li>${x.indicator.name} — ${t(`roadmap.source.${x.indicator.source}`)} · ${x.values.length ? formatValue(ctx, x.values[x.values.length - 1]!.value, x.indicator.unit) : t('roadmap.no_values')}</li>`,
  )}</ul>
${
  manual.length
    ? html`<h3>${t('roadmap.staff.add_value')}</h3>
<form method="post" action="${base}/valeurs">${csrfField(ctx)}
${select(ctx, { name: 'indicator', label: t('roadmap.indicator'), value: s.form === 'value' ? s.values?.indicator : undefined, errors: valueErrors, options: manual.map((x) => ({ value: x.indicator.id, label: `${x.indicator.name} (${t(`roadmap.unit.${x.indicator.unit}`)})` })) })}
${input(ctx, { name: 'measured_on', label: t('roadmap.date'), type: 'date', value: s.form === 'value' ? s.values?.measured_on : '', errors: valueErrors })}
${input(ctx, { name: 'value', label: t('roadmap.value'), value: s.form === 'value' ? s.values?.value : '', inputmode: 'decimal', errors: valueErrors })}
${submit(t('roadmap.staff.add_value'))}</form>`
    : ''
}
<h2>${t('roadmap.staff.new_indicator')}</h2>
${indicatorForm(ctx, `${base}/indicateurs`, s.form === 'indicator' ? (s.values ?? {}) : {}, s.form === 'indicator' ? s.errors : undefined)}`;
}

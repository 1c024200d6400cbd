// The roadmap as elected officials and citizens read it: projects by theme with their stage and budget,
// the budget totals, the pooled projects carried by others, and the indicators with their charts; and
// one project's page. No SQL here: routes/public.ts loads what these templates show.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { numberFormatter, formatDate } from '../../../core/i18n/i18n.ts';
import { STAGES, THEMES, type LinkRow, type PartnerRow, type PooledProjectRow, type ProjectRow, type Theme } from '../projects.repository.ts';
import type { IndicatorRow, ValueRow } from '../indicators/indicators.repository.ts';
import { formatValue, indicatorChart } from './chart.ts';
import type { FundingPlan } from '../funding/plan.ts';

const EUROS = numberFormatter({ style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

export function euros(ctx: RequestContext, n: number): string {
  return EUROS(ctx.locale).format(n);
}

export function period(ctx: RequestContext, p: { start_on: string | null; end_on: string | null }): string {
  const d = (v: string | null) => (v ? formatDate(ctx.locale, `${v}T12:00:00Z`) : '…');
  return p.start_on || p.end_on ? `${d(p.start_on)} – ${d(p.end_on)}` : '';
}

export interface BudgetTotals {
  byTheme: Array<{ theme: Theme; projects: number; investment: number; operation: number }>;
  investment: number;
  operation: number;
}

/** Budgets of the projects that count (dropped ones do not), by theme. */
export function budgetTotals(projects: Array<Pick<ProjectRow, 'theme' | 'stage' | 'budget_investment' | 'budget_operation'>>): BudgetTotals {
  const byTheme = THEMES.map((theme) => {
    const list = projects.filter((p) => p.theme === theme && p.stage !== 'dropped');
    return {
      theme,
      projects: list.length,
      investment: list.reduce((n, p) => n + p.budget_investment, 0),
      operation: list.reduce((n, p) => n + p.budget_operation, 0),
    };
  }).filter((r) => r.projects > 0);
  return { byTheme, investment: byTheme.reduce((n, r) => n + r.investment, 0), operation: byTheme.reduce((n, r) => n + r.operation, 0) };
}

function totalsTable(ctx: RequestContext, totals: BudgetTotals): Html {
  return html`<table>
<caption>${ctx.t('roadmap.totals')}</caption>
<thead><tr><th scope="col">${ctx.t('roadmap.theme')}</th><th scope="col">${ctx.t('roadmap.budget_investment')}</th><th scope="col">${ctx.t('roadmap.budget_operation')}</th></tr></thead>
<tbody>${totals.byTheme.map((r) => html`<tr><th scope="row">${ctx.t(`roadmap.theme.${r.theme}`)}</th><td>${euros(ctx, r.investment)}</td><td>${euros(ctx, r.operation)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${ctx.t('roadmap.budget_total')}</th><td>${euros(ctx, totals.investment)}</td><td>${euros(ctx, totals.operation)}</td></tr></tfoot>
</table>`;
}

/** "Progress: 4 running, 1 study…" in words (the projects that exist at each stage). */
function stageSummary(ctx: RequestContext, projects: ProjectRow[]): Html {
  const parts = STAGES.map((st) => [st, projects.filter((p) => p.stage === st).length] as const).filter(([, n]) => n > 0);
  return html`<p>${ctx.t('roadmap.by_stage')} : ${parts.map(([st, n]) => `${ctx.t(`roadmap.stage.${st}`)} ${n}`).join(' · ')}</p>`;
}

export function stageBadge(ctx: RequestContext, stage: string): Html {
  return html`<span class="badge stage-${stage}">${ctx.t(`roadmap.stage.${stage}`)}</span>`;
}

export interface IndicatorView {
  indicator: IndicatorRow;
  values: ValueRow[];
  /** A measured source whose module does not publish its figure yet. */
  unavailable: boolean;
}

export function indicatorBlock(ctx: RequestContext, v: IndicatorView, id: string, level: 'h3' | 'h2' = 'h3'): Html {
  const i = v.indicator;
  const heading = level === 'h2' ? html`<h2>${i.name}</h2>` : html`<h3>${i.name}</h3>`;
  const target =
    i.target !== null
      ? html`<li>${ctx.t('roadmap.target')} : ${formatValue(ctx, i.target, i.unit)}${i.target_on ? ` (${formatDate(ctx.locale, `${i.target_on}T12:00:00Z`)})` : ''}</li>`
      : '';
  return html`<section class="roadmap-indicator">${heading}
<ul class="inline"><li>${ctx.t(`roadmap.source.${i.source}`)}</li>${target}</ul>
${v.unavailable && v.values.length === 0 ? html`<p>${ctx.t('roadmap.not_available')}</p>` : indicatorChart(ctx, { id, name: i.name, unit: i.unit, target: i.target, values: v.values.slice(-12) })}
</section>`;
}

export interface RoadmapPage {
  base: string;
  projects: ProjectRow[];
  pooled: PooledProjectRow[];
  indicators: IndicatorView[];
  datasetHref: string | null;
  /** Funding of the projects shown; `staff` also sees what is expected (planned or submitted, at the amount asked). */
  funding?: Pick<FundingPlan, 'planned' | 'obtained' | 'paid'> & { staff: boolean };
}

function fundingTotals(ctx: RequestContext, base: string, budget: number, f: NonNullable<RoadmapPage['funding']>): Html {
  if (f.planned === 0 && f.obtained === 0) return html``;
  const t = ctx.t;
  const money = { planned: euros(ctx, f.planned), obtained: euros(ctx, f.obtained), paid: euros(ctx, f.paid) };
  const share =
    budget > 0 && f.obtained > 0 ? ` ${t('roadmap.funding.plan.share', { share: Math.round((f.obtained / budget) * 100), budget: euros(ctx, budget) })}` : '';
  return html`<h2>${t('roadmap.funding.title')}</h2>
<p>${f.staff ? t('roadmap.funding.plan.summary', money) : t('roadmap.funding_obtained', money)}${share} <a href="${base}/financements">${t('roadmap.funding.programmes')}</a></p>`;
}

export function roadmapBody(ctx: RequestContext, r: RoadmapPage): Html {
  const totals = budgetTotals(r.projects);
  const themes = THEMES.filter((th) => r.projects.some((p) => p.theme === th));
  return html`<h1>${ctx.t('roadmap.title')}</h1>
<p>${ctx.t('roadmap.intro')}</p>
<p>${ctx.t('roadmap.projects', { count: r.projects.length })} · <a href="${r.base}.pdf">${ctx.t('roadmap.pdf')}</a>${r.datasetHref ? html` · <a href="${r.datasetHref}">${ctx.t('roadmap.dataset')}</a>` : ''}</p>
${r.projects.length === 0 ? html`<p>${ctx.t('roadmap.no_projects')}</p>` : html`${stageSummary(ctx, r.projects)}${totalsTable(ctx, totals)}${r.funding ? fundingTotals(ctx, r.base, totals.investment + totals.operation, r.funding) : ''}`}
${themes.length ? html`<h2>${ctx.t('roadmap.by_theme')}</h2>` : ''}
${themes.map(
  (th) => html`<h3>${ctx.t(`roadmap.theme.${th}`)}</h3>
<ul>${r.projects
    .filter((p) => p.theme === th)
    .map(
      (p) =>
        html`<li><a href="${r.base}/projets/${p.slug}">${p.title}</a> ${stageBadge(ctx, p.stage)} — ${euros(ctx, p.budget_investment + p.budget_operation)}${p.start_on || p.end_on ? html` · ${period(ctx, p)}` : ''}</li>`,
    )}</ul>`,
)}
${
  r.pooled.length
    ? html`<h2>${ctx.t('roadmap.pooled_title')}</h2>
<ul>${r.pooled.map((p) => html`<li><a href="/${p.owner_slug}/feuille-de-route/projets/${p.slug}">${p.title}</a> — ${ctx.t('roadmap.pooled_by', { owner: p.owner_name })} ${stageBadge(ctx, p.stage)}</li>`)}</ul>`
    : ''
}
${r.indicators.length ? html`<h2>${ctx.t('roadmap.indicators')}</h2>${r.indicators.map((v, n) => indicatorBlock(ctx, v, `ind-${n}`))}` : ''}`;
}

const LINK_PATHS: Record<string, string> = { procedure: 'demarches', dataset: 'donnees', debate: 'concertations' };

export interface ProjectPage {
  base: string;
  tenantSlug: string;
  project: ProjectRow;
  partners: PartnerRow[];
  links: LinkRow[];
  indicators: IndicatorView[];
  /** Extra blocks other parts contribute (funding plan…), already rendered. */
  extra?: Html;
}

export function projectBody(ctx: RequestContext, v: ProjectPage): Html {
  const p = v.project;
  return html`<p><a href="${v.base}">${ctx.t('roadmap.back')}</a></p>
<h1>${p.title}</h1>
<dl>
<dt>${ctx.t('roadmap.theme')}</dt><dd>${ctx.t(`roadmap.theme.${p.theme}`)}</dd>
<dt>${ctx.t('roadmap.stage')}</dt><dd>${stageBadge(ctx, p.stage)}${p.published ? '' : html` <span class="badge">${ctx.t('roadmap.draft')}</span>`}</dd>
${p.start_on || p.end_on ? html`<dt>${ctx.t('roadmap.dates')}</dt><dd>${period(ctx, p)}</dd>` : ''}
<dt>${ctx.t('roadmap.budget_investment')}</dt><dd>${euros(ctx, p.budget_investment)}</dd>
<dt>${ctx.t('roadmap.budget_operation')}</dt><dd>${euros(ctx, p.budget_operation)}</dd>
</dl>
${p.description ? html`<h2>${ctx.t('roadmap.description')}</h2>${p.description.split(/\n{2,}/).map((para) => html`<p>${para}</p>`)}` : ''}
${
  v.partners.length
    ? html`<h2>${ctx.t('roadmap.partners')}</h2><ul>${v.partners.map(
        (x) =>
          html`<li><a href="/${x.slug}/feuille-de-route">${x.name}</a>${x.contribution !== null ? ` — ${ctx.t('roadmap.contribution', { amount: euros(ctx, x.contribution) })}` : ''}</li>`,
      )}</ul>`
    : ''
}
${
  v.links.length
    ? html`<h2>${ctx.t('roadmap.links')}</h2><ul>${v.links.map(
        (l) => html`<li>${ctx.t(`roadmap.link.${l.kind}`)} : <a href="/${v.tenantSlug}/${LINK_PATHS[l.kind]!}/${l.ref}">${l.ref}</a></li>`,
      )}</ul>`
    : ''
}
${v.indicators.length ? html`<h2>${ctx.t('roadmap.indicators')}</h2>${v.indicators.map((x, n) => indicatorBlock(ctx, x, `ind-${n}`))}` : ''}
${v.extra ?? ''}`;
}

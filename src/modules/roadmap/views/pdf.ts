// The roadmap as a PDF for a council meeting: totals by theme, then each project (theme, stage, period,
// budgets, partners) and the indicators with their latest value and target. Laid out by procedures'
// renderPdf (exported from its index.ts), the same A4 writer as the receipts.
import { renderPdf, type PdfBlock } from '../../procedures/index.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDate } from '../../../core/i18n/i18n.ts';
import type { Roadmap } from '../roadmap.load.ts';
import { budgetTotals, euros, period } from './public.ts';
import { formatValue } from './chart.ts';

export function roadmapPdf(ctx: RequestContext, tenantName: string, r: Roadmap, now = new Date()): Buffer {
  const t = ctx.t;
  const blocks: PdfBlock[] = [
    { type: 'title', text: `${t('roadmap.title')} – ${tenantName}` },
    { type: 'paragraph', text: t('roadmap.intro') },
    { type: 'paragraph', text: t('roadmap.projects', { count: r.projects.length }) },
  ];
  const totals = budgetTotals(r.projects);
  if (totals.byTheme.length) {
    blocks.push({ type: 'heading', text: t('roadmap.totals') });
    for (const row of totals.byTheme)
      blocks.push({
        type: 'field',
        label: t(`roadmap.theme.${row.theme}`),
        value: `${euros(ctx, row.investment)} + ${euros(ctx, row.operation)} (${t('roadmap.projects', { count: row.projects })})`,
      });
    blocks.push({ type: 'field', label: t('roadmap.budget_total'), value: `${euros(ctx, totals.investment)} + ${euros(ctx, totals.operation)}` });
  }
  const indicatorLines = (projectId: string) => {
    for (const v of r.allIndicators.filter((i) => i.projectId === projectId)) {
      const last = v.values[v.values.length - 1];
      const latest = last
        ? t('roadmap.latest', { value: formatValue(ctx, last.value, v.indicator.unit), date: formatDate(ctx.locale, `${last.measured_on}T12:00:00Z`) })
        : v.unavailable
          ? t('roadmap.not_available')
          : t('roadmap.no_values');
      const target = v.indicator.target !== null ? ` · ${t('roadmap.target')} : ${formatValue(ctx, v.indicator.target, v.indicator.unit)}` : '';
      blocks.push({ type: 'field', label: v.indicator.name, value: `${latest}${target}` });
    }
  };
  for (const p of r.projects) {
    blocks.push({ type: 'rule' }, { type: 'heading', text: p.title });
    blocks.push({ type: 'field', label: t('roadmap.theme'), value: t(`roadmap.theme.${p.theme}`) });
    blocks.push({ type: 'field', label: t('roadmap.stage'), value: t(`roadmap.stage.${p.stage}`) });
    if (p.start_on || p.end_on) blocks.push({ type: 'field', label: t('roadmap.dates'), value: period(ctx, p) });
    blocks.push({ type: 'field', label: t('roadmap.budget_investment'), value: euros(ctx, p.budget_investment) });
    blocks.push({ type: 'field', label: t('roadmap.budget_operation'), value: euros(ctx, p.budget_operation) });
    if (p.description) blocks.push({ type: 'paragraph', text: p.description.slice(0, 2000), size: 10 });
    indicatorLines(p.id);
  }
  if (r.pooled.length) {
    blocks.push({ type: 'rule' }, { type: 'heading', text: t('roadmap.pooled_title') });
    for (const p of r.pooled)
      blocks.push({ type: 'field', label: p.title, value: `${t('roadmap.pooled_by', { owner: p.owner_name })} · ${t(`roadmap.stage.${p.stage}`)}` });
  }
  if (r.allIndicators.some((i) => i.projectId === '')) {
    blocks.push({ type: 'rule' }, { type: 'heading', text: t('roadmap.indicators') });
    indicatorLines('');
  }
  return renderPdf({
    title: `${t('roadmap.title')} – ${tenantName}`,
    author: tenantName,
    creationDate: now,
    blocks,
    footer: `${tenantName} · ${formatDate(ctx.locale, now)}`,
    pageLabel: (n, total) => `${n} / ${total}`,
  });
}

// The usage report as a page: the month chosen in a form that works without script, one line per
// collectivité with each figure and its share of the total, a total line, and the CSV link.
import { html, type Html } from '../views/html.ts';
import { page } from '../views/layout.ts';
import { errorSummary, input, submit, type FieldErrors } from '../views/forms.ts';
import type { RequestContext } from '../base/context.ts';
import { numberFormatter } from '../i18n/i18n.ts';
import { formatBytes } from '../files/messages.ts';
import { shareOf, type UsageReport } from './report.ts';

const counts = numberFormatter({ maximumFractionDigits: 0 });
const percents = numberFormatter({ maximumFractionDigits: 1 });

export function usagePage(ctx: RequestContext, o: { report: UsageReport | null; month: string; errors?: FieldErrors }): Html {
  const { t, locale } = ctx;
  const slug = ctx.tenant!.slug;
  const base = `/${slug}/admin/usage`;
  const report = o.report;
  const show = (unit: 'count' | 'bytes', value: number) => (unit === 'bytes' ? formatBytes(value, locale) : counts(locale).format(value));
  return page(ctx, {
    title: t('core.usage.title'),
    path: base,
    body: html`<h1>${t('core.usage.title')}</h1>
${errorSummary(ctx, o.errors, { month: t('core.usage.month') })}
<p>${t('core.usage.intro', { name: ctx.tenant!.name })}</p>
<form method="get" action="${base}">
  ${input(ctx, { name: 'month', label: t('core.usage.month'), type: 'month', value: o.month, hint: t('core.usage.month_hint'), errors: o.errors, attrs: html` pattern="[0-9]{4}-[0-9]{2}"` })}
  ${submit(t('core.usage.show'))}
</form>
${
  report
    ? html`<div class="table-wrap"><table>
<caption>${t('core.usage.caption', { month: report.month })}</caption>
<thead><tr><th scope="col">${t('core.usage.collectivite')}</th>${report.columns.map((c) => html`<th scope="col">${c.label[locale]}</th>`)}</tr></thead>
<tbody>
${report.rows.map(
  (row) =>
    html`<tr><th scope="row">${row.tenant.name}</th>${report.columns.map((c) => {
      const value = row.figures.find((f) => f.key === c.key)?.value ?? 0;
      return html`<td>${show(c.unit, value)} <span class="hint">(${percents(locale).format(shareOf(report, row, c.key))} % ${t('core.usage.share')})</span></td>`;
    })}</tr>`,
)}
</tbody>
<tfoot><tr><th scope="row">${t('core.usage.total')}</th>${report.columns.map((c) => html`<td>${show(c.unit, report.totals[c.key] ?? 0)}</td>`)}</tr></tfoot>
</table></div>
<p><a href="${base}.csv?month=${report.month}" download>${t('core.usage.csv')}</a></p>`
    : ''
}`,
  });
}

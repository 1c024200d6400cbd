// A validation report as a page: the verdict and its figures, then each warning and each error with its
// row, column, value and message, in a table with headers a screen reader announces.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { ValidationReport } from '../validation/index.ts';

export function reportBody(ctx: RequestContext, r: ValidationReport, o: { title: string; back: { href: string; label: string }; jsonHref: string }): Html {
  const t = ctx.t;
  const s = r.stats;
  return html`<p><a href="${o.back.href}">${o.back.label}</a></p>
<h1>${o.title}</h1>
<p class="notice" role="status"><strong>${r.valid ? t('catalogue.report.valid') : t('catalogue.report.invalid')}</strong>
 ${t('catalogue.report.errors', { count: s.errorCount })} · ${t('catalogue.report.warnings', { count: s.warningCount })}</p>
<dl class="facts">
<dt>${t('catalogue.report.schema')}</dt><dd>${r.schema.title ?? r.schema.name ?? ''}${r.schema.version ? ` (${r.schema.version})` : ''}</dd>
<dt>${t('catalogue.report.rows')}</dt><dd>${s.rows}</dd>
<dt>${t('catalogue.report.columns')}</dt><dd>${s.columns}</dd>
<dt>${t('catalogue.report.encoding')}</dt><dd>${s.encoding ?? ''}${s.delimiter ? html` · ${t('catalogue.report.delimiter')} <code>${s.delimiter === '\t' ? 'TAB' : s.delimiter}</code>` : ''}</dd>
</dl>
<p><a href="${o.jsonHref}">${t('catalogue.report.json')}</a></p>
${s.truncated ? html`<p class="hint">${t('catalogue.report.truncated', { count: r.errors.length })}</p>` : ''}
${
  r.warnings.length
    ? html`<h2>${t('catalogue.report.warnings_title')}</h2>
<ul>${r.warnings.map((w) => html`<li>${w.title ? html`<strong>${w.title}</strong> : ` : ''}${w.message}</li>`)}</ul>`
    : ''
}
${
  r.errors.length
    ? html`<h2 id="errors">${t('catalogue.report.errors_title')}</h2>
<div class="table-scroll" role="region" aria-labelledby="errors" tabindex="0"><table>
<caption class="visually-hidden">${t('catalogue.report.errors_title')}</caption>
<thead><tr><th scope="col">${t('catalogue.report.row')}</th><th scope="col">${t('catalogue.report.column')}</th><th scope="col">${t('catalogue.report.value')}</th><th scope="col">${t('catalogue.report.message')}</th><th scope="col">${t('catalogue.report.code')}</th></tr></thead>
<tbody>${r.errors.map((e, i) => html`<tr id="err-${i + 1}"><td>${e.row ?? '—'}</td><td>${e.field ?? '—'}</td><td>${e.value === undefined || e.value === null ? '' : html`<code>${String(e.value).slice(0, 200)}</code>`}</td><td>${e.title ? html`<strong>${e.title}</strong> ` : ''}${e.message}</td><td><code>${e.code}</code></td></tr>`)}</tbody>
</table></div>`
    : ''
}`;
}

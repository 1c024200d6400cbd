// An indicator's values over time as an SVG line chart drawn on the server, with no script: role="img",
// a <title> and <desc> (which say what the chart shows, in words) referenced by aria-labelledby, and
// beside it the same data as a table with a caption — the text alternative a screen reader or a printout
// reads. Colours come from currentColor so the page's contrast holds; the target is a dashed line and is
// also said in words.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { numberFormatter, formatDate } from '../../../core/i18n/i18n.ts';
import type { Unit } from '../roadmap.schema.ts';

const W = 560;
const H = 200;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };
const NUMBER = numberFormatter({ maximumFractionDigits: 1 });

export interface ChartInput {
  /** Unique within the page (ids of title and desc). */
  id: string;
  name: string;
  unit: Unit;
  target: number | null;
  values: Array<{ measured_on: string; value: number }>;
}

export function formatValue(ctx: RequestContext, value: number, unit: Unit): string {
  const n = NUMBER(ctx.locale).format(value);
  return unit === 'percent' ? `${n} %` : unit === 'euro' ? `${n} €` : unit === 'megabyte' ? `${n} Mo` : unit === 'score' ? `${n}/100` : n;
}

function shortDate(ctx: RequestContext, day: string): string {
  return formatDate(ctx.locale, `${day}T12:00:00Z`);
}

/** The chart and its table; an empty series says so in words instead. */
export function indicatorChart(ctx: RequestContext, c: ChartInput): Html {
  if (c.values.length === 0) return html`<p>${ctx.t('roadmap.no_values')}</p>`;
  const values = c.values.map((v) => v.value);
  const bounded = c.unit === 'percent' || c.unit === 'score';
  const top = bounded ? 100 : Math.max(...values, c.target ?? 0) * 1.1 || 1;
  const times = c.values.map((v) => Date.parse(`${v.measured_on}T00:00:00Z`));
  const t0 = times[0]!;
  const span = times[times.length - 1]! - t0 || 1;
  const x = (t: number) => PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const points = c.values.map((v, i) => `${(c.values.length === 1 ? W / 2 : x(times[i]!)).toFixed(1)},${y(v.value).toFixed(1)}`);
  const fmt = (v: number) => formatValue(ctx, v, c.unit);
  const first = c.values[0]!;
  const last = c.values[c.values.length - 1]!;
  const desc =
    ctx.t('roadmap.chart_desc', {
      count: c.values.length,
      first: shortDate(ctx, first.measured_on),
      last: shortDate(ctx, last.measured_on),
      min: fmt(Math.min(...values)),
      max: fmt(Math.max(...values)),
    }) + (c.target !== null ? ` ${ctx.t('roadmap.chart_target', { target: fmt(c.target) })}` : '');
  return html`<figure class="roadmap-chart">
<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${c.id}-t ${c.id}-d" focusable="false" style="max-width:${W}px;color:#1f4e8c">
<title id="${c.id}-t">${ctx.t('roadmap.chart_title', { name: c.name })}</title>
<desc id="${c.id}-d">${desc}</desc>
<g fill="#3a3a3a" font-size="12" font-family="sans-serif">
<text x="${PAD.left - 6}" y="${y(top) + 4}" text-anchor="end">${fmt(top)}</text>
<text x="${PAD.left - 6}" y="${y(0) + 4}" text-anchor="end">${fmt(0)}</text>
<text x="${PAD.left}" y="${H - 8}">${shortDate(ctx, first.measured_on)}</text>
<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${shortDate(ctx, last.measured_on)}</text>
</g>
<path d="M${PAD.left} ${y(top)}H${W - PAD.right}M${PAD.left} ${y(0)}H${W - PAD.right}" stroke="#767676" stroke-width="1"/>
${c.target !== null && c.target <= top ? html`<path d="M${PAD.left} ${y(c.target).toFixed(1)}H${W - PAD.right}" stroke="#8a4b00" stroke-width="2" stroke-dasharray="6 4"/>` : ''}
<polyline points="${points.join(' ')}" fill="none" stroke="currentColor" stroke-width="3"/>
${c.values.length <= 36 ? points.map((p) => html`<circle cx="${p.split(',')[0]!}" cy="${p.split(',')[1]!}" r="4" fill="currentColor"/>`) : ''}
</svg>
<figcaption>${desc}</figcaption>
</figure>
<table class="roadmap-chart-data">
<caption>${ctx.t('roadmap.chart_table')} : ${c.name}</caption>
<thead><tr><th scope="col">${ctx.t('roadmap.date')}</th><th scope="col">${ctx.t('roadmap.value')}</th></tr></thead>
<tbody>${c.values.map((v) => html`<tr><td>${shortDate(ctx, v.measured_on)}</td><td>${fmt(v.value)}</td></tr>`)}</tbody>
</table>`;
}

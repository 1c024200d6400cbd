// The quality score on the pages: for the steward, every criterion, the unmet ones first with what to fix;
// for the public, the score and the list of criteria met or not (no instructions).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { Criterion, Quality } from './score.ts';

function scoreLine(ctx: RequestContext, q: Quality): string {
  return ctx.t('catalogue.quality.score', { count: q.met, total: q.total, percent: Math.round(q.score * 100) });
}

/** What to fix; `days` doubles as the plural count (« 1 jour », « 3 jours »). */
function fix(ctx: RequestContext, c: Criterion): string {
  const params = c.problem!.params ?? {};
  return ctx.t(`catalogue.quality.fix.${c.problem!.code}`, { ...params, count: Number(params.days ?? 0) });
}

export function staffQuality(ctx: RequestContext, q: Quality): Html {
  const t = ctx.t;
  const unmet = q.criteria.filter((c) => !c.met);
  const met = q.criteria.filter((c) => c.met);
  return html`<section aria-labelledby="h-quality"><h2 id="h-quality">${t('catalogue.quality.title')}</h2>
<p><meter min="0" max="${q.total}" value="${q.met}" aria-hidden="true"></meter> ${scoreLine(ctx, q)}</p>
${
  unmet.length
    ? html`<h3>${t('catalogue.quality.to_fix')}</h3><ul>${unmet.map(
        (c) => html`<li><strong>${t(`catalogue.quality.criterion.${c.id}`)}</strong> — ${fix(ctx, c)}</li>`,
      )}</ul>`
    : html`<p>${t('catalogue.quality.all_met')}</p>`
}
${met.length && unmet.length ? html`<h3>${t('catalogue.quality.met_list')}</h3><ul>${met.map((c) => html`<li>${t(`catalogue.quality.criterion.${c.id}`)}</li>`)}</ul>` : ''}
</section>`;
}

export function publicQuality(ctx: RequestContext, q: Quality): Html {
  const t = ctx.t;
  return html`<details id="qualite"><summary>${scoreLine(ctx, q)}</summary>
<ul>${q.criteria.map(
    (c) =>
      html`<li><span aria-hidden="true">${c.met ? '✓' : '✗'}</span> ${t(`catalogue.quality.criterion.${c.id}`)} <span class="visually-hidden">(${t(c.met ? 'catalogue.quality.met' : 'catalogue.quality.unmet')})</span></li>`,
  )}</ul></details>`;
}

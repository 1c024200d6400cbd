// The list of debates and a debate's page: its presentation, its steps with dates and an easy-to-read
// summary of each, the contributions with filters (type, step, answer, order) and pages.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { DebateRow, PhaseRow } from '../debates.repository.ts';
import type { ContributionRow } from '../contributions.repository.ts';
import type { HostDebate } from '../members.repository.ts';
import { ANSWER_STATUSES, CONTRIBUTION_KINDS, type ContributionFilters } from '../debates.schema.ts';
import { contributionCard, day, pager, paragraphs } from './common.ts';

export function debateListBody(
  ctx: RequestContext,
  tenantSlug: string,
  debates: Array<{ debate: DebateRow; current: PhaseRow | null }>,
  fromHosts: HostDebate[] = [],
): Html {
  return html`<h1>${ctx.t('debates.title')}</h1><p>${ctx.t('debates.web.list.intro')}</p>
${
  debates.length
    ? html`<ul class="cards">${debates.map(
        ({ debate, current }) =>
          html`<li class="card"><h2 class="h3"><a href="/${tenantSlug}/concertations/${debate.slug}">${debate.title}</a></h2>
<p class="small"><span class="badge">${ctx.t(`debates.web.status.${debate.status}`)}</span>${current ? html` ${ctx.t('debates.web.phase_now')} : ${current.title}` : ''}</p></li>`,
      )}</ul>`
    : fromHosts.length
      ? ''
      : html`<p>${ctx.t('debates.web.list.none')}</p>`
}${
    fromHosts.length
      ? html`<h2>${ctx.t('debates.members.from_hosts')}</h2><ul class="cards">${fromHosts.map(
          (h) =>
            html`<li class="card"><h3><a href="/${h.host_slug}/concertations/${h.slug}">${h.title}</a></h3>
<p class="small"><span class="badge">${ctx.t('debates.web.status.published')}</span> ${ctx.t('debates.members.run_by', { host: h.host_name })}</p></li>`,
        )}</ul>`
      : ''
  }`;
}

export function phasesBlock(ctx: RequestContext, phases: PhaseRow[], current: PhaseRow | null): Html {
  return html`<h2>${ctx.t('debates.web.phases')}</h2>
${current ? '' : html`<p>${ctx.t('debates.web.no_current_phase')}</p>`}
<ol>${phases.map(
    (
      p,
    ) => html`<li${p === current ? html` aria-current="step"` : ''}><h3>${p.title}${p === current ? html` <span class="badge">${ctx.t('debates.web.phase_now')}</span>` : ''}</h3>
<p class="small">${ctx.t('debates.web.phase_dates', { from: day(ctx, p.starts_on), to: day(ctx, p.ends_on) })}</p>
${p.summary ? html`<p><strong>${ctx.t('debates.web.easy_summary')} :</strong> ${p.summary}</p>` : ''}</li>`,
  )}</ol>`;
}

function select(ctx: RequestContext, name: string, label: string, options: Array<[string, string]>, value: string | undefined): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map(
    ([v, text]) => html`<option value="${v}"${(value ?? '') === v ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

export function filtersForm(ctx: RequestContext, action: string, phases: PhaseRow[], f: ContributionFilters): Html {
  const all: [string, string] = ['', ctx.t('debates.web.filter.all')];
  return html`<form method="get" action="${action}#contributions" class="row"><fieldset class="field"><legend>${ctx.t('debates.web.filters')}</legend>
${select(ctx, 'kind', ctx.t('debates.web.filter.kind'), [all, ...CONTRIBUTION_KINDS.map((k): [string, string] => [k, ctx.t(`debates.web.kind.${k}`)])], f.kind)}
${select(ctx, 'phase', ctx.t('debates.web.filter.phase'), [all, ...phases.filter((p) => p.kind === 'contributions').map((p): [string, string] => [String(p.position), p.title])], f.phase === undefined ? undefined : String(f.phase))}
${select(ctx, 'status', ctx.t('debates.web.filter.status'), [all, ...[...ANSWER_STATUSES, 'unanswered'].map((s): [string, string] => [s, ctx.t(`debates.web.answer.${s}`)])], f.status)}
${select(
  ctx,
  'sort',
  ctx.t('debates.web.filter.sort'),
  [
    ['recent', ctx.t('debates.web.sort.recent')],
    ['supported', ctx.t('debates.web.sort.supported')],
  ],
  f.sort,
)}
<button type="submit">${ctx.t('debates.web.filter.apply')}</button></fieldset></form>`;
}

export interface DebatePageInput {
  tenantSlug: string;
  debate: DebateRow;
  phases: PhaseRow[];
  current: PhaseRow | null;
  filters: ContributionFilters;
  rows: ContributionRow[];
  total: number;
  /** More than `total` match (lists are counted up to a cap). */
  more: boolean;
  perPage: number;
  moderator: boolean;
  notice: Html;
  /** The members it is run for, when a host runs it for them (0750). */
  members?: string[];
}

export function debatePageBody(ctx: RequestContext, d: DebatePageInput): Html {
  const base = `/${d.tenantSlug}/concertations/${d.debate.slug}`;
  const open = d.debate.status === 'published' && d.current?.kind === 'contributions';
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.filters)) if (v !== undefined && k !== 'page') query[k] = String(v);
  return html`<h1>${d.debate.title}</h1>${d.notice}
<p class="small"><span class="badge">${ctx.t(`debates.web.status.${d.debate.status}`)}</span>${d.moderator ? html` <a href="${base}/moderation">${ctx.t('debates.web.moderation.title')}</a>` : ''}</p>
${d.members?.length ? html`<p>${ctx.t('debates.members.run_for', { members: d.members.join(', ') })}</p>` : ''}
${paragraphs(d.debate.presentation)}
${phasesBlock(ctx, d.phases, d.current)}
<h2 id="contributions">${ctx.t('debates.web.contributions')}</h2>
${open ? html`<p><a class="button" href="${ctx.person ? `${base}/contribuer` : `/auth/sign-in?tenant=${d.tenantSlug}`}">${ctx.person ? ctx.t('debates.web.contribute') : ctx.t('debates.web.contribute_sign_in')}</a></p>` : ''}
${filtersForm(ctx, base, d.phases, d.filters)}
<p>${d.more ? ctx.t('debates.web.contributions_more', { n: d.total.toLocaleString(ctx.locale) }) : ctx.t('debates.web.contributions_count', { count: d.total })}</p>
${d.rows.length ? html`<ul class="cards">${d.rows.map((c) => html`<li class="card">${contributionCard(ctx, c, `${base}/contributions/${c.id}`)}</li>`)}</ul>` : html`<p>${ctx.t('debates.web.none')}</p>`}
${pager(ctx, base, query, d.filters.page ?? 1, d.total, d.perPage, d.more && d.rows.length === d.perPage)}`;
}

// Staff pages of a project's funding (matched programmes with their reasons, its applications, a new
// application), an application (amounts, dates, documents), the roadmap's funding plan; and the public
// fragment of obtained funding shown on a published project's page.
import type { RequestContext } from '../../../../core/base/context.ts';
import { html, type Html } from '../../../../core/views/html.ts';
import { csrfField, errorSummary, input, select, submit, textarea } from '../../../../core/views/forms.ts';
import type { ApplicationRow, DocumentRow } from '../applications.repository.ts';
import { APPLICATION_FIELDS, APPLICATION_STATUSES } from '../application-input.ts';
import { reasonText, type Match } from '../matching.ts';
import type { CandidateRow } from '../programmes.repository.ts';
import { fundingPlan, type FundingPlan, type PlanLine } from '../plan.ts';
import { day, euros } from './format.ts';

const FIELDS = ['programme', ...APPLICATION_FIELDS];

export interface MatchLinks {
  /** The programmes' public pages. */
  programmesBase: string;
  /** The applications already made, by programme slug: shown with their status and a link to them. */
  applied?: ReadonlyMap<string, ApplicationRow>;
  /** Where an application's page is (…/candidatures). */
  applicationsBase?: string;
  /** Where to start an application to a programme not applied to yet (the administrator only). */
  applyHref?: (programmeSlug: string) => string;
}

export function matchesList(ctx: RequestContext, o: MatchLinks & { matches: Match<CandidateRow>[] }): Html {
  const t = ctx.t;
  if (o.matches.length === 0) return html`<p>${t('roadmap.funding.none')}</p>`;
  const action = (m: Match<CandidateRow>): Html | string => {
    const applied = o.applied?.get(m.programme.slug);
    if (applied)
      return html`<p>${o.applicationsBase ? html`<a href="${o.applicationsBase}/${applied.id}">${t('roadmap.funding.applied', { status: t(`roadmap.funding.status.${applied.status}`) })}<span class="visually-hidden"> — ${m.programme.name}</span></a>` : t('roadmap.funding.applied', { status: t(`roadmap.funding.status.${applied.status}`) })}</p>`;
    return o.applyHref
      ? html`<p><a href="${o.applyHref(m.programme.slug)}">${t('roadmap.funding.apply')}<span class="visually-hidden"> — ${m.programme.name}</span></a></p>`
      : '';
  };
  return html`<ol class="cards">${o.matches.map(
    (m) => html`<li><h3><a href="${o.programmesBase}/${m.programme.slug}">${m.programme.name}</a></h3>
<p>${m.programme.funder} · <strong>${t(m.eligible ? 'roadmap.funding.match.eligible' : 'roadmap.funding.match.not_eligible')}</strong>${m.expected !== null ? ` · ${t('roadmap.funding.amount_up_to', { amount: euros(ctx, m.expected) })}` : ''}</p>
<ul>${m.reasons.map((r) => html`<li>${r.ok ? '✓' : '✗'} <span class="visually-hidden">${t(r.ok ? 'roadmap.funding.match.ok' : 'roadmap.funding.match.no')}</span> ${reasonText(t, r, (n) => euros(ctx, n))}</li>`)}</ul>
${action(m)}</li>`,
  )}</ol>`;
}

export interface ProjectFunding {
  applications: ApplicationRow[];
  matches: Match<CandidateRow>[];
  /** The project's budget (investment and operation), for the share obtained. */
  budget: number;
}

/**
 * A project's funding for its collectivité's staff: the plan (expected, obtained, paid, share of the budget),
 * the applications with their amounts, the programmes it may claim ranked with their reasons — the first
 * `limit` of them, and a link to the rest — each with its application or a link to start one.
 */
export function projectFundingBody(
  ctx: RequestContext,
  f: ProjectFunding,
  o: MatchLinks & { limit?: number; moreHref?: string; /** The project's funding page, linked above the plan. */ pageHref?: string },
): Html {
  const t = ctx.t;
  const shown = o.limit !== undefined ? f.matches.slice(0, o.limit) : f.matches;
  return html`<h2 id="financements">${t('roadmap.funding.plan.project')}</h2>
${o.pageHref ? html`<p><a href="${o.pageHref}">${t('roadmap.funding.project_page')}</a></p>` : ''}
${planBody(ctx, fundingPlan(f.applications), f.budget)}
<h2>${t('roadmap.funding.applications')}</h2>
${applicationsTable(ctx, { rows: f.applications, editBase: o.applicationsBase, caption: t('roadmap.funding.applications') })}
<h2>${t('roadmap.funding.match.title')}</h2>
<p>${t('roadmap.funding.match.intro')}</p>
${matchesList(ctx, { ...o, matches: shown })}
${o.moreHref && shown.length < f.matches.length ? html`<p><a href="${o.moreHref}">${t('roadmap.funding.match.all', { count: f.matches.length })}</a></p>` : ''}`;
}

export function applicationsTable(ctx: RequestContext, o: { rows: ApplicationRow[]; editBase?: string; caption: string }): Html {
  const t = ctx.t;
  if (o.rows.length === 0) return html`<p>${t('roadmap.funding.applications_none')}</p>`;
  return html`<table><caption>${o.caption}</caption>
<thead><tr><th scope="col">${t('roadmap.funding.field.programme')}</th><th scope="col">${t('roadmap.funding.field.status')}</th><th scope="col">${t('roadmap.funding.field.amount_asked')}</th><th scope="col">${t('roadmap.funding.field.amount_granted')}</th><th scope="col">${t('roadmap.funding.field.amount_paid')}</th></tr></thead>
<tbody>${o.rows.map(
    (
      a,
    ) => html`<tr><th scope="row">${o.editBase ? html`<a href="${o.editBase}/${a.id}">${a.programme_name}</a>` : a.programme_name}<br><span class="small">${a.project_title}</span></th>
<td>${t(`roadmap.funding.status.${a.status}`)}</td><td>${euros(ctx, a.amount_asked)}</td><td>${a.amount_granted !== null ? euros(ctx, a.amount_granted) : '—'}</td><td>${a.amount_paid !== null ? euros(ctx, a.amount_paid) : '—'}</td></tr>`,
  )}</tbody></table>`;
}

function planTable(ctx: RequestContext, caption: string, lines: PlanLine[]): Html {
  const t = ctx.t;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">${caption}</th><th scope="col">${t('roadmap.funding.plan.planned')}</th><th scope="col">${t('roadmap.funding.plan.obtained')}</th><th scope="col">${t('roadmap.funding.plan.paid')}</th></tr></thead>
<tbody>${lines.map((l) => html`<tr><th scope="row">${l.label}</th><td>${euros(ctx, l.planned)}</td><td>${euros(ctx, l.obtained)}</td><td>${euros(ctx, l.paid)}</td></tr>`)}</tbody></table>`;
}

export function planBody(ctx: RequestContext, plan: FundingPlan, budget: number | null): Html {
  const t = ctx.t;
  return html`<p>${t('roadmap.funding.plan.summary', { planned: euros(ctx, plan.planned), obtained: euros(ctx, plan.obtained), paid: euros(ctx, plan.paid) })}${
    budget ? ` ${t('roadmap.funding.plan.share', { share: Math.round((plan.obtained / budget) * 100), budget: euros(ctx, budget) })}` : ''
  }</p>
${plan.byProgramme.length ? planTable(ctx, t('roadmap.funding.plan.by_programme'), plan.byProgramme) : ''}
${plan.byFunder.length ? planTable(ctx, t('roadmap.funding.plan.by_funder'), plan.byFunder) : ''}`;
}

/**
 * For the public page of a published project (roadmap's pages): the funding it obtained — each programme, its
 * funder, the amount granted and paid — and what share of the project's budget it covers; or nothing.
 */
export function obtainedFundingFragment(ctx: RequestContext, rows: ApplicationRow[], programmesBase: string, budget?: number): Html {
  const granted = rows.filter((a) => a.status === 'granted');
  if (granted.length === 0) return html``;
  const t = ctx.t;
  const obtained = granted.reduce((n, a) => n + (a.amount_granted ?? 0), 0);
  const paid = granted.reduce((n, a) => n + (a.amount_paid ?? 0), 0);
  return html`<section aria-labelledby="funding-obtained"><h2 id="funding-obtained">${t('roadmap.funding.obtained_title')}</h2>
<ul>${granted.map(
    (a) =>
      html`<li><a href="${programmesBase}/${a.programme_slug}">${a.programme_name}</a> (${a.funder}) : ${euros(ctx, a.amount_granted ?? 0)}${a.amount_paid ? ` · ${t('roadmap.funding.paid_amount', { amount: euros(ctx, a.amount_paid) })}` : ''}</li>`,
  )}</ul>
<p>${t('roadmap.funding.obtained_total', { obtained: euros(ctx, obtained), paid: euros(ctx, paid) })}${
    budget ? ` ${t('roadmap.funding.plan.share', { share: Math.round((obtained / budget) * 100), budget: euros(ctx, budget) })}` : ''
  }</p></section>`;
}

export type ApplicationValues = Record<string, string | string[]>;

export function applicationForm(
  ctx: RequestContext,
  o: {
    action: string;
    values: ApplicationValues;
    errors?: Record<string, string[]>;
    programmes?: Array<{ slug: string; name: string }>;
    legend: string;
    /** The form's id, for a link to it (…#candidature). */
    id?: string;
  },
): Html {
  const t = ctx.t;
  const v = (n: string) => {
    const x = o.values[n];
    return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
  };
  const labels = Object.fromEntries(FIELDS.map((n) => [n, t(`roadmap.funding.field.${n}`)]));
  const e = o.errors;
  return html`${errorSummary(ctx, e, labels)}
<form method="post" action="${o.action}"${o.id ? html` id="${o.id}"` : ''} novalidate><fieldset><legend>${o.legend}</legend>
${csrfField(ctx)}
${o.programmes ? select(ctx, { name: 'programme', label: labels.programme!, value: v('programme'), required: true, errors: e, options: o.programmes.map((p) => ({ value: p.slug, label: p.name })) }) : ''}
${select(ctx, { name: 'status', label: labels.status!, value: v('status') || 'planned', errors: e, options: APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`roadmap.funding.status.${s}`) })) })}
${input(ctx, { name: 'amount_asked', label: labels.amount_asked!, value: v('amount_asked'), inputmode: 'numeric', required: true, errors: e })}
${input(ctx, { name: 'amount_granted', label: labels.amount_granted!, value: v('amount_granted'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'amount_paid', label: labels.amount_paid!, value: v('amount_paid'), inputmode: 'numeric', errors: e })}
${input(ctx, { name: 'submitted_on', label: labels.submitted_on!, type: 'date', value: v('submitted_on'), errors: e })}
${input(ctx, { name: 'decided_on', label: labels.decided_on!, type: 'date', value: v('decided_on'), errors: e })}
${input(ctx, { name: 'paid_on', label: labels.paid_on!, type: 'date', value: v('paid_on'), errors: e })}
${textarea(ctx, { name: 'notes', label: labels.notes!, value: v('notes'), rows: 3, errors: e })}
${submit(t('roadmap.funding.save'))}
</fieldset></form>`;
}

export function documentsSection(ctx: RequestContext, o: { base: string; documents: DocumentRow[]; canEdit: boolean; error?: string }): Html {
  const t = ctx.t;
  return html`<section aria-labelledby="documents"><h2 id="documents">${t('roadmap.funding.documents')}</h2>
${o.documents.length ? html`<ul>${o.documents.map((d) => html`<li><a href="${o.base}/documents/${d.id}">${d.filename}</a> <span class="small">(${Math.ceil(d.size / 1024)} Ko)</span></li>`)}</ul>` : html`<p>${t('roadmap.funding.documents_none')}</p>`}
${
  o.canEdit
    ? html`<form method="post" action="${o.base}/documents?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
<div class="field${o.error ? ' has-error' : ''}"><label for="field-file">${t('roadmap.funding.document_add')}</label>
<p class="hint" id="hint-file">${t('roadmap.funding.document_hint')}</p>${o.error ? html`<p class="error" id="error-file">${o.error}</p>` : ''}
<input id="field-file" name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,.odt,.docx" aria-describedby="hint-file${o.error ? ' error-file' : ''}"></div>
${submit(t('roadmap.funding.document_send'))}</form>`
    : ''
}</section>`;
}

/** An application as form values (to edit it): numbers and dates as text, none as ''. */
export function applicationValues(a: ApplicationRow): ApplicationValues {
  return Object.fromEntries(APPLICATION_FIELDS.map((k) => [k, a[k] === null ? '' : String(a[k])]));
}

export function applicationSummary(ctx: RequestContext, a: ApplicationRow): Html {
  const t = ctx.t;
  return html`<p>${t('roadmap.funding.application_of', { project: a.project_title, programme: a.programme_name })}</p>
<p class="small">${t('roadmap.funding.field.submitted_on')} : ${day(ctx, a.submitted_on)} · ${t('roadmap.funding.field.decided_on')} : ${day(ctx, a.decided_on)} · ${t('roadmap.funding.field.paid_on')} : ${day(ctx, a.paid_on)}</p>`;
}

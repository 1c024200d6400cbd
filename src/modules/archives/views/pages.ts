// Pages of the archives (server-rendered, no script): search and list, deposit form, a unit (metadata,
// effective rules with their origin, objects with digests and format, history), the rule library, and
// eliminations (proposals, visa, certificate).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDate, formatDateTime } from '../../../core/i18n/i18n.ts';
import type { HistoryRow, LibraryRow, ObjectRow, UnitRow } from '../archives.repository.ts';
import type { UnitView } from '../actions/unit-view.ts';
import type { Candidate } from '../actions/eliminate.ts';
import { LEVELS } from '../actions/ingest.ts';
import { RULE_CATEGORIES } from '../rules.ts';
import { communicationFields } from './form-fields.ts';

export type Errors = Record<string, string[]> | undefined;

export function errorSummary(ctx: RequestContext, errors: Errors): Html {
  const names = Object.keys(errors ?? {});
  if (!errors || !names.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${ctx.t('archives.form.errors')}</h2>
<ul>${names.map((n) => html`<li>${errors[n]!.join(' ')}</li>`)}</ul></div>`;
}

function day(ctx: RequestContext, value: string | null): string {
  if (!value) return '—';
  if (value === 'infinity') return ctx.t('archives.rules.never');
  return formatDate(ctx.locale, new Date(`${value}T12:00:00Z`));
}

function when(ctx: RequestContext, value: Date | null): Html {
  return value ? html`<time datetime="${value.toISOString()}">${formatDateTime(ctx.locale, value)}</time>` : html``;
}

function size(ctx: RequestContext, n: number): string {
  const unit = ctx.locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < 3) {
    v /= 1024;
    i += 1;
  }
  return `${i ? v.toFixed(1) : v} ${unit[i]}`;
}

function field(ctx: RequestContext, name: string, input: Html, errors: Errors, hint?: string): Html {
  return html`<div class="field${errors?.[name] ? ' has-error' : ''}"><label for="f-${name}">${ctx.t(`archives.field.${name}`)}</label>${hint ? html`<p class="hint">${hint}</p>` : ''}${
    errors?.[name] ? html`<p class="error">${errors[name]!.join(' ')}</p>` : ''
  }${input}</div>`;
}

export function nav(ctx: RequestContext, base: string, archivist: boolean): Html {
  if (!archivist) return html``;
  return html`<nav aria-label="${ctx.t('archives.title')}"><ul class="inline">
<li><a href="${base}">${ctx.t('archives.search.title')}</a></li>
<li><a href="${base}/verser">${ctx.t('archives.deposit.title')}</a></li>
<li><a href="${base}/regles">${ctx.t('archives.rules.title')}</a></li>
<li><a href="${base}/eliminations">${ctx.t('archives.elimination.title')}</a></li>
<li><a href="${base}/transferts">${ctx.t('archives.transfer.title')}</a></li></ul></nav>`;
}

export function searchBody(
  ctx: RequestContext,
  o: { base: string; archivist: boolean; rows: UnitRow[]; total: number; page: number; perPage: number; query: Record<string, string>; notice: string | null },
): Html {
  const t = ctx.t;
  const q = o.query;
  const link = (page: number) => `${o.base}?${new URLSearchParams({ ...q, page: String(page) }).toString()}`;
  return html`<h1>${t('archives.title')}</h1>
${nav(ctx, o.base, o.archivist)}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${o.archivist ? '' : html`<p class="hint">${t('archives.search.communicable_only')}</p>`}
<form method="get" action="${o.base}" role="search">
<div class="field"><label for="f-q">${t('archives.search.q')}</label><input id="f-q" name="q" value="${q.q ?? ''}" maxlength="500"></div>
<div class="field"><label for="f-rule">${t('archives.search.rule')}</label><input id="f-rule" name="rule" value="${q.rule ?? ''}" maxlength="64"></div>
<div class="field"><label for="f-from">${t('archives.search.from')}</label><input id="f-from" name="from" type="date" value="${q.from ?? ''}"></div>
<div class="field"><label for="f-to">${t('archives.search.to')}</label><input id="f-to" name="to" type="date" value="${q.to ?? ''}"></div>
<button type="submit">${t('archives.search.button')}</button></form>
<p>${t('archives.search.count', { count: o.total })}</p>
${
  o.rows.length
    ? html`${o.archivist ? html`<form method="post" action="${o.base}/communication"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">` : ''}<div class="table-scroll"><table><caption class="visually-hidden">${t('archives.search.title')}</caption>
<thead><tr>${o.archivist ? html`<th scope="col"><span class="visually-hidden">${t('archives.communication.select')}</span></th>` : ''}<th scope="col">${t('archives.field.title')}</th><th scope="col">${t('archives.field.dates')}</th><th scope="col">${t('archives.unit.objects')}</th><th scope="col">${t('archives.unit.communicable')}</th></tr></thead>
<tbody>${o.rows.map(
        (u) =>
          html`<tr>${o.archivist ? html`<td><input type="checkbox" name="units" value="${u.id}" aria-label="${u.title}"></td>` : ''}<td><a href="${o.base}/unites/${u.id}">${u.title}</a></td><td>${day(ctx, u.start_date)} – ${day(ctx, u.end_date)}</td><td>${u.object_count}</td><td>${
            u.access_end === null ? t('archives.unit.free') : day(ctx, u.access_end)
          }</td></tr>`,
      )}</tbody></table></div>${
        o.archivist
          ? html`<fieldset><legend>${t('archives.communication.title')}</legend><p class="hint">${t('archives.communication.intro')}</p>${communicationFields(ctx, undefined, {})}</fieldset></form>`
          : ''
      }`
    : ''
}
<p>${o.page > 1 ? html`<a href="${link(o.page - 1)}" rel="prev">${t('archives.search.previous')}</a> ` : ''}${
    o.page * o.perPage < o.total ? html`<a href="${link(o.page + 1)}" rel="next">${t('archives.search.next')}</a>` : ''
  }</p>`;
}

function ruleOptions(ctx: RequestContext, library: LibraryRow[], category: string, selected: string): Html {
  return html`<option value="">${ctx.t('archives.rules.none')}</option>${library
    .filter((r) => r.category === category)
    .map((r) => html`<option value="${r.code}"${r.code === selected ? html` selected` : ''}>${r.code} — ${r.label}</option>`)}`;
}

export function depositBody(ctx: RequestContext, o: { base: string; library: LibraryRow[]; errors: Errors; values: Record<string, string> }): Html {
  const t = ctx.t;
  const v = (k: string) => o.values[k] ?? '';
  const text = (name: string, attrs: Html = html``) => field(ctx, name, html`<input id="f-${name}" name="${name}" value="${v(name)}"${attrs}>`, o.errors);
  return html`<h1>${t('archives.deposit.title')}</h1>
${nav(ctx, o.base, true)}
${errorSummary(ctx, o.errors)}
<p>${t('archives.deposit.intro')}</p>
<form method="post" action="${o.base}/verser?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${text('title', html` required maxlength="1000"`)}
${field(ctx, 'description', html`<textarea id="f-description" name="description" rows="4">${v('description')}</textarea>`, o.errors)}
${field(
  ctx,
  'level',
  html`<select id="f-level" name="level">${LEVELS.map((l) => html`<option value="${l}"${(v('level') || 'Item') === l ? html` selected` : ''}>${t(`archives.level.${l}`)}</option>`)}</select>`,
  o.errors,
)}
${field(ctx, 'start_date', html`<input id="f-start_date" name="start_date" type="date" value="${v('start_date')}">`, o.errors)}
${field(ctx, 'end_date', html`<input id="f-end_date" name="end_date" type="date" value="${v('end_date')}">`, o.errors)}
${text('originating_agency', html` maxlength="500"`)}
${text('archival_agency', html` maxlength="500"`)}
${field(ctx, 'keywords', html`<input id="f-keywords" name="keywords" value="${v('keywords')}">`, o.errors, t('archives.hint.keywords'))}
${field(ctx, 'access_rule', html`<select id="f-access_rule" name="access_rule">${ruleOptions(ctx, o.library, 'access', v('access_rule'))}</select>`, o.errors)}
${field(ctx, 'access_start', html`<input id="f-access_start" name="access_start" type="date" value="${v('access_start')}">`, o.errors, t('archives.hint.rule_start'))}
${field(ctx, 'appraisal_rule', html`<select id="f-appraisal_rule" name="appraisal_rule">${ruleOptions(ctx, o.library, 'appraisal', v('appraisal_rule'))}</select>`, o.errors)}
${field(ctx, 'appraisal_start', html`<input id="f-appraisal_start" name="appraisal_start" type="date" value="${v('appraisal_start')}">`, o.errors, t('archives.hint.rule_start'))}
${text('parent', html` maxlength="36"`)}
${field(ctx, 'file', html`<input id="f-file" name="file" type="file" multiple required>`, o.errors)}
<button type="submit">${t('archives.deposit.button')}</button></form>`;
}

export function unitBody(
  ctx: RequestContext,
  o: {
    base: string;
    archivist: boolean;
    view: UnitView;
    children: Array<{ id: string; title: string }>;
    objects: ObjectRow[];
    history: HistoryRow[];
    library: LibraryRow[];
    notice: string | null;
    errors: Errors;
  },
): Html {
  const t = ctx.t;
  const u = o.view.unit;
  const meta = (label: string, value: string | Html) => html`<dt>${label}</dt><dd>${value || '—'}</dd>`;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  return html`<p><a href="${o.base}">${t('archives.search.title')}</a>${o.view.ancestors.map((a) => html` › <a href="${o.base}/unites/${a.id}">${a.title}</a>`)}</p>
<h1>${u.title}</h1>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorSummary(ctx, o.errors)}
${u.eliminated_at ? html`<p class="notice">${t('archives.unit.eliminated')} ${when(ctx, u.eliminated_at)}</p>` : ''}
${o.view.held ? html`<p class="notice">${t('archives.unit.held')}</p>` : ''}
<dl>
${meta(t('archives.field.level'), t(`archives.level.${u.level}`))}
${meta(t('archives.field.description'), u.description)}
${meta(t('archives.field.dates'), `${day(ctx, u.start_date)} – ${day(ctx, u.end_date)}`)}
${meta(t('archives.field.originating_agency'), u.originating_agency)}
${meta(t('archives.field.archival_agency'), u.archival_agency)}
${meta(t('archives.field.keywords'), u.keywords.join(', '))}
${meta(t('archives.unit.communicable'), u.access_end === null ? t('archives.unit.free') : day(ctx, u.access_end))}
${meta(t('archives.unit.dua'), u.appraisal_end ? `${day(ctx, u.appraisal_end)} (${t(`archives.final.${u.appraisal_final ?? 'keep'}`)})` : '—')}
${meta(t('archives.unit.id'), html`<code>${u.id}</code>`)}
</dl>
${o.archivist ? html`<p><a href="${o.base}/unites/${u.id}/preuve">${t('archives.proof.link')}</a></p>` : ''}
<h2>${t('archives.unit.rules')}</h2>
${
  o.view.rules.length
    ? html`<div class="table-scroll"><table><caption class="visually-hidden">${t('archives.unit.rules')}</caption>
<thead><tr><th scope="col">${t('archives.rules.category')}</th><th scope="col">${t('archives.rules.code')}</th><th scope="col">${t('archives.rules.start')}</th><th scope="col">${t('archives.rules.end')}</th><th scope="col">${t('archives.rules.origin')}</th></tr></thead>
<tbody>${o.view.rules.map(
        (r) =>
          html`<tr><td>${t(`archives.category.${r.category}`)}</td><td><abbr title="${r.legal_ground}">${r.code}</abbr> ${r.label}</td><td>${day(ctx, r.start_date)}</td><td>${day(ctx, r.end_date)}</td><td>${
            r.inherited ? html`${t('archives.rules.inherited')} <a href="${o.base}/unites/${r.origin}">${r.origin_title}</a>` : t('archives.rules.own')
          }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('archives.unit.no_rules')}</p>`
}
${
  o.archivist && !u.eliminated_at
    ? html`<form method="post" action="${o.base}/unites/${u.id}/gel" class="card">${csrf}
<div class="field"><label for="f-hold">${t('archives.hold.rule')}</label><select id="f-hold" name="rule">${ruleOptions(ctx, o.library, 'hold', '')}</select></div>
<div class="field"><label for="f-note">${t('archives.hold.note')}</label><input id="f-note" name="note" maxlength="1000"></div>
<button type="submit">${t('archives.hold.place')}</button></form>
${o.view.rules
  .filter((r) => r.category === 'hold' && !r.inherited)
  .map(
    (r) =>
      html`<form method="post" action="${o.base}/unites/${u.id}/gel/lever">${csrf}<input type="hidden" name="rule" value="${r.code}"><button type="submit">${t('archives.hold.lift', { code: r.code })}</button></form>`,
  )}`
    : ''
}
<h2>${t('archives.unit.objects')}</h2>
<p>${t('archives.unit.objects_count', { count: u.object_count })}${u.object_count > o.objects.length ? html` — ${t('archives.unit.objects_shown', { count: o.objects.length })}` : ''}</p>
${
  o.objects.length
    ? html`<ul>${o.objects.map(
        (
          ob,
        ) => html`<li><a href="${o.base}/unites/${u.id}/objets/${ob.id}">${ob.filename}</a> — ${size(ctx, ob.size)} — ${ob.format_name}${ob.format_id ? html` (<abbr title="PRONOM">${ob.format_id}</abbr>)` : ''} — ${ob.mime}
<br><small>SHA-512 <code>${ob.sha512}</code><br>SHA-256 <code>${ob.sha256}</code>${
          ob.last_check ? html`<br>${t('archives.unit.last_check')} ${when(ctx, ob.last_check)} : ${t(`archives.audit.${ob.last_outcome ?? 'ok'}`)}` : ''
        }${ob.eliminated_at ? html`<br>${t('archives.unit.eliminated')} ${when(ctx, ob.eliminated_at)}` : ''}</small></li>`,
      )}</ul>`
    : html`<p>—</p>`
}
${o.children.length ? html`<h2>${t('archives.unit.children')}</h2><ul>${o.children.map((c) => html`<li><a href="${o.base}/unites/${c.id}">${c.title}</a></li>`)}</ul>` : ''}
${
  o.archivist
    ? html`<h2>${t('archives.unit.history')}</h2><ul>${o.history.map((h) => html`<li>${when(ctx, h.at)} — ${t(`archives.action.${h.action}`)} — ${h.actor}</li>`)}</ul>`
    : ''
}`;
}

export function rulesBody(
  ctx: RequestContext,
  o: { base: string; library: LibraryRow[]; isHost: boolean; errors: Errors; values: Record<string, string>; notice: string | null },
): Html {
  const t = ctx.t;
  const v = (k: string) => o.values[k] ?? '';
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  return html`<h1>${t('archives.rules.title')}</h1>
${nav(ctx, o.base, true)}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorSummary(ctx, o.errors)}
${RULE_CATEGORIES.filter((c) => o.library.some((r) => r.category === c)).map(
  (c) => html`<h2>${t(`archives.category.${c}`)}</h2><div class="table-scroll"><table><caption class="visually-hidden">${t(`archives.category.${c}`)}</caption>
<thead><tr><th scope="col">${t('archives.rules.code')}</th><th scope="col">${t('archives.rules.label')}</th><th scope="col">${t('archives.rules.duration')}</th><th scope="col">${t('archives.rules.legal_ground')}</th><th scope="col">${t('archives.rules.origin')}</th></tr></thead>
<tbody>${o.library
    .filter((r) => r.category === c)
    .map(
      (r) =>
        html`<tr><td>${r.code}</td><td>${r.label}${r.final_action ? html` (${t(`archives.final.${r.final_action}`)})` : ''}</td><td>${
          r.duration_years === null ? t('archives.rules.unlimited') : t('archives.rules.years', { count: r.duration_years })
        }</td><td>${r.legal_ground}</td><td>${t(`archives.rules.origin_${r.origin}`)}${
          r.origin === 'own' && o.isHost
            ? html`<form method="post" action="${o.base}/regles/partage">${csrf}<input type="hidden" name="code" value="${r.code}"><input type="hidden" name="shared" value="${r.shared ? 'false' : 'true'}"><button type="submit">${t(r.shared ? 'archives.rules.unshare' : 'archives.rules.share')}</button></form>`
            : ''
        }</td></tr>`,
    )}</tbody></table></div>`,
)}
<h2>${t('archives.rules.add')}</h2>
<form method="post" action="${o.base}/regles">${csrf}
${field(ctx, 'code', html`<input id="f-code" name="code" value="${v('code')}" required maxlength="64" pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]*">`, o.errors)}
${field(ctx, 'category', html`<select id="f-category" name="category">${RULE_CATEGORIES.map((c) => html`<option value="${c}"${v('category') === c ? html` selected` : ''}>${t(`archives.category.${c}`)}</option>`)}</select>`, o.errors)}
${field(ctx, 'label', html`<input id="f-label" name="label" value="${v('label')}" required maxlength="300">`, o.errors)}
${field(ctx, 'duration_years', html`<input id="f-duration_years" name="duration_years" value="${v('duration_years')}" inputmode="numeric" maxlength="3">`, o.errors, t('archives.hint.duration'))}
${field(
  ctx,
  'final_action',
  html`<select id="f-final_action" name="final_action"><option value="">—</option>${['keep', 'destroy', 'restrict_access', 'transfer', 'copy'].map(
    (a) => html`<option value="${a}"${v('final_action') === a ? html` selected` : ''}>${t(`archives.final.${a}`)}</option>`,
  )}</select>`,
  o.errors,
)}
${field(ctx, 'legal_ground', html`<textarea id="f-legal_ground" name="legal_ground" rows="2" maxlength="1000">${v('legal_ground')}</textarea>`, o.errors)}
<button type="submit">${t('archives.rules.add_button')}</button></form>`;
}

export interface EliminationRow {
  id: string;
  state: string;
  created_at: Date;
  units: number;
  visa_reference: string | null;
  executed_at: Date | null;
}

export function eliminationsBody(
  ctx: RequestContext,
  o: { base: string; candidates: Candidate[]; eliminations: EliminationRow[]; errors: Errors; notice: string | null },
): Html {
  const t = ctx.t;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  return html`<h1>${t('archives.elimination.title')}</h1>
${nav(ctx, o.base, true)}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorSummary(ctx, o.errors)}
<h2>${t('archives.elimination.candidates')}</h2>
${
  o.candidates.length
    ? html`<form method="post" action="${o.base}/eliminations">${csrf}<fieldset><legend>${t('archives.elimination.select')}</legend>
${o.candidates.map(
  (c) =>
    html`<div class="field choice"><input type="checkbox" id="c-${c.id}" name="units" value="${c.id}"${c.held || c.pending || c.transfer === 'pending' ? html` disabled` : ''}><label for="c-${c.id}">${c.title} — DUA ${day(ctx, c.appraisal_end)} — ${t('archives.unit.objects_count', { count: c.objects })}${
      c.held ? html` — <strong>${t('archives.unit.held')}</strong>` : ''
    }${c.pending ? html` — ${t('archives.elimination.pending')}` : ''}${c.transfer ? html` — <strong>${t(`archives.elimination.transfer.${c.transfer}`)}</strong>` : ''}</label></div>`,
)}</fieldset><button type="submit">${t('archives.elimination.propose')}</button></form>`
    : html`<p>${t('archives.elimination.no_candidate')}</p>`
}
<h2>${t('archives.elimination.list')}</h2>
${
  o.eliminations.length
    ? html`<ul>${o.eliminations.map(
        (e) =>
          html`<li><a href="${o.base}/eliminations/${e.id}">${when(ctx, e.created_at)}</a> — ${t(`archives.elimination.state.${e.state}`)} — ${t('archives.unit.units_count', { count: e.units })}</li>`,
      )}</ul>`
    : html`<p>—</p>`
}`;
}

export function eliminationBody(
  ctx: RequestContext,
  o: {
    base: string;
    e: EliminationRow & { visa_authority: string | null; visa_signatory: string | null; visa_date: string | null; certificate_sha256: string | null };
    units: Array<{ id: string; title: string }>;
    errors: Errors;
    notice: string | null;
  },
): Html {
  const t = ctx.t;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const e = o.e;
  const here = `${o.base}/eliminations/${e.id}`;
  return html`<h1>${t('archives.elimination.one')}</h1>
${nav(ctx, o.base, true)}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorSummary(ctx, o.errors)}
<p>${t(`archives.elimination.state.${e.state}`)}</p>
<ul>${o.units.map((u) => html`<li><a href="${o.base}/unites/${u.id}">${u.title}</a></li>`)}</ul>
${
  e.visa_reference
    ? html`<dl><dt>${t('archives.elimination.visa_authority')}</dt><dd>${e.visa_authority}</dd><dt>${t('archives.elimination.visa_signatory')}</dt><dd>${e.visa_signatory}</dd>
<dt>${t('archives.elimination.visa_date')}</dt><dd>${day(ctx, e.visa_date)}</dd><dt>${t('archives.elimination.visa_reference')}</dt><dd>${e.visa_reference}</dd></dl>`
    : ''
}
${
  e.state === 'proposed'
    ? html`<form method="post" action="${here}/visa" class="card">${csrf}<h2>${t('archives.elimination.visa')}</h2>
${(['visa_authority', 'visa_signatory', 'visa_reference'] as const).map((k) => field(ctx, k, html`<input id="f-${k}" name="${k}" required maxlength="300">`, o.errors))}
${field(ctx, 'visa_date', html`<input id="f-visa_date" name="visa_date" type="date" required>`, o.errors)}
<button type="submit">${t('archives.elimination.approve')}</button></form>`
    : ''
}
${e.state === 'approved' ? html`<form method="post" action="${here}/executer">${csrf}<p>${t('archives.elimination.execute_warning')}</p><button type="submit">${t('archives.elimination.execute')}</button></form>` : ''}
${
  e.state === 'proposed' || e.state === 'approved'
    ? html`<form method="post" action="${here}/annuler">${csrf}<button type="submit">${t('archives.elimination.cancel')}</button></form>`
    : ''
}
${e.certificate_sha256 ? html`<p><a href="${here}/certificat.pdf">${t('archives.elimination.certificate')}</a></p>` : ''}`;
}

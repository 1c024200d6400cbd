// The agents' inbox: counts per state as tabs, filters (a GET form, so a filtered view is a link one can
// bookmark), the dossiers of the page with a checkbox each, and one bulk action form around them.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, notice } from '../../../core/views/forms.ts';
import type { InboxPage } from '../inbox.repository.ts';
import { INBOX_SORTS } from '../inbox.repository.ts';
import { pagination, stateBadge, when } from './common.ts';

export interface InboxView {
  base: string;
  query: Record<string, string>;
  counts: Record<string, number>;
  page: InboxPage;
  procedures: Array<{ id: string; title: string }>;
  groups: Array<{ id: string; name: string }>;
  labels: string[];
  people: Record<string, string>;
  notice?: string;
  errors?: Record<string, string[]>;
}

const STATES = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'];

function opt(value: string, label: string, current: string | undefined): Html {
  return html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
}

function selectField(id: string, label: string, name: string, options: Html[]): Html {
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${name}">${options}</select></div>`;
}

function filters(ctx: RequestContext, v: InboxView): Html {
  const { t } = ctx;
  const q = v.query;
  return html`<form method="get" action="${v.base}" class="filters" role="search" aria-label="${t('procedures.web.inbox.filters')}">
${q.state ? html`<input type="hidden" name="state" value="${q.state}">` : ''}
<div class="row">
<div class="field"><label for="f-q">${t('procedures.web.inbox.search')}</label><input type="search" id="f-q" name="q" value="${q.q ?? ''}"></div>
${selectField('f-procedure', t('procedures.web.procedure'), 'procedure', [opt('', t('procedures.web.inbox.all'), q.procedure), ...v.procedures.map((p) => opt(p.id, p.title, q.procedure))])}
${selectField('f-assignee', t('procedures.web.inbox.assignee'), 'assignee', [opt('', t('procedures.web.inbox.anyone'), q.assignee), opt('me', t('procedures.web.inbox.me'), q.assignee), opt('none', t('procedures.web.inbox.nobody'), q.assignee)])}
${v.groups.length ? selectField('f-group', t('procedures.web.inbox.group'), 'group', [opt('', t('procedures.web.inbox.all'), q.group), ...v.groups.map((g) => opt(g.id, g.name, q.group))]) : ''}
${v.labels.length ? selectField('f-label', t('procedures.web.inbox.label'), 'label', [opt('', t('procedures.web.inbox.all'), q.label), ...v.labels.map((l) => opt(l, l, q.label))]) : ''}
<div class="field"><label for="f-from">${t('procedures.web.inbox.from')}</label><input type="date" id="f-from" name="from" value="${q.from ?? ''}"></div>
<div class="field"><label for="f-to">${t('procedures.web.inbox.to')}</label><input type="date" id="f-to" name="to" value="${q.to ?? ''}"></div>
${selectField(
  'f-sort',
  t('procedures.web.inbox.sort'),
  'sort',
  INBOX_SORTS.map((s) => opt(s, t(`procedures.web.inbox.sort.${s}`), q.sort ?? 'submitted_desc')),
)}
</div>
<button type="submit">${t('procedures.web.inbox.apply')}</button> <a href="${v.base}">${t('procedures.web.inbox.reset')}</a>
</form>`;
}

function tabs(ctx: RequestContext, v: InboxView): Html {
  const { t } = ctx;
  const link = (state: string) => `${v.base}?${new URLSearchParams({ ...v.query, state, page: '1' }).toString()}`;
  const total = STATES.reduce((n, s) => n + (v.counts[s] ?? 0), 0);
  return html`<nav aria-label="${t('procedures.web.inbox.by_state')}"><ul class="inline tabs">
<li><a href="${link('')}"${!v.query.state ? html` aria-current="page"` : ''}>${t('procedures.web.inbox.all_states')} (${String(total)})</a></li>
${STATES.map((s) => html`<li><a href="${link(s)}"${v.query.state === s ? html` aria-current="page"` : ''}>${t(`procedures.web.state.${s}`)} (${String(v.counts[s] ?? 0)})</a></li>`)}
</ul></nav>`;
}

function bulkForm(ctx: RequestContext, v: InboxView): Html {
  const { t } = ctx;
  const back = `${v.base}?${new URLSearchParams(v.query).toString()}`;
  return html`<fieldset class="card"><legend>${t('procedures.web.inbox.bulk')}</legend>
<input type="hidden" name="back" value="${back}">
<div class="row">
${selectField(
  'bulk-action',
  t('procedures.web.inbox.bulk_action'),
  'action',
  ['en_instruction', 'accepte', 'refuse', 'sans_suite', 'en_construction']
    .map((s) => opt(`to:${s}`, t(`procedures.web.action.${s}`), ''))
    .concat([
      opt('assign:me', t('procedures.web.inbox.assign_me'), ''),
      opt('assign:none', t('procedures.web.inbox.unassign'), ''),
      opt('label:add', t('procedures.web.inbox.add_label'), ''),
    ]),
)}
<div class="field"><label for="bulk-label">${t('procedures.web.inbox.label_to_add')}</label><input type="text" id="bulk-label" name="label"></div>
<div class="field${v.errors?.motivation ? ' has-error' : ''}"><label for="bulk-motivation">${t('procedures.web.motivation')}</label>
<p class="hint" id="hint-bulk-motivation">${t('procedures.web.motivation_hint')}</p>
${v.errors?.motivation ? html`<p class="error" id="error-bulk-motivation">${v.errors.motivation.join(' ')}</p>` : ''}
<textarea id="bulk-motivation" name="motivation" rows="2" aria-describedby="hint-bulk-motivation${v.errors?.motivation ? ' error-bulk-motivation' : ''}"></textarea></div>
</div>
<button type="submit">${t('procedures.web.inbox.bulk_apply')}</button>
</fieldset>`;
}

export function inboxBody(ctx: RequestContext, v: InboxView): Html {
  const { t } = ctx;
  const p = v.page;
  const dossierBase = v.base.replace(/\/instruction$/, '/instruction/dossiers');
  return html`<h1>${t('procedures.web.inbox.title')}</h1>
${notice(v.notice)}
${v.errors && Object.keys(v.errors).length ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t('core.form.error_summary')}</h2><ul>${Object.entries(v.errors).flatMap(([k, list]) => list.map((e) => html`<li><a href="#${k === 'labels' ? 'bulk-label' : k === 'motivation' ? 'bulk-motivation' : 'bulk-action'}">${e}</a></li>`))}</ul></div>` : ''}
${tabs(ctx, v)}
${filters(ctx, v)}
<h2 id="results">${t('procedures.web.inbox.results', { n: p.totalCapped ? `${p.total}+` : String(p.total) })}</h2>
${
  p.items.length
    ? html`<form method="post" action="${v.base}/lot">
${csrfField(ctx)}
<div class="table-scroll"><table>
<caption class="visually-hidden">${t('procedures.web.inbox.title')}</caption>
<thead><tr><th scope="col"><span class="visually-hidden">${t('procedures.web.inbox.select')}</span></th><th scope="col">${t('procedures.web.number')}</th><th scope="col">${t('procedures.web.procedure')}</th><th scope="col">${t('procedures.web.state')}</th><th scope="col">${t('procedures.web.submitted_at')}</th><th scope="col">${t('procedures.web.inbox.assignee')}</th><th scope="col">${t('procedures.web.labels')}</th></tr></thead>
<tbody>${p.items.map(
        (d) => html`<tr>
<td><input type="checkbox" name="numbers" value="${String(d.number)}" id="sel-${String(d.number)}" aria-label="${t('procedures.web.inbox.select_one', { number: d.number })}"></td>
<td><a href="${dossierBase}/${String(d.number)}">${String(d.number)}</a></td><td>${d.procedure_title}</td><td>${stateBadge(ctx, d.state)}</td>
<td>${when(ctx, d.submitted_at)}</td><td>${d.assignee_id ? (v.people[d.assignee_id] ?? '') : '—'}</td><td>${d.labels.join(', ')}</td></tr>`,
      )}</tbody>
</table></div>
${bulkForm(ctx, v)}
</form>`
    : html`<p>${t('procedures.web.inbox.empty')}</p>`
}
${pagination(ctx, v.base, v.query, p.page, p.total, p.perPage)}
${v.query.procedure ? html`<p>${t('procedures.web.inbox.export')} <a href="${v.base.replace(/\/instruction$/, '')}/exports/procedures/${v.query.procedure}/dossiers.csv" download>CSV</a> · <a href="${v.base.replace(/\/instruction$/, '')}/exports/procedures/${v.query.procedure}/dossiers.json" download>JSON</a></p>` : ''}`;
}

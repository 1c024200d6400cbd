// The team's pages to edit a debate after creating it or copying it from a kit: presentation and phases,
// FAQ, questions to ask, meetings, documents, data (catalogue datasets and the ANFR radio-sites file).
// Server-rendered forms, no script; a refused form comes back with each field's message and what was typed.
import { html, type Html } from '../../../../core/views/html.ts';
import type { RequestContext } from '../../../../core/base/context.ts';
import { formatDateTime } from '../../../../core/i18n/i18n.ts';
import type { DebateRow, PhaseRow } from '../../debates.repository.ts';
import { errorSummary, field } from '../../views/common.ts';
import { MEETING_FORMATS } from '../kit-format.ts';
import type { MeetingRow } from '../meetings.repository.ts';
import type { DocumentRow, ListItem, ListKind } from '../staff.repository.ts';
import { LIST_TABLES } from '../staff.repository.ts';
import { instantToLocal } from '../local-time.ts';

type Values = Record<string, string>;
type Errors = Record<string, string[]>;

export const STAFF_SECTIONS = [
  ['', 'debates.staff.nav.setup'],
  ['/faq', 'debates.staff.nav.faq'],
  ['/questions', 'debates.staff.nav.questions'],
  ['/reunions', 'debates.staff.nav.meetings'],
  ['/documents', 'debates.staff.nav.documents'],
  ['/donnees', 'debates.staff.nav.data'],
] as const;

const csrf = (ctx: RequestContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;

/** The heading, links back, and the team's navigation between the debate's pages. */
export function staffHeader(ctx: RequestContext, base: string, debate: DebateRow, current: string, notice: Html): Html {
  const t = ctx.t;
  return html`<p><a href="${base}">${t('debates.staff.public_page')}</a> · <a href="${base}/moderation">${t('debates.web.moderation.title')}</a></p>
<h1>${t(STAFF_SECTIONS.find(([p]) => p === current)?.[1] ?? 'debates.staff.nav.setup')} : ${debate.title}</h1>${notice}
<nav aria-label="${t('debates.staff.nav.label')}"><ul class="inline">${STAFF_SECTIONS.map(([path, key]) =>
    path === current
      ? html`<li><a href="${base}/gestion${path}" aria-current="page">${t(key)}</a></li>`
      : html`<li><a href="${base}/gestion${path}">${t(key)}</a></li>`,
  )}</ul></nav>`;
}

function radios(ctx: RequestContext, name: string, options: readonly string[], checked: string, label: (o: string) => string, errors?: string[]): Html {
  return html`<fieldset class="field${errors ? ' has-error' : ''}" id="f-${name}"><legend>${ctx.t(`debates.web.admin.${name}`)}</legend>${errors ? html`<p class="error">${errors.join(' ')}</p>` : ''}${options.map(
    (o) =>
      html`<div class="choice"><input type="radio" id="f-${name}-${o}" name="${name}" value="${o}"${o === checked ? html` checked` : ''}> <label for="f-${name}-${o}">${label(o)}</label></div>`,
  )}</fieldset>`;
}

/** The values a debate's setup form shows (from the database, or what was typed). */
export function setupValues(debate: DebateRow, phases: PhaseRow[]): Values {
  const v: Values = { title: debate.title, presentation: debate.presentation, charter: debate.charter, status: debate.status, moderation: debate.moderation };
  phases.forEach((ph, i) => {
    v[`phases.${i}.id`] = ph.id;
    v[`phases.${i}.title`] = ph.title;
    v[`phases.${i}.summary`] = ph.summary;
    v[`phases.${i}.starts_on`] = ph.starts_on;
    v[`phases.${i}.ends_on`] = ph.ends_on;
  });
  return v;
}

export function setupBody(
  ctx: RequestContext,
  o: { base: string; debate: DebateRow; phases: PhaseRow[]; values: Values; errors: Errors; notice: Html; members?: MembersSetting },
): Html {
  const t = ctx.t;
  const { values: v, errors: e } = o;
  return html`${staffHeader(ctx, o.base, o.debate, '', o.notice)}${errorSummary(ctx, e)}
<form method="post" action="${o.base}/gestion">${csrf(ctx)}
${field(t('debates.web.admin.title'), 'title', (a) => html`<input ${a} value="${v.title ?? ''}" maxlength="200">`, { errors: e.title, required: true })}
${field(t('debates.web.admin.presentation'), 'presentation', (a) => html`<textarea ${a} rows="8">${v.presentation ?? ''}</textarea>`, {
  hint: t('debates.staff.plain_text_hint'),
  errors: e.presentation,
})}
${radios(ctx, 'status', ['draft', 'published', 'closed'], v.status ?? 'draft', (s) => t(`debates.staff.status.${s}`), e.status)}
${radios(ctx, 'moderation', ['post', 'pre'], v.moderation ?? 'post', (m) => t(`debates.web.admin.moderation.${m}`), e.moderation)}
${field(t('debates.web.admin.charter'), 'charter', (a) => html`<textarea ${a} rows="5">${v.charter ?? ''}</textarea>`, { hint: t('debates.web.admin.charter_hint'), errors: e.charter })}
<fieldset id="f-phases"><legend>${t('debates.web.admin.phases')}</legend><p class="hint">${t('debates.web.admin.phases_hint')}</p>${e.phases ? html`<p class="error">${e.phases.join(' ')}</p>` : ''}
${o.phases.map((ph, i) => {
  const at = `phases.${i}`;
  return html`<fieldset><legend>${t('debates.web.admin.phase', { n: i + 1 })} — ${t(`debates.phase.${ph.kind}`)}</legend><input type="hidden" name="${at}.id" value="${ph.id}">
${field(t('debates.web.admin.phase_title'), `${at}.title`, (a) => html`<input ${a} value="${v[`${at}.title`] ?? ''}" maxlength="200">`, { errors: e[`${at}.title`] })}
${field(t('debates.web.admin.phase_summary'), `${at}.summary`, (a) => html`<textarea ${a} rows="2">${v[`${at}.summary`] ?? ''}</textarea>`, {
  hint: t('debates.web.admin.phase_summary_hint'),
  errors: e[`${at}.summary`],
})}
${field(t('debates.web.admin.starts_on'), `${at}.starts_on`, (a) => html`<input type="date" ${a} value="${v[`${at}.starts_on`] ?? ''}">`, { errors: e[`${at}.starts_on`] })}
${field(t('debates.web.admin.ends_on'), `${at}.ends_on`, (a) => html`<input type="date" ${a} value="${v[`${at}.ends_on`] ?? ''}">`, { errors: e[`${at}.ends_on`] })}</fieldset>`;
})}</fieldset>
<button type="submit">${t('debates.staff.save')}</button></form>${o.members ? membersForm(ctx, o.base, o.members) : ''}`;
}

/** Whether a host runs the debate for its members (0750), and who they are; shown when it has members. */
export interface MembersSetting {
  on: boolean;
  names: string[];
  errors?: string[];
}

function membersForm(ctx: RequestContext, base: string, m: MembersSetting): Html {
  const t = ctx.t;
  return html`<form method="post" action="${base}/gestion/membres" id="for-members">${csrf(ctx)}
<fieldset><legend>${t('debates.members.legend')}</legend><p class="hint" id="for-members-hint">${t('debates.members.hint', { members: m.names.join(', ') })}</p>
${m.errors?.length ? html`<p class="error" id="for-members-error">${m.errors.join(' ')}</p>` : ''}
<div class="field"><input type="checkbox" id="f-for_members" name="for_members" value="on" aria-describedby="for-members-hint"${m.on ? html` checked` : ''}> <label for="f-for_members">${t('debates.members.checkbox')}</label></div>
</fieldset><button type="submit">${t('debates.members.save')}</button></form>`;
}

/** A labelled control whose id is not its name (several forms of one page share names). */
function control(label: string, id: string, errors: string[] | undefined, make: (attrs: Html) => Html): Html {
  const attrs = html`id="${id}"${errors?.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}`;
  return html`<div class="field${errors?.length ? ' has-error' : ''}"><label for="${id}">${label}</label>${errors?.length ? html`<p class="error" id="${id}-error">${errors.join(' ')}</p>` : ''}${make(attrs)}</div>`;
}

/** The FAQ or the questions to ask: each item its own form (save, move up or down, remove), then a new one. */
export function listBody(
  ctx: RequestContext,
  o: { base: string; debate: DebateRow; kind: ListKind; items: ListItem[]; failed: { id: string; values: Values; errors: Errors } | null; notice: Html },
): Html {
  const t = ctx.t;
  const [fa, fb] = LIST_TABLES[o.kind].fields;
  const action = `${o.base}/gestion/${o.kind}`;
  const form = (id: string, item: { a: string; b: string } | null, n: number) => {
    const failed = o.failed?.id === id ? o.failed : null;
    const va = failed ? (failed.values[fa] ?? '') : (item?.a ?? '');
    const vb = failed ? (failed.values[fb] ?? '') : (item?.b ?? '');
    const label = item ? html`<span class="visually-hidden"> (${n})</span>` : html``;
    return html`<form method="post" action="${action}" id="item-${id}">${csrf(ctx)}${item ? html`<input type="hidden" name="id" value="${id}">` : ''}
${control(t(`debates.staff.${o.kind}.${fa}`), `f-${id}-${fa}`, failed?.errors[fa], (a) => html`<input ${a} name="${fa}" value="${va}" maxlength="${o.kind === 'faq' ? 500 : 200}" required>`)}
${control(t(`debates.staff.${o.kind}.${fb}`), `f-${id}-${fb}`, failed?.errors[fb], (a) => html`<textarea ${a} name="${fb}" rows="${o.kind === 'faq' ? 5 : 3}" required>${vb}</textarea>`)}
${
  item
    ? html`<button type="submit" name="do" value="save">${t('debates.staff.save')}${label}</button> <button type="submit" name="do" value="up" class="secondary">${t('debates.staff.up')}${label}</button> <button type="submit" name="do" value="down" class="secondary">${t('debates.staff.down')}${label}</button> <button type="submit" name="do" value="remove" class="danger">${t('debates.staff.remove')}${label}</button>`
    : html`<button type="submit" name="do" value="save">${t(`debates.staff.${o.kind}.add`)}</button>`
}</form>`;
  };
  return html`${staffHeader(ctx, o.base, o.debate, `/${o.kind}`, o.notice)}${o.failed ? html`<div class="error-summary" role="alert"><h2>${t('core.form.error_summary')}</h2><ul>${Object.entries(o.failed.errors).map(([k, m]) => html`<li><a href="#f-${o.failed!.id}-${k}">${m.join(' ')}</a></li>`)}</ul></div>` : ''}
<p>${t(`debates.staff.${o.kind}.intro`)}</p>
${o.items.length ? html`<ol class="cards">${o.items.map((item, i) => html`<li class="card">${form(item.id, item, i + 1)}</li>`)}</ol>` : html`<p>${t('debates.staff.empty')}</p>`}
<h2>${t(`debates.staff.${o.kind}.add`)}</h2>${form('new', null, 0)}`;
}

/** The values of a meeting's form (local day and times in the debates' time zone). */
export function meetingValues(m: MeetingRow): Values {
  const s = instantToLocal(m.starts_at);
  const e = instantToLocal(m.ends_at);
  return {
    title: m.title,
    format: m.format,
    description: m.description,
    place: m.place,
    online_url: m.online_url ?? '',
    day: s.day,
    start: s.time,
    end: e.time,
    capacity: m.capacity === null ? '' : String(m.capacity),
  };
}

export function meetingForm(ctx: RequestContext, action: string, v: Values, e: Errors, submit: string): Html {
  const t = ctx.t;
  return html`<form method="post" action="${action}">${csrf(ctx)}
${field(t('debates.staff.meeting.title'), 'title', (a) => html`<input ${a} value="${v.title ?? ''}" maxlength="200">`, { errors: e.title, required: true })}
${radios(ctx, 'format', MEETING_FORMATS, v.format || 'in_person', (f) => t(`debates.meetings.format.${f}`), e.format)}
${field(t('debates.staff.meeting.place'), 'place', (a) => html`<input ${a} value="${v.place ?? ''}" maxlength="300">`, { hint: t('debates.staff.meeting.place_hint'), errors: e.place })}
${field(t('debates.staff.meeting.online_url'), 'online_url', (a) => html`<input type="url" ${a} value="${v.online_url ?? ''}" maxlength="2000">`, {
  hint: t('debates.staff.meeting.online_url_hint'),
  errors: e.online_url,
})}
${field(t('debates.staff.meeting.day'), 'day', (a) => html`<input type="date" ${a} value="${v.day ?? ''}">`, { errors: e.day, required: true })}
${field(t('debates.staff.meeting.start'), 'start', (a) => html`<input type="time" ${a} value="${v.start ?? ''}">`, { errors: e.start, required: true })}
${field(t('debates.staff.meeting.end'), 'end', (a) => html`<input type="time" ${a} value="${v.end ?? ''}">`, { errors: e.end, required: true })}
${field(t('debates.staff.meeting.capacity'), 'capacity', (a) => html`<input ${a} inputmode="numeric" value="${v.capacity ?? ''}" maxlength="6">`, {
  hint: t('debates.staff.meeting.capacity_hint'),
  errors: e.capacity,
})}
${field(t('debates.staff.meeting.description'), 'description', (a) => html`<textarea ${a} rows="4">${v.description ?? ''}</textarea>`, { errors: e.description })}
<button type="submit">${submit}</button></form>`;
}

export function meetingsStaffBody(
  ctx: RequestContext,
  o: { base: string; debate: DebateRow; meetings: MeetingRow[]; values: Values; errors: Errors; notice: Html },
): Html {
  const t = ctx.t;
  return html`${staffHeader(ctx, o.base, o.debate, '/reunions', o.notice)}${errorSummary(ctx, o.errors)}
${
  o.meetings.length
    ? html`<table><caption>${t('debates.meetings.title')}</caption><thead><tr><th scope="col">${t('debates.staff.meeting.title')}</th><th scope="col">${t('debates.staff.meeting.when')}</th><th scope="col">${t('debates.staff.meeting.registered')}</th></tr></thead><tbody>
${o.meetings.map(
  (m) =>
    html`<tr><td><a href="${o.base}/gestion/reunions/${m.id}">${m.title}</a>${m.cancelled ? html` <span class="badge">${t('debates.meetings.cancelled')}</span>` : ''}</td><td>${formatDateTime(ctx.locale, m.starts_at)}</td><td>${m.capacity === null ? String(m.registered) : `${m.registered} / ${m.capacity}`}</td></tr>`,
)}</tbody></table>`
    : html`<p>${t('debates.meetings.none')}</p>`
}
<h2>${t('debates.staff.meeting.new')}</h2>${meetingForm(ctx, `${o.base}/gestion/reunions`, o.values, o.errors, t('debates.staff.meeting.create'))}`;
}

export function meetingStaffBody(
  ctx: RequestContext,
  o: { base: string; debate: DebateRow; meeting: MeetingRow; values: Values; errors: Errors; notice: Html },
): Html {
  const t = ctx.t;
  const m = o.meeting;
  const action = `${o.base}/gestion/reunions/${m.id}`;
  return html`${staffHeader(ctx, o.base, o.debate, '/reunions', o.notice)}
<p><a href="${o.base}/gestion/reunions">${t('debates.staff.meeting.back')}</a> · <a href="${o.base}/reunions/${m.id}">${t('debates.staff.meeting.public')}</a></p>
<h2>${m.title}</h2>${m.cancelled ? html`<p class="notice">${t('debates.meetings.cancelled')}</p>` : ''}
<p>${t('debates.staff.meeting.registered_count', { count: m.registered })}</p>
${errorSummary(ctx, o.errors)}${meetingForm(ctx, action, o.values, o.errors, t('debates.staff.save'))}
<h2>${m.cancelled ? t('debates.staff.meeting.restore') : t('debates.staff.meeting.cancel')}</h2><p>${t(m.cancelled ? 'debates.staff.meeting.restore_hint' : 'debates.staff.meeting.cancel_hint')}</p>
<form method="post" action="${action}/${m.cancelled ? 'retablir' : 'annuler'}">${csrf(ctx)}<button type="submit" class="${m.cancelled ? 'secondary' : 'danger'}">${m.cancelled ? t('debates.staff.meeting.restore') : t('debates.staff.meeting.cancel')}</button></form>
<h2>${t('debates.meetings.minutes')}</h2><p>${m.minutes ? t('debates.staff.meeting.minutes_done') : t('debates.staff.meeting.minutes_hint')} <a href="${o.base}/reunions/${m.id}">${t('debates.staff.meeting.public')}</a></p>`;
}

function size(ctx: RequestContext, bytes: number | null): string {
  if (bytes === null) return '';
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${mb.toLocaleString(ctx.locale, { maximumFractionDigits: 1 })} Mo` : `${Math.max(1, Math.round(bytes / 1024))} Ko`;
}

export function documentsStaffBody(
  ctx: RequestContext,
  o: { base: string; debate: DebateRow; documents: DocumentRow[]; maxMb: number; values: Values; errors: Errors; notice: Html },
): Html {
  const t = ctx.t;
  const docs = o.documents.filter((d) => !d.dataset_slug);
  const { values: v, errors: e } = o;
  return html`${staffHeader(ctx, o.base, o.debate, '/documents', o.notice)}${errorSummary(ctx, e)}
${
  docs.length
    ? html`<table><caption>${t('debates.kits.info.documents')}</caption><thead><tr><th scope="col">${t('debates.staff.document.title')}</th><th scope="col">${t('debates.staff.document.source')}</th><th scope="col">${t('debates.staff.actions')}</th></tr></thead><tbody>
${docs.map(
  (d) =>
    html`<tr><td>${d.url ? html`<a href="${d.url}" rel="noopener">${d.title}</a>` : html`<a href="${o.base}/documents/${d.id}">${d.title}</a>`}</td><td>${d.url ? d.publisher || t('debates.staff.document.link') : `${d.filename ?? ''} (${size(ctx, d.byte_size)})`}</td>
<td><form method="post" action="${o.base}/gestion/documents/${d.id}/retirer">${csrf(ctx)}<button type="submit" class="danger">${t('debates.staff.remove')}<span class="visually-hidden"> : ${d.title}</span></button></form></td></tr>`,
)}</tbody></table>`
    : html`<p>${t('debates.staff.empty')}</p>`
}
<h2>${t('debates.staff.document.upload')}</h2><p>${t('debates.staff.document.upload_hint', { max: o.maxMb })}</p>
<form method="post" action="${o.base}/gestion/documents/televerser?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
${field(t('debates.staff.document.title'), 'title', (a) => html`<input ${a} value="${v.title ?? ''}" maxlength="300">`, { errors: e.title, required: true })}
${field(t('debates.staff.document.file'), 'file', (a) => html`<input type="file" ${a} accept=".pdf,.odt,.ods,.odp,.docx,application/pdf">`, { errors: e.file, required: true })}
<button type="submit">${t('debates.staff.document.upload_submit')}</button></form>
<h2>${t('debates.staff.document.add_link')}</h2>
<form method="post" action="${o.base}/gestion/documents/lien">${csrf(ctx)}
${field(t('debates.staff.document.title'), 'link_title', (a) => html`<input ${a} value="${v.link_title ?? ''}" maxlength="300">`, { errors: e.link_title, required: true })}
${field(t('debates.staff.document.publisher'), 'publisher', (a) => html`<input ${a} value="${v.publisher ?? ''}" maxlength="200">`, { errors: e.publisher })}
${field(t('debates.staff.document.url'), 'url', (a) => html`<input type="url" ${a} value="${v.url ?? ''}" maxlength="2000">`, { errors: e.url, required: true })}
<button type="submit">${t('debates.staff.document.add_link')}</button></form>`;
}

export interface SlotView {
  dataset_key: string;
  title: string;
  row_count: number;
  loaded_at: Date | null;
  source_note: string;
}

export function dataStaffBody(
  ctx: RequestContext,
  o: {
    base: string;
    debate: DebateRow;
    linked: DocumentRow[];
    available: Array<{ slug: string; title: string }>;
    slots: SlotView[];
    errors: Errors;
    /** The slot whose upload was refused, and its messages (one per line at fault). */
    refused: { key: string; messages: string[] } | null;
    maxMb: number;
    notice: Html;
  },
): Html {
  const t = ctx.t;
  const linkedSlugs = new Set(o.linked.map((d) => d.dataset_slug));
  const choices = o.available.filter((d) => !linkedSlugs.has(d.slug));
  return html`${staffHeader(ctx, o.base, o.debate, '/donnees', o.notice)}${errorSummary(ctx, o.errors)}
<h2>${t('debates.staff.data.catalogue')}</h2><p>${t('debates.staff.data.catalogue_hint')}</p>
${
  o.linked.length
    ? html`<ul>${o.linked.map(
        (d) =>
          html`<li><a href="/${ctx.tenant!.slug}/donnees/${d.dataset_slug}">${d.title}</a> <form method="post" action="${o.base}/gestion/documents/${d.id}/retirer" class="inline">${csrf(ctx)}<button type="submit" class="danger">${t('debates.staff.data.unlink')}<span class="visually-hidden"> : ${d.title}</span></button></form></li>`,
      )}</ul>`
    : html`<p>${t('debates.staff.data.none_linked')}</p>`
}
${
  choices.length
    ? html`<form method="post" action="${o.base}/gestion/donnees/lier">${csrf(ctx)}${field(
        t('debates.staff.data.dataset'),
        'dataset',
        (a) => html`<select ${a}>${choices.map((d) => html`<option value="${d.slug}">${d.title}</option>`)}</select>`,
        { errors: o.errors.dataset },
      )}<button type="submit">${t('debates.staff.data.link')}</button></form>`
    : html`<p>${t('debates.staff.data.none_available')}</p>`
}
${o.slots.map((s) => {
  const refused = o.refused?.key === s.dataset_key ? o.refused.messages : null;
  const id = `f-anfr-${s.dataset_key}`;
  return html`<h2>${s.title}</h2>
<p>${s.loaded_at ? t('debates.staff.anfr.loaded', { count: s.row_count, date: formatDateTime(ctx.locale, s.loaded_at) }) : t('debates.kits.info.not_loaded')}${s.source_note ? html` — ${s.source_note}` : ''}</p>
<p>${t('debates.staff.anfr.hint', { max: o.maxMb })}</p>
<form method="post" action="${o.base}/gestion/donnees/${s.dataset_key}/anfr?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
<div class="field${refused ? ' has-error' : ''}"><label for="${id}">${t('debates.staff.anfr.file')}</label>${
    refused
      ? html`<div class="error" id="${id}-error" role="alert"><p>${t('debates.staff.anfr.refused')}</p><ul>${refused.map((m) => html`<li>${m}</li>`)}</ul></div>`
      : ''
  }<input type="file" id="${id}" name="file" accept=".csv,.txt,text/csv" required${refused ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></div>
<div class="field"><label for="${id}-note">${t('debates.staff.anfr.note')}</label><input id="${id}-note" name="note" maxlength="500"></div>
<button type="submit">${t('debates.staff.anfr.submit')}</button></form>`;
})}`;
}

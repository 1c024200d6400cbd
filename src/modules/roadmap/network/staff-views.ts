// Templates of the network secretariat's pages (staff-forms.ts): the management index, and the forms of
// bodies, seats, meetings, contributions (text, versions of the document, adoption), events with their
// programme, and support programmes. No SQL, no script: plain forms that work without JavaScript.
import type { RequestContext } from '../../../core/base/context.ts';
import { html, type Html } from '../../../core/views/html.ts';
import { csrfField, errorSummary, input, notice, select, submit, textarea } from '../../../core/views/forms.ts';
import type { BodyRow, ContributionRow, EventRow, MeetingRow, MemberRow, ProgrammeRow, SeatRow, VersionRow } from './network.repository.ts';
import { BLANK_SESSIONS, BODY_KINDS, EVENT_KINDS, VISIBILITIES, sessionField, sessionRows, type Errors, type Values } from './staff-fields.ts';

const k = (ctx: RequestContext, key: string, params?: Record<string, string | number>) => ctx.t(`roadmap.network.staff.${key}`, params);
const day = (ctx: RequestContext, iso: string | null) =>
  iso ? new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)) : '';

function labelsOf(ctx: RequestContext, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, k(ctx, `field.${n}`)]));
}

function back(href: string, label: string): Html {
  return html`<p><a href="${href}">${label}</a></p>`;
}

/** A small form with one button (remove a seat…). */
function buttonForm(ctx: RequestContext, action: string, label: string, extra: Html | string = ''): Html {
  return html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}${extra}${submit(label)}</form>`;
}

// ---- the index -------------------------------------------------------------------------------------------

export function indexBody(
  ctx: RequestContext,
  base: string,
  d: { bodies: BodyRow[]; contributions: ContributionRow[]; events: EventRow[]; programmes: ProgrammeRow[] },
  saved: boolean,
): Html {
  const home = base.replace(/\/gestion$/, '');
  return html`${back(home, ctx.tenant!.name)}
<h1>${k(ctx, 'title')}</h1>
${saved ? notice(k(ctx, 'saved')) : ''}
<p>${k(ctx, 'intro')}</p>
<h2>${ctx.t('roadmap.network.bodies')}</h2>
${d.bodies.length ? html`<ul>${d.bodies.map((b) => html`<li><a href="${base}/instances/${b.slug}">${b.name}</a> (${ctx.t(`roadmap.network.kind.${b.kind}`)})</li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<p><a href="${base}/instances/nouvelle">${k(ctx, 'body_new')}</a></p>
<h2>${ctx.t('roadmap.network.contributions')}</h2>
${d.contributions.length ? html`<ul>${d.contributions.map((c) => html`<li><a href="${base}/contributions/${c.slug}">${c.title}</a> (${ctx.t(`roadmap.network.state.${c.state}`)})</li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<p><a href="${base}/contributions/nouvelle">${k(ctx, 'contribution_new')}</a></p>
<h2>${ctx.t('roadmap.network.events')}</h2>
${d.events.length ? html`<ul>${d.events.map((e) => html`<li><a href="${base}/evenements/${e.slug}">${e.title}</a> (${day(ctx, e.starts_on)})</li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<p><a href="${base}/evenements/nouveau">${k(ctx, 'event_new')}</a></p>
<h2>${ctx.t('roadmap.network.programmes')}</h2>
${d.programmes.length ? html`<ul>${d.programmes.map((p) => html`<li><a href="${base}/programmes/${p.slug}">${p.name}</a></li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<p><a href="${base}/programmes/nouveau">${k(ctx, 'programme_new')}</a></p>`;
}

// ---- bodies ------------------------------------------------------------------------------------------------

function slugField(ctx: RequestContext, values: Values, e?: Errors): Html {
  return input(ctx, {
    name: 'slug',
    label: k(ctx, 'field.slug'),
    value: values.slug,
    required: true,
    hint: k(ctx, 'slug_hint'),
    errors: e,
    attrs: html` maxlength="80"`,
  });
}

export function bodyForm(ctx: RequestContext, o: { base: string; action: string; creating: boolean; values: Values; errors?: Errors; title: string }): Html {
  const e = o.errors;
  return html`${back(o.base, k(ctx, 'title'))}
<h1>${o.title}</h1>
${errorSummary(ctx, e, labelsOf(ctx, ['slug', 'kind', 'name', 'description']))}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${o.creating ? slugField(ctx, o.values, e) : ''}
${select(ctx, { name: 'kind', label: k(ctx, 'field.kind'), value: o.values.kind, required: true, errors: e, options: BODY_KINDS.map((x) => ({ value: x, label: ctx.t(`roadmap.network.kind.${x}`) })) })}
${input(ctx, { name: 'name', label: k(ctx, 'field.name'), value: o.values.name, required: true, errors: e })}
${textarea(ctx, { name: 'description', label: k(ctx, 'field.description'), value: o.values.description, rows: 4, errors: e })}
${submit(ctx.t('roadmap.network.forms.save'))}
</form>`;
}

export function bodyPage(
  ctx: RequestContext,
  o: {
    base: string;
    body: BodyRow;
    seats: SeatRow[];
    meetings: MeetingRow[];
    values: Values;
    errors?: Errors;
    removeError?: string;
    saved: boolean;
    publicHref: string;
  },
): Html {
  const b = `${o.base}/instances/${o.body.slug}`;
  return html`${bodyForm(ctx, { base: o.base, action: b, creating: false, values: o.values, errors: o.errors, title: o.body.name })}
${o.saved ? notice(k(ctx, 'saved')) : ''}
<p><a href="${o.publicHref}">${k(ctx, 'public_page')}</a></p>
<h2>${ctx.t('roadmap.network.seats')}</h2>
${
  o.seats.length
    ? html`<table><caption class="visually-hidden">${ctx.t('roadmap.network.seats')}</caption>
<thead><tr><th scope="col">${ctx.t('roadmap.network.seat_role')}</th><th scope="col">${ctx.t('roadmap.network.member')}</th><th scope="col">${ctx.t('roadmap.network.holder')}</th><th scope="col">${k(ctx, 'mandate')}</th><th scope="col">${k(ctx, 'actions')}</th></tr></thead>
<tbody>${o.seats.map(
        (s) =>
          html`<tr><td>${s.seat_role}</td><td>${s.member_name}</td><td>${s.holder_name}${s.holder_title ? html`, ${s.holder_title}` : ''}</td><td>${s.since ? day(ctx, s.since) : '…'} – ${s.until ? day(ctx, s.until) : '…'}</td>
<td><a href="${b}/sieges/${s.id}">${k(ctx, 'edit_seat', { role: s.seat_role, member: s.member_name })}</a> ${buttonForm(ctx, `${b}/sieges/${s.id}/supprimer`, k(ctx, 'remove_seat', { role: s.seat_role, member: s.member_name }))}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${k(ctx, 'none')}</p>`
}
<p><a href="${b}/sieges/nouveau">${k(ctx, 'seat_new')}</a></p>
<h2>${ctx.t('roadmap.network.meetings')}</h2>
${o.meetings.length ? html`<ul>${o.meetings.map((m) => html`<li><a href="${b}/reunions/${m.id}">${day(ctx, m.held_on)} – ${m.title}</a></li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<p><a href="${b}/reunions/nouvelle">${k(ctx, 'meeting_new')}</a></p>
<h2>${k(ctx, 'body_remove')}</h2>
<p>${k(ctx, 'body_remove_hint')}</p>
${o.removeError ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><p>${o.removeError}</p></div>` : ''}
<form method="post" action="${b}/supprimer">${csrfField(ctx)}
<div class="field"><input type="checkbox" id="field-confirm" name="confirm" value="yes"> <label for="field-confirm">${k(ctx, 'confirm', { name: o.body.name })}</label></div>
${submit(k(ctx, 'body_remove'))}
</form>`;
}

// ---- seats -------------------------------------------------------------------------------------------------

export function seatForm(
  ctx: RequestContext,
  o: { bodyHref: string; body: BodyRow; action: string; members: MemberRow[]; values: Values; errors?: Errors; creating: boolean },
): Html {
  const e = o.errors;
  const names = ['member', 'seat_role', 'holder_name', 'holder_title', 'since', 'until'];
  const title = o.creating ? k(ctx, 'seat_new') : k(ctx, 'seat_edit');
  return html`${back(o.bodyHref, o.body.name)}
<h1>${title} — ${o.body.name}</h1>
${errorSummary(ctx, e, labelsOf(ctx, names))}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${select(ctx, { name: 'member', label: k(ctx, 'field.member'), value: o.values.member, required: true, errors: e, placeholder: '—', options: o.members.map((m) => ({ value: m.slug, label: m.name })) })}
${input(ctx, { name: 'seat_role', label: k(ctx, 'field.seat_role'), value: o.values.seat_role, required: true, hint: k(ctx, 'seat_role_hint'), errors: e })}
${input(ctx, { name: 'holder_name', label: k(ctx, 'field.holder_name'), value: o.values.holder_name, errors: e, autocomplete: 'off' })}
${input(ctx, { name: 'holder_title', label: k(ctx, 'field.holder_title'), value: o.values.holder_title, errors: e })}
${input(ctx, { name: 'since', label: k(ctx, 'field.since'), type: 'date', value: o.values.since, errors: e })}
${input(ctx, { name: 'until', label: k(ctx, 'field.until'), type: 'date', value: o.values.until, errors: e })}
<p class="hint">${k(ctx, 'seat_privacy')}</p>
${submit(ctx.t('roadmap.network.forms.save'))}
</form>`;
}

// ---- meetings ----------------------------------------------------------------------------------------------

export function meetingForm(
  ctx: RequestContext,
  o: { bodyHref: string; body: BodyRow; action: string; values: Values; errors?: Errors; creating: boolean; minutesHref?: string },
): Html {
  const e = o.errors;
  const title = o.creating ? k(ctx, 'meeting_new') : k(ctx, 'meeting_edit');
  return html`${back(o.bodyHref, o.body.name)}
<h1>${title} — ${o.body.name}</h1>
${errorSummary(ctx, e, labelsOf(ctx, ['held_on', 'title', 'place', 'agenda']))}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${input(ctx, { name: 'held_on', label: k(ctx, 'field.held_on'), type: 'date', value: o.values.held_on, required: true, errors: e })}
${input(ctx, { name: 'title', label: k(ctx, 'field.title'), value: o.values.title, required: true, errors: e })}
${input(ctx, { name: 'place', label: k(ctx, 'field.place'), value: o.values.place, errors: e })}
${textarea(ctx, { name: 'agenda', label: k(ctx, 'field.agenda'), value: o.values.agenda, rows: 6, hint: k(ctx, 'lines_hint', { max: 50 }), errors: e })}
${submit(ctx.t('roadmap.network.forms.save'))}
</form>
${o.minutesHref ? html`<p><a href="${o.minutesHref}">${ctx.t('roadmap.network.forms.minutes_title')}</a></p>` : ''}`;
}

// ---- contributions -----------------------------------------------------------------------------------------

function visibilitySelect(ctx: RequestContext, values: Values, e?: Errors): Html {
  return select(ctx, {
    name: 'visibility',
    label: k(ctx, 'field.visibility'),
    value: values.visibility,
    errors: e,
    options: VISIBILITIES.map((v) => ({ value: v, label: k(ctx, `visibility.${v}`) })),
  });
}

export function contributionForm(
  ctx: RequestContext,
  o: { base: string; action: string; creating: boolean; values: Values; errors?: Errors; title: string },
): Html {
  const e = o.errors;
  return html`${back(o.base, k(ctx, 'title'))}
<h1>${o.title}</h1>
${errorSummary(ctx, e, labelsOf(ctx, ['slug', 'title', 'summary', 'body', 'topics', 'visibility']))}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${o.creating ? slugField(ctx, o.values, e) : ''}
${input(ctx, { name: 'title', label: k(ctx, 'field.title'), value: o.values.title, required: true, errors: e })}
${textarea(ctx, { name: 'summary', label: k(ctx, 'field.summary'), value: o.values.summary, rows: 4, errors: e })}
${textarea(ctx, { name: 'body', label: k(ctx, 'field.body'), value: o.values.body, rows: 12, hint: k(ctx, 'body_hint'), errors: e })}
${textarea(ctx, { name: 'topics', label: k(ctx, 'field.topics'), value: o.values.topics, rows: 4, hint: k(ctx, 'lines_hint', { max: 30 }), errors: e })}
${visibilitySelect(ctx, o.values, e)}
${submit(ctx.t('roadmap.network.forms.save'))}
</form>`;
}

export function contributionPage(
  ctx: RequestContext,
  o: {
    base: string;
    c: ContributionRow;
    values: Values;
    errors?: Errors;
    versions: VersionRow[];
    fileError?: string;
    bodies: BodyRow[];
    adoption: Values;
    adoptionErrors?: Errors;
    saved: boolean;
    publicHref: string;
  },
): Html {
  const href = `${o.base}/contributions/${o.c.slug}`;
  const ae = o.adoptionErrors;
  const adoptedBy = o.bodies.find((b) => b.id === o.c.adopted_by);
  return html`${contributionForm(ctx, { base: o.base, action: href, creating: false, values: o.values, errors: o.errors, title: o.c.title })}
${o.saved ? notice(k(ctx, 'saved')) : ''}
<p><a href="${o.publicHref}">${k(ctx, 'public_page')}</a></p>
<h2>${ctx.t('roadmap.network.versions')}</h2>
${o.versions.length ? html`<ul>${o.versions.map((v) => html`<li>${ctx.t('roadmap.network.version', { n: v.version })} – ${v.file_name}${v.note ? html` – ${v.note}` : ''}</li>`)}</ul>` : html`<p>${k(ctx, 'none')}</p>`}
<form method="post" action="${href}/versions?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data">
<div class="field${o.fileError ? ' has-error' : ''}"><label for="field-file">${k(ctx, 'field.file')}</label>
<p class="hint" id="hint-file">${k(ctx, 'file_hint')}</p>${o.fileError ? html`<p class="error" id="error-file">${o.fileError}</p>` : ''}
<input id="field-file" name="file" type="file" accept=".pdf,.odt,.docx,application/pdf,application/vnd.oasis.opendocument.text,application/vnd.openxmlformats-officedocument.wordprocessingml.document" required aria-describedby="hint-file${o.fileError ? ' error-file' : ''}"${o.fileError ? html` aria-invalid="true"` : ''}></div>
<div class="field"><label for="field-note">${k(ctx, 'field.note')}</label><input id="field-note" name="note" maxlength="2000"></div>
${submit(k(ctx, 'version_add'))}
</form>
<h2>${k(ctx, 'adoption')}</h2>
${
  o.c.state === 'draft'
    ? html`${errorSummary(ctx, ae, { ...labelsOf(ctx, ['adopted_on', 'visibility']), body: k(ctx, 'field.adopted_by') })}<form method="post" action="${href}/adoption" novalidate>${csrfField(ctx)}
${select(ctx, { name: 'body', label: k(ctx, 'field.adopted_by'), value: o.adoption.body, required: true, errors: ae, placeholder: '—', options: o.bodies.map((b) => ({ value: b.slug, label: b.name })) })}
${input(ctx, { name: 'adopted_on', label: k(ctx, 'field.adopted_on'), type: 'date', value: o.adoption.adopted_on, required: true, errors: ae })}
${visibilitySelect(ctx, o.adoption, ae)}
${submit(k(ctx, 'adopt'))}
</form>`
    : html`<p>${adoptedBy ? ctx.t('roadmap.network.adopted_by', { body: adoptedBy.name, date: day(ctx, o.c.adopted_on) }) : ctx.t(`roadmap.network.state.${o.c.state}`)}</p>`
}`;
}

// ---- events --------------------------------------------------------------------------------------------------

export function eventForm(
  ctx: RequestContext,
  o: { base: string; action: string; creating: boolean; values: Values; errors?: Errors; title: string; publicHref?: string; saved?: boolean },
): Html {
  const e = o.errors;
  const rows = Math.max(sessionRows(o.values), 0) + BLANK_SESSIONS;
  const names = ['slug', 'kind', 'title', 'description', 'starts_on', 'ends_on', 'place', 'online'];
  const labels = labelsOf(ctx, names);
  for (let i = 0; i < rows; i++)
    for (const f of ['starts_at', 'ends_at', 'title', 'speakers'] as const)
      labels[sessionField(i, f)] = `${k(ctx, 'session_n', { n: i + 1 })}, ${k(ctx, `field.session_${f}`)}`;
  const cell = (i: number, f: 'starts_at' | 'ends_at' | 'title' | 'speakers') =>
    input(ctx, {
      name: sessionField(i, f),
      label: k(ctx, `field.session_${f}`),
      type: f === 'starts_at' || f === 'ends_at' ? 'datetime-local' : 'text',
      value: o.values[sessionField(i, f)],
      errors: e,
    });
  return html`${back(o.base, k(ctx, 'title'))}
<h1>${o.title}</h1>
${o.saved ? notice(k(ctx, 'saved')) : ''}
${errorSummary(ctx, e, labels)}
${o.publicHref ? html`<p><a href="${o.publicHref}">${k(ctx, 'public_page')}</a></p>` : ''}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${o.creating ? slugField(ctx, o.values, e) : ''}
${select(ctx, { name: 'kind', label: k(ctx, 'field.kind'), value: o.values.kind, required: true, errors: e, options: EVENT_KINDS.map((x) => ({ value: x, label: k(ctx, `event_kind.${x}`) })) })}
${input(ctx, { name: 'title', label: k(ctx, 'field.title'), value: o.values.title, required: true, errors: e })}
${textarea(ctx, { name: 'description', label: k(ctx, 'field.description'), value: o.values.description, rows: 4, errors: e })}
${input(ctx, { name: 'starts_on', label: k(ctx, 'field.starts_on'), type: 'date', value: o.values.starts_on, required: true, errors: e })}
${input(ctx, { name: 'ends_on', label: k(ctx, 'field.ends_on'), type: 'date', value: o.values.ends_on, required: true, errors: e })}
${input(ctx, { name: 'place', label: k(ctx, 'field.place'), value: o.values.place, errors: e })}
${select(ctx, { name: 'online', label: k(ctx, 'field.online'), value: o.values.online ?? 'no', errors: e, options: ['no', 'yes'].map((v) => ({ value: v, label: k(ctx, `online.${v}`) })) })}
<h2>${ctx.t('roadmap.network.programme_of_event')}</h2>
<p class="hint">${k(ctx, 'sessions_hint', { blank: BLANK_SESSIONS })}</p>
${Array.from({ length: rows }, (_, i) => html`<fieldset><legend>${k(ctx, 'session_n', { n: i + 1 })}</legend>${cell(i, 'starts_at')}${cell(i, 'ends_at')}${cell(i, 'title')}${cell(i, 'speakers')}</fieldset>`)}
${submit(ctx.t('roadmap.network.forms.save'))}
</form>`;
}

// ---- programmes ----------------------------------------------------------------------------------------------

export function programmeForm(
  ctx: RequestContext,
  o: { base: string; action: string; creating: boolean; values: Values; errors?: Errors; title: string; saved?: boolean },
): Html {
  const e = o.errors;
  return html`${back(o.base, k(ctx, 'title'))}
<h1>${o.title}</h1>
${o.saved ? notice(k(ctx, 'saved')) : ''}
${errorSummary(ctx, e, labelsOf(ctx, ['slug', 'name', 'description', 'link']))}
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
${o.creating ? slugField(ctx, o.values, e) : ''}
${input(ctx, { name: 'name', label: k(ctx, 'field.name'), value: o.values.name, required: true, errors: e })}
${textarea(ctx, { name: 'description', label: k(ctx, 'field.description'), value: o.values.description, rows: 5, errors: e })}
${input(ctx, { name: 'link', label: k(ctx, 'field.link'), type: 'url', value: o.values.link, hint: k(ctx, 'link_hint'), errors: e })}
${submit(ctx.t('roadmap.network.forms.save'))}
</form>`;
}

// Citizen pages of a debate beyond its contributions: information (FAQ, documents, questions, datasets
// as accessible tables), meetings (with the iCal link, registration, minutes), results (answers, synthesis,
// open dataset). Plain French, no script.
import { html, type Html } from '../../../../core/views/html.ts';
import { csrfField } from '../../../../core/views/forms.ts';
import type { RequestContext } from '../../../../core/base/context.ts';
import { formatDateTime } from '../../../../core/i18n/i18n.ts';
import type { DebateRow } from '../../debates.repository.ts';
import type { DebateContents } from '../kits.repository.ts';
import type { MeetingRow } from '../meetings.repository.ts';
import type { RadioSite } from '../anfr-sites.ts';
import { paragraphs } from '../../views/common.ts';
import { canModerate } from '../../debates.policy.ts';
import type { PublishedDatasetPreview } from '../../../catalogue/index.ts';

export function subNav(ctx: RequestContext, base: string, current: string): Html {
  const links = [
    ['', 'debates.kits.nav.debate'],
    ['/informations', 'debates.kits.nav.information'],
    ['/reunions', 'debates.kits.nav.meetings'],
    ['/resultats', 'debates.kits.nav.results'],
    // The team's pages (routes/staff-pages.ts).
    ...(canModerate(ctx) ? [['/gestion', 'debates.staff.nav.manage']] : []),
  ];
  return html`<nav aria-label="${ctx.t('debates.kits.nav.label')}"><ul class="inline">${links.map(([path, key]) =>
    path === current
      ? html`<li><a href="${base}${path}" aria-current="page">${ctx.t(key!)}</a></li>`
      : html`<li><a href="${base}${path}">${ctx.t(key!)}</a></li>`,
  )}</ul></nav>`;
}

/** Columns of a linked dataset shown on the information page (the whole dataset is a link away). */
const PREVIEW_COLUMNS = 8;

/** A linked catalogue dataset as an accessible table: its first rows, a caption, column headers. */
export function datasetPreview(ctx: RequestContext, p: PublishedDatasetPreview): Html {
  const header = p.header.slice(0, PREVIEW_COLUMNS);
  return html`<table><caption>${ctx.t('debates.staff.preview.caption', { title: p.title, count: p.rows.length })}</caption>
<thead><tr>${header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${p.rows.map((r) => html`<tr>${header.map((_, i) => html`<td>${r[i] ?? ''}</td>`)}</tr>`)}</tbody></table>
<p><a href="/${ctx.tenant!.slug}/donnees/${p.slug}">${ctx.t('debates.staff.preview.full')}<span class="visually-hidden"> : ${p.title}</span></a></p>`;
}

export function informationBody(ctx: RequestContext, base: string, debate: DebateRow, c: DebateContents, previews: PublishedDatasetPreview[] = []): Html {
  const t = ctx.t;
  return html`<h1>${debate.title}</h1>${subNav(ctx, base, '/informations')}
<h2>${t('debates.kits.info.faq')}</h2>
${c.faq.map((f) => html`<details><summary>${f.question}</summary>${paragraphs(f.answer)}</details>`)}
<h2>${t('debates.kits.info.documents')}</h2>
<ul>${c.documents.map((d) =>
    d.url
      ? html`<li><a href="${d.url}" rel="noopener">${d.title}</a>${d.publisher ? html` — ${d.publisher}` : ''}</li>`
      : d.dataset_slug
        ? html`<li><a href="/${ctx.tenant!.slug}/donnees/${d.dataset_slug}">${d.title}</a></li>`
        : html`<li><a href="${base}/documents/${d.id}">${d.title}</a> (${d.filename ?? ''})</li>`,
  )}</ul>
<h2>${t('debates.kits.info.questions')}</h2>
<ul>${c.questions.map((q) => html`<li><strong>${q.addressee} :</strong> ${q.text}</li>`)}</ul>
${previews.length ? html`<h2>${t('debates.staff.preview.title')}</h2>${previews.map((p) => datasetPreview(ctx, p))}` : ''}
${c.datasets.map(
  (d) => html`<h2>${d.title}</h2><p>${d.description}</p>
${d.row_count ? html`<p><a href="${base}/donnees/${d.dataset_key}">${t('debates.kits.info.table', { count: d.row_count })}</a>${d.source_note ? html` — ${d.source_note}` : ''}</p>` : html`<p>${t('debates.kits.info.not_loaded')}</p>`}`,
)}`;
}

export function datasetTableBody(ctx: RequestContext, base: string, title: string, note: string, rows: RadioSite[], pager: Html): Html {
  const t = ctx.t;
  return html`<h1>${title}</h1><p><a href="${base}/informations">${t('debates.kits.info.back')}</a></p>${note ? html`<p class="notice">${note}</p>` : ''}
<table><caption>${title}</caption><thead><tr><th scope="col">${t('debates.kits.sites.station')}</th><th scope="col">${t('debates.kits.sites.commune')}</th><th scope="col">${t('debates.kits.sites.address')}</th><th scope="col">${t('debates.kits.sites.height')}</th><th scope="col">${t('debates.kits.sites.position')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.station}</td><td>${r.inseeCode}</td><td>${r.place}${r.address ? html`, ${r.address}` : ''} ${r.postcode}</td><td>${r.heightM ?? ''}</td><td>${r.latitude.toFixed(5)}, ${r.longitude.toFixed(5)}</td></tr>`)}</tbody></table>${pager}`;
}

export function meetingsBody(ctx: RequestContext, base: string, debate: DebateRow, meetings: MeetingRow[]): Html {
  const t = ctx.t;
  return html`<h1>${debate.title}</h1>${subNav(ctx, base, '/reunions')}
<h2>${t('debates.meetings.title')}</h2>
<p><a href="${base}/reunions.ics">${t('debates.meetings.ical')}</a></p>
${meetings.length ? html`<ul class="cards">${meetings.map((m) => html`<li><h3><a href="${base}/reunions/${m.id}">${m.title}</a></h3><p>${meetingWhen(ctx, m)}</p></li>`)}</ul>` : html`<p>${t('debates.meetings.none')}</p>`}`;
}

export function meetingWhen(ctx: RequestContext, m: MeetingRow): string {
  const where = m.format === 'online' ? ctx.t('debates.meetings.online') : m.place || ctx.t('debates.meetings.place_tbc');
  return `${formatDateTime(ctx.locale, m.starts_at)} · ${ctx.t(`debates.meetings.format.${m.format}`)} · ${where}${m.cancelled ? ` · ${ctx.t('debates.meetings.cancelled')}` : ''}`;
}

export function meetingBody(
  ctx: RequestContext,
  base: string,
  m: MeetingRow,
  state: { registered: boolean; signedIn: boolean; moderator: boolean; past: boolean },
  notice: Html,
): Html {
  const t = ctx.t;
  const action = `${base}/reunions/${m.id}`;
  const seats = m.capacity === null ? '' : t('debates.meetings.seats', { count: Math.max(0, m.capacity - m.registered) });
  return html`<h1>${m.title}</h1>${notice}<p><a href="${base}/reunions">${t('debates.meetings.back')}</a></p>
<p>${meetingWhen(ctx, m)}</p>${m.online_url ? html`<p><a href="${m.online_url}" rel="noopener">${t('debates.meetings.join')}</a></p>` : ''}
${paragraphs(m.description)}
${
  state.past || m.cancelled
    ? ''
    : html`<p>${seats}</p>${
        !state.signedIn
          ? html`<p>${t('debates.meetings.sign_in')}</p>`
          : state.registered
            ? html`<p>${t('debates.meetings.registered')}</p><form method="post" action="${action}/desinscription">${csrfField(ctx)}<button type="submit">${t('debates.meetings.withdraw')}</button></form>`
            : html`<form method="post" action="${action}/inscription">${csrfField(ctx)}<button type="submit">${t('debates.meetings.register')}</button></form>`
      }`
}
<h2>${t('debates.meetings.minutes')}</h2>${m.minutes ? paragraphs(m.minutes) : html`<p>${t('debates.meetings.no_minutes')}</p>`}
${state.moderator && state.past ? html`<form method="post" action="${action}/compte-rendu">${csrfField(ctx)}<p><label for="minutes">${t('debates.meetings.minutes_field')}</label><br><textarea id="minutes" name="minutes" rows="8">${m.minutes ?? ''}</textarea></p><button type="submit">${t('debates.meetings.minutes_submit')}</button></form>` : ''}`;
}

export interface ResultRow {
  id: string;
  kind: string;
  title: string;
  status: string;
  answer: string;
}

export function resultsBody(
  ctx: RequestContext,
  base: string,
  debate: DebateRow,
  i: { synthesis: string | null; datasetSlug: string | null; answers: ResultRow[]; moderator: boolean },
): Html {
  const t = ctx.t;
  return html`<h1>${debate.title}</h1>${subNav(ctx, base, '/resultats')}
<h2>${t('debates.kits.results.synthesis')}</h2>${i.synthesis ? paragraphs(i.synthesis) : html`<p>${t('debates.kits.results.no_synthesis')}</p>`}
${i.moderator ? html`<form method="post" action="${base}/synthese">${csrfField(ctx)}<p><label for="synthesis">${t('debates.kits.results.synthesis_field')}</label><br><textarea id="synthesis" name="synthesis" rows="8">${i.synthesis ?? ''}</textarea></p><button type="submit">${t('debates.kits.results.synthesis_submit')}</button></form>` : ''}
<h2>${t('debates.kits.results.answers')}</h2>
${i.answers.length ? html`<ul class="cards">${i.answers.map((a) => html`<li><h3><a href="${base}/contributions/${a.id}">${a.title}</a></h3><p><span class="badge">${t(`debates.kits.answer.${a.status}`)}</span></p>${paragraphs(a.answer)}</li>`)}</ul>` : html`<p>${t('debates.kits.results.no_answers')}</p>`}
<h2>${t('debates.kits.results.open_data')}</h2>
${i.datasetSlug ? html`<p><a href="/${ctx.tenant!.slug}/donnees/${i.datasetSlug}">${t('debates.kits.results.dataset')}</a></p>` : html`<p>${t('debates.kits.results.no_dataset')}</p>`}`;
}

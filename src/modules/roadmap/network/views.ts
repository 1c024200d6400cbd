// Templates of the network's pages (no SQL, no side effects). Plain lists and tables, no script.
import type { RequestContext } from '../../../core/base/context.ts';
import { html, type Html } from '../../../core/views/html.ts';
import { csrfField, submit } from '../../../core/views/forms.ts';
import type {
  BodyRow,
  ContributionRow,
  EndorsementRow,
  EventRow,
  MeetingRow,
  MemberRow,
  ProgrammeRow,
  SeatRow,
  SessionRow,
  VersionRow,
} from './network.repository.ts';
import { MEMBERS_PER_PAGE, PROJECTS_PER_PAGE, type NetworkView } from './view.ts';
import type { BastideUse, Directory, SolutionRow, SolutionUser } from './solutions.ts';

const euros = (ctx: RequestContext, n: number) =>
  new Intl.NumberFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(n);
const day = (ctx: RequestContext, iso: string | null) =>
  iso ? new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)) : '';
const time = (ctx: RequestContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(d);

export function homeBody(
  ctx: RequestContext,
  base: string,
  d: { members: MemberRow[]; bodies: BodyRow[]; contributions: ContributionRow[]; events: EventRow[]; programmes: ProgrammeRow[] },
): Html {
  const { t } = ctx;
  return html`<h1>${ctx.tenant!.name}</h1>
<p>${t('roadmap.network.intro')}</p>
<ul class="inline"><li><a href="${base}/vue">${t('roadmap.network.view.title')}</a></li><li><a href="${base}/solutions">${t('roadmap.solutions.title')}</a></li></ul>
<h2>${t('roadmap.network.bodies')}</h2>
<ul>${d.bodies.map((b) => html`<li><a href="${base}/instances/${b.slug}">${b.name}</a> (${t(`roadmap.network.kind.${b.kind}`)})</li>`)}</ul>
<h2>${t('roadmap.network.contributions')}</h2>
<ul>${d.contributions.map((c) => html`<li><a href="${base}/contributions/${c.slug}">${c.title}</a> – ${c.state === 'adopted' ? t('roadmap.network.adopted_on', { date: day(ctx, c.adopted_on) }) : t(`roadmap.network.state.${c.state}`)}</li>`)}</ul>
<h2>${t('roadmap.network.events')}</h2>
<ul>${d.events.map((e) => html`<li><a href="${base}/evenements/${e.slug}">${e.title}</a> – ${t('roadmap.network.dates', { from: day(ctx, e.starts_on), to: day(ctx, e.ends_on) })}</li>`)}</ul>
<h2>${t('roadmap.network.programmes')}</h2>
<ul>${d.programmes.map((p) => html`<li><strong>${p.name}</strong> – ${p.description}${p.link ? html` <a href="${p.link}">${t('roadmap.network.more')}</a>` : ''}</li>`)}</ul>
<h2>${t('roadmap.network.members', { count: d.members.length })}</h2>
<ul>${d.members.map((m) => html`<li><a href="/${m.slug}/">${m.name}</a></li>`)}</ul>`;
}

export function bodyBody(ctx: RequestContext, base: string, body: BodyRow, seats: SeatRow[], meetings: MeetingRow[]): Html {
  const { t } = ctx;
  return html`<p><a href="${base}">${ctx.tenant!.name}</a></p>
<h1>${body.name}</h1>
<p>${t(`roadmap.network.kind.${body.kind}`)}</p>
${body.description ? html`<p>${body.description}</p>` : ''}
<h2>${t('roadmap.network.seats')}</h2>
<table><caption class="visually-hidden">${t('roadmap.network.seats')}</caption>
<thead><tr><th scope="col">${t('roadmap.network.seat_role')}</th><th scope="col">${t('roadmap.network.member')}</th><th scope="col">${t('roadmap.network.holder')}</th></tr></thead>
<tbody>${seats.map((s) => html`<tr><td>${s.seat_role}</td><td><a href="/${s.member_slug}/">${s.member_name}</a></td><td>${s.holder_name}${s.holder_title ? html`, ${s.holder_title}` : ''}${s.until ? html` (${t('roadmap.network.until', { date: day(ctx, s.until) })})` : ''}</td></tr>`)}</tbody></table>
<h2>${t('roadmap.network.meetings')}</h2>
<ul>${meetings.map((m) => html`<li><a href="${base}/reunions/${m.id}">${day(ctx, m.held_on)} – ${m.title}</a></li>`)}</ul>`;
}

export function meetingBody(ctx: RequestContext, base: string, body: BodyRow, m: MeetingRow, showMinutes: boolean): Html {
  const { t } = ctx;
  return html`<p><a href="${base}/instances/${body.slug}">${body.name}</a></p>
<h1>${m.title}</h1>
<p>${day(ctx, m.held_on)}${m.place ? html` – ${m.place}` : ''}</p>
<h2>${t('roadmap.network.agenda')}</h2>
<ol>${m.agenda.map((item) => html`<li>${item}</li>`)}</ol>
<h2>${t('roadmap.network.minutes')}</h2>
${showMinutes ? html`<div class="prose">${m.minutes.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>` : html`<p>${t('roadmap.network.members_only')}</p>`}`;
}

export function contributionBody(
  ctx: RequestContext,
  base: string,
  c: ContributionRow,
  d: { adoptedBy: BodyRow | null; versions: VersionRow[]; endorsements: EndorsementRow[]; canEndorse: MemberRow[]; networkSlug: string },
): Html {
  const { t } = ctx;
  const endorsed = new Set(d.endorsements.map((e) => e.member_tenant_id));
  return html`<p><a href="${base}">${ctx.tenant!.name}</a></p>
<h1>${c.title}</h1>
<p>${c.state === 'adopted' && d.adoptedBy ? html`${t('roadmap.network.adopted_by', { body: d.adoptedBy.name, date: day(ctx, c.adopted_on) })}` : t(`roadmap.network.state.${c.state}`)}</p>
<p>${c.summary}</p>
${c.body ? html`<div class="prose">${c.body.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>` : ''}
${c.topics.length ? html`<h2>${t('roadmap.network.topics')}</h2><ul>${c.topics.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
<h2>${t('roadmap.network.versions')}</h2>
<ul>${d.versions.map((v) => html`<li><a href="${base}/contributions/${c.slug}/versions/${v.version}">${t('roadmap.network.version', { n: v.version })} – ${v.file_name}</a> (${Math.ceil(v.size / 1024)} Ko, ${time(ctx, v.created_at)})${v.note ? html` – ${v.note}` : ''}</li>`)}</ul>
<h2>${t('roadmap.network.endorsements', { count: d.endorsements.length })}</h2>
<ul>${d.endorsements.map((e) => html`<li><a href="/${e.member_slug}/">${e.member_name}</a>${e.comment ? html` – « ${e.comment} »` : ''}</li>`)}</ul>
${d.canEndorse.map(
  (m) => html`<form method="post" action="/${m.slug}/reseaux/${d.networkSlug}/contributions/${c.id}/soutien">${csrfField(ctx)}
${endorsed.has(m.id) ? html`<input type="hidden" name="withdraw" value="1">${submit(t('roadmap.network.unendorse_as', { member: m.name }))}` : html`<label for="comment-${m.slug}">${t('roadmap.network.comment')}</label><input id="comment-${m.slug}" name="comment" maxlength="2000">${submit(t('roadmap.network.endorse_as', { member: m.name }))}`}
</form>`,
)}`;
}

export function eventBody(ctx: RequestContext, base: string, e: EventRow, sessions: SessionRow[]): Html {
  const { t } = ctx;
  return html`<p><a href="${base}">${ctx.tenant!.name}</a></p>
<h1>${e.title}</h1>
<p>${t('roadmap.network.dates', { from: day(ctx, e.starts_on), to: day(ctx, e.ends_on) })}${e.online ? html` – ${t('roadmap.network.online')}` : ''}${e.place ? html` – ${e.place}` : ''}</p>
<p>${e.description}</p>
<h2>${t('roadmap.network.programme_of_event')}</h2>
<table><caption class="visually-hidden">${t('roadmap.network.programme_of_event')}</caption>
<thead><tr><th scope="col">${t('roadmap.network.when')}</th><th scope="col">${t('roadmap.network.session')}</th><th scope="col">${t('roadmap.network.speakers')}</th></tr></thead>
<tbody>${sessions.map((s) => html`<tr><td>${time(ctx, s.starts_at)}</td><td>${s.title}</td><td>${s.speakers}</td></tr>`)}</tbody></table>`;
}

export function viewBody(
  ctx: RequestContext,
  base: string,
  v: NetworkView,
  q: { theme?: string; page: number; membersPage: number; copyTo: MemberRow[] },
): Html {
  const { t } = ctx;
  const byId = new Map(v.members.map((m) => [m.id, m]));
  const members = v.members.slice((q.membersPage - 1) * MEMBERS_PER_PAGE, q.membersPage * MEMBERS_PER_PAGE);
  const pages = Math.ceil(v.members.length / MEMBERS_PER_PAGE);
  const themeHref = (theme: string) => `${base}/vue?theme=${encodeURIComponent(theme)}#projets`;
  return html`<p><a href="${base}">${ctx.tenant!.name}</a></p>
<h1>${t('roadmap.network.view.title')}</h1>
<p>${t('roadmap.network.view.intro')}</p>
<h2>${t('roadmap.network.view.themes')}</h2>
<table><caption class="visually-hidden">${t('roadmap.network.view.themes')}</caption>
<thead><tr><th scope="col">${t('roadmap.network.view.theme')}</th><th scope="col">${t('roadmap.network.view.members')}</th><th scope="col">${t('roadmap.network.view.projects')}</th><th scope="col">${t('roadmap.network.view.investment')}</th></tr></thead>
<tbody>${v.themes.map((th) => html`<tr><th scope="row"><a href="${themeHref(th.theme)}">${t(`roadmap.network.theme.${th.theme}`)}</a></th><td>${th.members}</td><td>${th.projects}</td><td>${euros(ctx, th.investment)}</td></tr>`)}</tbody></table>
<h2>${t('roadmap.network.view.members')}</h2>
<table><caption class="visually-hidden">${t('roadmap.network.view.members')}</caption>
<thead><tr><th scope="col">${t('roadmap.network.member')}</th><th scope="col">${t('roadmap.network.view.projects')}</th><th scope="col">${t('roadmap.network.view.investment')}</th><th scope="col">${t('roadmap.network.view.granted')}</th><th scope="col">${t('roadmap.network.view.pooled')}</th><th scope="col">${t('roadmap.network.view.procedures')}</th><th scope="col">${t('roadmap.network.view.datasets')}</th></tr></thead>
<tbody>${members.map((m) => {
    const tot = v.totals.get(m.id);
    return html`<tr><th scope="row"><a href="/${m.slug}/feuille-de-route">${m.name}</a></th><td>${tot?.projects ?? 0}</td><td>${euros(ctx, tot?.investment ?? 0)}</td><td>${euros(ctx, tot?.granted ?? 0)}</td><td>${tot?.pooled ?? 0}</td><td>${tot?.procedures ?? 0}</td><td>${tot?.datasets ?? 0}</td></tr>`;
  })}</tbody></table>
${pages > 1 ? html`<nav aria-label="${t('roadmap.network.view.members')}"><ul class="inline">${Array.from({ length: pages }, (_, i) => html`<li><a href="${base}/vue?membres=${i + 1}"${i + 1 === q.membersPage ? html` aria-current="page"` : ''}>${i + 1}</a></li>`)}</ul></nav>` : ''}
<h2 id="projets">${q.theme ? t(`roadmap.network.theme.${q.theme}`) : t('roadmap.network.view.pooled')}</h2>
${v.projects.length ? html`<ul>${v.projects.map((p) => html`<li><a href="/${byId.get(p.member_tenant_id)?.slug ?? ''}/feuille-de-route/projets/${p.slug}">${p.title}</a> – ${byId.get(p.member_tenant_id)?.name ?? ''} (${t(`roadmap.network.stage.${p.stage}`)}${p.partners ? html`, ${t('roadmap.network.view.partners', { count: p.partners })}` : ''})</li>`)}</ul>` : html`<p>${t('roadmap.network.view.none')}</p>`}
${v.projects.length === PROJECTS_PER_PAGE ? html`<p><a href="${base}/vue?${q.theme ? `theme=${encodeURIComponent(q.theme)}&` : ''}page=${q.page + 1}#projets">${t('roadmap.network.view.next')}</a></p>` : ''}
<h2>${t('roadmap.network.view.kits')}</h2>
${v.kits.length ? html`<ul>${v.kits.map((k) => html`<li>${k.title} – ${k.owner_name}${q.copyTo.filter((m) => m.id !== k.owner_tenant).map((m) => html` – <a href="/${m.slug}/admin/concertations/kits/${k.owner_slug}/${k.slug}">${t('roadmap.network.view.copy_to', { member: m.name })}</a>`)}</li>`)}</ul>` : html`<p>${t('roadmap.network.view.none')}</p>`}
<h2>${t('roadmap.network.view.shared')}</h2>
${v.shared.length ? html`<ul>${v.shared.map((s) => html`<li>${t(`roadmap.network.view.kind.${s.kind}`)} : <a href="/${byId.get(s.member_tenant_id)?.slug ?? ''}/${s.kind === 'procedure' ? 'demarches' : 'donnees'}/${s.slug}">${s.title}</a> – ${byId.get(s.member_tenant_id)?.name ?? ''}</li>`)}</ul>` : html`<p>${t('roadmap.network.view.none')}</p>`}`;
}

export function directoryBody(
  ctx: RequestContext,
  base: string,
  d: Directory,
  uses: BastideUse[],
  query: { theme?: string; territory?: string; q?: string },
  paging: { page: number; pages: number },
): Html {
  const { t } = ctx;
  return html`<p><a href="${base}">${ctx.tenant!.name}</a></p>
<h1>${t('roadmap.solutions.title')}</h1>
<p>${t('roadmap.solutions.intro')}</p>
<form method="get" action="${base}/solutions" class="filters">
<label for="q">${t('roadmap.solutions.search')}</label><input id="q" name="q" value="${query.q ?? ''}" maxlength="100">
<label for="theme">${t('roadmap.solutions.theme')}</label><select id="theme" name="theme"><option value="">${t('roadmap.solutions.all')}</option>${d.themes.map((x) => html`<option value="${x}"${x === query.theme ? html` selected` : ''}>${x}</option>`)}</select>
<label for="territory">${t('roadmap.solutions.territory')}</label><input id="territory" name="territory" value="${query.territory ?? ''}" maxlength="3" inputmode="numeric">
${submit(t('roadmap.solutions.filter'))}
</form>
<table><caption>${t('roadmap.solutions.count', { count: d.solutions.length })}</caption>
<thead><tr><th scope="col">${t('roadmap.solutions.name')}</th><th scope="col">${t('roadmap.solutions.theme')}</th><th scope="col">${t('roadmap.solutions.licence')}</th><th scope="col">${t('roadmap.solutions.users')}</th></tr></thead>
<tbody>${d.solutions.map((s) => html`<tr><th scope="row"><a href="${base}/solutions/${s.slug}">${s.name}</a></th><td>${s.theme}</td><td>${s.licence}</td><td>${s.users.map((u) => u.member.name).join(', ')}</td></tr>`)}</tbody></table>
<h2>${t('roadmap.solutions.bastide')}</h2>
<table><caption class="visually-hidden">${t('roadmap.solutions.bastide')}</caption>
<thead><tr><th scope="col">${t('roadmap.network.member')}</th><th scope="col">${t('roadmap.network.view.procedures')}</th><th scope="col">${t('roadmap.network.view.datasets')}</th><th scope="col">${t('roadmap.solutions.archives')}</th><th scope="col">${t('roadmap.solutions.debates')}</th><th scope="col">${t('roadmap.network.view.projects')}</th></tr></thead>
<tbody>${uses.map((u) => html`<tr><th scope="row">${u.member.name}</th><td>${u.procedures}</td><td>${u.datasets}</td><td>${u.archiveUnits}</td><td>${u.debates}</td><td>${u.projects}</td></tr>`)}</tbody></table>
${paging.pages > 1 ? html`<nav aria-label="${t('roadmap.solutions.bastide')}"><ul class="inline">${Array.from({ length: paging.pages }, (_, i) => html`<li><a href="${base}/solutions?membres=${i + 1}"${i + 1 === paging.page ? html` aria-current="page"` : ''}>${i + 1}</a></li>`)}</ul></nav>` : ''}`;
}

export function solutionBody(ctx: RequestContext, base: string, s: SolutionRow, users: SolutionUser[], members: MemberRow[], near: MemberRow | null): Html {
  const { t } = ctx;
  return html`<p><a href="${base}/solutions">${t('roadmap.solutions.title')}</a></p>
<h1>${s.name}</h1>
<dl><dt>${t('roadmap.solutions.kind')}</dt><dd>${t(`roadmap.solutions.kind.${s.kind}`)}</dd><dt>${t('roadmap.solutions.theme')}</dt><dd>${s.theme}</dd>
<dt>${t('roadmap.solutions.licence')}</dt><dd>${s.licence || '—'}</dd>${s.link ? html`<dt>${t('roadmap.solutions.link')}</dt><dd><a href="${s.link}">${s.link}</a></dd>` : ''}</dl>
<p>${s.description}</p>
<form method="get" action="${base}/solutions/${s.slug}"><label for="pres-de">${t('roadmap.solutions.near')}</label>
<select id="pres-de" name="pres-de"><option value="">—</option>${members.map((m) => html`<option value="${m.slug}"${near?.id === m.id ? html` selected` : ''}>${m.name}</option>`)}</select>${submit(t('roadmap.solutions.filter'))}</form>
<h2>${t('roadmap.solutions.who', { count: users.length })}</h2>
<ul>${users.map((u) => html`<li><a href="/${u.member.slug}/">${u.member.name}</a>${u.distance !== undefined ? html` (${t(`roadmap.solutions.distance.${u.distance}`)})` : ''}${u.referent ? html` – ${t('roadmap.solutions.referent')} : ${u.referent}` : ''}${u.opinion ? html` – « ${u.opinion} »` : ''}</li>`)}</ul>`;
}

// Pages of the kit library (staff): the kits this collectivité may use (its own, its host's, its
// networks', the product's), a kit with its versions and users, and the copy-a-kit form.
import { html, type Html } from '../../../../core/views/html.ts';
import { csrfField } from '../../../../core/views/forms.ts';
import type { RequestContext } from '../../../../core/base/context.ts';
import { formatDate } from '../../../../core/i18n/i18n.ts';
import type { Kit } from '../kit-format.ts';
import { totalDays } from '../kit-format.ts';
import type { KitUser, VisibleKit } from '../kits.repository.ts';

export interface LibraryEntry {
  href: string;
  title: string;
  summary: string;
  owner: string;
  version: number;
  sharing: string;
}

export function libraryBody(ctx: RequestContext, base: string, entries: LibraryEntry[], notice: Html): Html {
  const t = ctx.t;
  return html`<h1>${t('debates.kits.library.title')}</h1>${notice}
<p>${t('debates.kits.library.intro')}</p>
<ul class="cards">${entries.map(
    (e) => html`<li><h2><a href="${e.href}">${e.title}</a></h2><p>${e.summary}</p>
<p class="small">${t('debates.kits.library.meta', { owner: e.owner, version: e.version })} · ${t(`debates.kits.sharing.${e.sharing}`)}</p></li>`,
  )}</ul>
<h2>${t('debates.kits.import.title')}</h2>
<form method="post" action="${base}/importer">${csrfField(ctx)}
<p><label for="kit">${t('debates.kits.import.file')}</label><br><textarea id="kit" name="kit" rows="6" required></textarea></p>
<button type="submit">${t('debates.kits.import.submit')}</button></form>`;
}

export interface KitPageInput {
  kit: Kit;
  owner: string;
  own: boolean;
  sharing: string;
  versions: Array<{ version: number; note: string; created_at: Date }>;
  users: KitUser[];
  copyAction: string;
  shareAction: string | null;
  networks: Array<{ id: string; name: string }>;
  defaultStart: string;
  notice: Html;
}

export function kitPageBody(ctx: RequestContext, i: KitPageInput): Html {
  const t = ctx.t;
  const k = i.kit;
  return html`<h1>${k.title}</h1>${i.notice}
<p>${k.summary}</p>
<p class="small">${t('debates.kits.page.owner', { owner: i.owner })} · ${t(`debates.kits.sharing.${i.sharing}`)} · ${t('debates.kits.page.days', { count: totalDays(k) })}</p>
<h2>${t('debates.kits.copy.title')}</h2>
<form method="post" action="${i.copyAction}">${csrfField(ctx)}
<p><label for="starts_on">${t('debates.kits.copy.starts_on')}</label><br><input type="date" id="starts_on" name="starts_on" value="${i.defaultStart}" required></p>
<p><label for="title">${t('debates.kits.copy.debate_title')}</label><br><input type="text" id="title" name="title" value="${k.title}" maxlength="200"></p>
<p><label for="version">${t('debates.kits.copy.version')}</label><br><select id="version" name="version">${i.versions.map((v) => html`<option value="${v.version}">${t('debates.kits.page.version', { version: v.version })}</option>`)}</select></p>
<button type="submit">${t('debates.kits.copy.submit')}</button></form>
<h2>${t('debates.kits.page.phases')}</h2>
<ol>${k.phases.map((p) => html`<li><strong>${p.title}</strong> — ${t('debates.kits.page.duration', { count: p.durationDays })}<br>${p.summary}</li>`)}</ol>
<h2>${t('debates.kits.page.contents')}</h2>
<ul><li>${t('debates.kits.page.faq', { count: k.faq.length })}</li><li>${t('debates.kits.page.documents', { count: k.documents.length })}</li>
<li>${t('debates.kits.page.questions', { count: k.questions.length })}</li><li>${t('debates.kits.page.meetings', { count: k.meetings.length })}</li>
${(k.datasets ?? []).map((d) => html`<li>${d.title}</li>`)}</ul>
<h2>${t('debates.kits.page.versions')}</h2>
<ul>${i.versions.map((v) => html`<li>${t('debates.kits.page.version', { version: v.version })} · ${formatDate(ctx.locale, v.created_at)}${v.note ? html` — ${v.note}` : ''}</li>`)}</ul>
<h2>${t('debates.kits.page.users')}</h2>
${i.users.length ? html`<ul>${i.users.map((u) => html`<li>${u.tenant_name} (${t('debates.kits.page.version', { version: u.version })}, ${formatDate(ctx.locale, u.copied_at)})</li>`)}</ul>` : html`<p>${t('debates.kits.page.no_users')}</p>`}
${i.shareAction ? shareForm(ctx, i) : ''}`;
}

function shareForm(ctx: RequestContext, i: KitPageInput): Html {
  const t = ctx.t;
  const option = (value: string) =>
    html`<p><input type="radio" id="sharing-${value}" name="sharing" value="${value}"${i.sharing === value ? ' checked' : ''}> <label for="sharing-${value}">${t(`debates.kits.sharing.${value}`)}</label></p>`;
  return html`<h2>${t('debates.kits.share.title')}</h2>
<form method="post" action="${i.shareAction!}">${csrfField(ctx)}<fieldset><legend>${t('debates.kits.share.legend')}</legend>
${option('private')}${option('hosted')}${i.networks.length ? option('network') : ''}</fieldset>
${i.networks.length ? html`<fieldset><legend>${t('debates.kits.share.networks')}</legend>${i.networks.map((n) => html`<p><input type="checkbox" id="net-${n.id}" name="network" value="${n.id}"> <label for="net-${n.id}">${n.name}</label></p>`)}</fieldset>` : ''}
<button type="submit">${t('debates.kits.share.submit')}</button></form>`;
}

export function ownerLabel(k: Pick<VisibleKit, 'owner_name'>): string {
  return k.owner_name;
}

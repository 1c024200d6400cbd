// The archivist's transfers page (candidates to transfer, prepared transfers with their package and the
// form for the archive's reply) and the communication form's page when a request needs correcting.
// Server-rendered, no script; the reply's upload carries its CSRF token in the action address (multipart).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { formatDate, formatDateTime } from '../../../core/i18n/i18n.ts';
import { errorSummary, nav, type Errors } from './pages.ts';
import { communicationFields, fieldOf } from './form-fields.ts';

export interface TransferCandidate {
  id: string;
  title: string;
  start_date: string | null;
  end_date: string | null;
}

export interface TransferRow {
  id: string;
  created_at: Date;
  archival_agency: string;
  unit_count: number;
  object_count: number;
  /** The last reply: null when none was recorded yet. */
  accepted: boolean | null;
}

const dates = (ctx: RequestContext, u: { start_date: string | null; end_date: string | null }) =>
  [u.start_date, u.end_date].map((d) => (d ? formatDate(ctx.locale, new Date(`${d}T12:00:00Z`)) : '…')).join(' – ');

export function transfersBody(
  ctx: RequestContext,
  o: { base: string; candidates: TransferCandidate[]; transfers: TransferRow[]; errors: Errors; notice: string | null; values: Record<string, string> },
): Html {
  const t = ctx.t;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const status = (r: TransferRow) => t(`archives.transfer.status.${r.accepted === null ? 'sent' : r.accepted ? 'accepted' : 'rejected'}`);
  return html`<h1>${t('archives.transfer.title')}</h1>
${nav(ctx, o.base, true)}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorSummary(ctx, o.errors)}
<p>${t('archives.transfer.intro')}</p>
<h2>${t('archives.transfer.list')}</h2>
${
  o.transfers.length
    ? html`<div class="table-scroll"><table><caption class="visually-hidden">${t('archives.transfer.list')}</caption>
<thead><tr><th scope="col">${t('archives.transfer.date')}</th><th scope="col">${t('archives.field.archival_agency')}</th><th scope="col">${t('archives.transfer.units')}</th><th scope="col">${t('archives.transfer.status')}</th><th scope="col">${t('archives.transfer.reply')}</th></tr></thead>
<tbody>${o.transfers.map(
        (r) =>
          html`<tr><td><time datetime="${r.created_at.toISOString()}">${formatDateTime(ctx.locale, r.created_at)}</time><br><a href="${o.base}/transferts/${r.id}/paquet.zip" download>${t('archives.transfer.download')}</a></td><td>${r.archival_agency}</td><td>${r.unit_count} (${t('archives.unit.objects_count', { count: r.object_count })})</td><td>${status(r)}</td><td>${
            r.accepted
              ? '—'
              : html`<form method="post" action="${o.base}/transferts/${r.id}/reponse?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data"><label for="reply-${r.id}" class="visually-hidden">${t('archives.transfer.reply')}</label><input id="reply-${r.id}" name="reply" type="file" accept=".xml,application/xml,text/xml" required> <button type="submit">${t('archives.transfer.reply_button')}</button></form>`
          }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('archives.transfer.none')}</p>`
}
<h2>${t('archives.transfer.create')}</h2>
${
  o.candidates.length
    ? html`<form method="post" action="${o.base}/transferts">${csrf}<fieldset><legend>${t('archives.transfer.select')}</legend>
${o.candidates.map((c) => html`<div class="field choice"><input type="checkbox" id="c-${c.id}" name="units" value="${c.id}"><label for="c-${c.id}">${c.title} (${dates(ctx, c)})</label></div>`)}</fieldset>
${fieldOf(ctx, 'archival_agency', html`<input id="f-archival_agency" name="archival_agency" maxlength="200" value="${o.values.archival_agency ?? ''}">`, o.errors, t('archives.transfer.agency_hint'))}
${fieldOf(ctx, 'comment', html`<textarea id="f-comment" name="comment" rows="2" maxlength="2000">${o.values.comment ?? ''}</textarea>`, o.errors)}
<button type="submit">${t('archives.transfer.button')}</button></form>`
    : html`<p>${t('archives.transfer.no_candidate')}</p>`
}`;
}

export function communicationBody(
  ctx: RequestContext,
  o: { base: string; units: Array<{ id: string; title: string }>; errors: Errors; values: Record<string, string> },
): Html {
  const t = ctx.t;
  return html`<h1>${t('archives.communication.title')}</h1>
${nav(ctx, o.base, true)}
${errorSummary(ctx, o.errors)}
<form method="post" action="${o.base}/communication"><input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<fieldset><legend>${t('archives.communication.select')}</legend>${
    o.units.length
      ? o.units.map(
          (u) =>
            html`<div class="field choice"><input type="checkbox" id="c-${u.id}" name="units" value="${u.id}" checked><label for="c-${u.id}">${u.title}</label></div>`,
        )
      : html`<p><a href="${o.base}">${t('archives.search.title')}</a></p>`
  }</fieldset>
${communicationFields(ctx, o.errors, o.values)}</form>`;
}

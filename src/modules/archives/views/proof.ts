// The proof of integrity of a unit as a page an archivist can print or hand over with its JSON: what was
// checked and how it came out, the objects, the journal entries and the checkpoints, and the procedure a
// third party follows to check the JSON alone (docs/archives.md §11).
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { Finding, ProofReport } from '../proof/verify-proof.ts';

const short = (hash: string) => `${hash.slice(0, 16)}…`;

export function proofBody(
  ctx: RequestContext,
  o: { base: string; report: ProofReport & { pending_entries: number }; findings: Finding[]; notice: string | null },
): Html {
  const { t } = ctx;
  const r = o.report;
  const unitPage = `${o.base}/unites/${r.unit.id}`;
  const last = r.checkpoints[r.checkpoints.length - 1];
  return html`<p><a href="${unitPage}">${r.unit.title}</a></p>
<h1>${t('archives.proof.title')}</h1>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<p>${t('archives.proof.intro')}</p>
${
  o.findings.length
    ? html`<div class="error-summary" role="alert"><h2>${t('archives.proof.failed')}</h2><ul>${o.findings.map(
        (f) => html`<li><code>${f.subject}</code> : ${f.reason}</li>`,
      )}</ul></div>`
    : html`<p class="notice" role="status">${t('archives.proof.ok', { objects: r.objects.length, entries: r.entries.length })}</p>`
}
${
  r.pending_entries
    ? html`<form method="post" action="${unitPage}/preuve"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><p>${t('archives.proof.pending', { count: r.pending_entries })}</p>
<button type="submit">${t('archives.proof.checkpoint')}</button></form>`
    : ''
}
<ul class="inline"><li><a href="${unitPage}/preuve.json" download>${t('archives.proof.download')}</a></li>
<li><a href="${o.base}/verificateur-preuve.ts" download>${t('archives.proof.verifier')}</a></li></ul>
${last ? html`<p>${t('archives.proof.anchor')} <code>${last.hash}</code></p>` : ''}
<h2>${t('archives.proof.objects')}</h2>
<table><thead><tr><th scope="col">${t('archives.proof.object')}</th><th scope="col">${t('archives.proof.size')}</th><th scope="col">SHA-512</th><th scope="col">${t('archives.proof.stored')}</th></tr></thead>
<tbody>${r.objects.map(
    (x) =>
      html`<tr><td>${x.filename}</td><td>${String(x.size)}</td><td><code>${short(x.sha512)}</code></td><td>${t(`archives.proof.state.${x.stored}`)}</td></tr>`,
  )}</tbody></table>
<h2>${t('archives.proof.entries')}</h2>
<table><thead><tr><th scope="col">${t('archives.proof.position')}</th><th scope="col">${t('archives.proof.action')}</th><th scope="col">${t('archives.proof.actor')}</th><th scope="col">${t('archives.proof.hash')}</th><th scope="col">${t('archives.proof.checkpoint_col')}</th></tr></thead>
<tbody>${r.entries.map(
    (e) =>
      html`<tr><td>${String(e.chain_pos)}</td><td>${e.action}</td><td>${e.actor}</td><td><code>${short(e.hash)}</code></td><td>${e.checkpoint === null ? '—' : String(e.checkpoint)}</td></tr>`,
  )}</tbody></table>
<h2>${t('archives.proof.checkpoints')}</h2>
<table><thead><tr><th scope="col">n°</th><th scope="col">${t('archives.proof.positions')}</th><th scope="col">${t('archives.proof.date')}</th><th scope="col">${t('archives.proof.hash')}</th></tr></thead>
<tbody>${r.checkpoints.map(
    (c) =>
      html`<tr><td>${String(c.seq)}</td><td>${String(c.from_pos)}–${String(c.to_pos)}</td><td>${c.created_at}</td><td><code>${short(c.hash)}</code></td></tr>`,
  )}</tbody></table>
<h2>${t('archives.proof.procedure')}</h2>
<ol>${[1, 2, 3, 4, 5].map((i) => html`<li>${t(`archives.proof.step${i}`)}</li>`)}</ol>`;
}

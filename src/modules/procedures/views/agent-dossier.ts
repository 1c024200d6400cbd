// The agent's dossier page: who filed it (and the consent of a mediated filing), the state and the legal
// moves from it (motivation where required), assignment, labels, messages and private notes, answers,
// attachments and history.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { csrfField, notice } from '../../../core/views/forms.ts';
import type { AttachmentRow, DossierRow, MessageRow, TransitionRow } from '../dossiers.repository.ts';
import type { ProcedureDefinition } from '../fields/definition.ts';
import { MOTIVATION_REQUIRED, TRANSITIONS, isAgentTransition } from '../dossier-states.ts';
import { answersList, historyList, messagesList } from './dossier-parts.ts';
import { stateBadge, when } from './common.ts';

export interface AgentDossierView {
  dossier: DossierRow;
  procedureTitle: string;
  definition: ProcedureDefinition;
  transitions: TransitionRow[];
  messages: MessageRow[];
  attachments: AttachmentRow[];
  staff: Array<{ id: string; name: string }>;
  names: Record<string, string>;
  groupName: string | null;
  base: string;
  /** `/<slug>/exports`, where the PDF of a dossier is served. */
  exportBase: string;
  notice?: string;
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

function errorOf(v: AgentDossierView, key: string, id: string): Html {
  const list = v.errors?.[key];
  return list?.length ? html`<p class="error" id="error-${id}">${list.join(' ')}</p>` : html``;
}

function stateForm(ctx: RequestContext, v: AgentDossierView): Html {
  const { t } = ctx;
  const targets = TRANSITIONS[v.dossier.state].filter((to) => isAgentTransition(v.dossier.state, to));
  if (!targets.length) return html``;
  const bad = Boolean(v.errors?.motivation || v.errors?.to);
  return html`<form method="post" action="${v.base}/etat" class="card" novalidate>
${csrfField(ctx)}
<fieldset class="field${v.errors?.to ? ' has-error' : ''}" id="field-to"><legend>${t('procedures.web.dossier.change_state')}</legend>
${errorOf(v, 'to', 'field-to')}
${targets.map((to, i) => html`<div class="choice"><input type="radio" name="to" value="${to}" id="field-to-${to}"${(v.values?.to ?? (i === 0 ? to : '')) === to ? html` checked` : ''}><label for="field-to-${to}">${t(`procedures.web.action.${to}`)}${MOTIVATION_REQUIRED.includes(to) ? html` <span class="req">${t('procedures.web.dossier.motivation_needed')}</span>` : ''}</label></div>`)}
</fieldset>
<div class="field${v.errors?.motivation ? ' has-error' : ''}"><label for="field-motivation">${t('procedures.web.motivation')}</label>
<p class="hint" id="hint-field-motivation">${t('procedures.web.motivation_hint')}</p>${errorOf(v, 'motivation', 'field-motivation')}
<textarea id="field-motivation" name="motivation" rows="3" aria-describedby="hint-field-motivation${v.errors?.motivation ? ' error-field-motivation' : ''}"${bad ? html` aria-invalid="true"` : ''}>${v.values?.motivation ?? ''}</textarea></div>
<button type="submit">${t('procedures.web.dossier.apply_state')}</button>
</form>`;
}

function organiseForms(ctx: RequestContext, v: AgentDossierView): Html {
  const { t } = ctx;
  const d = v.dossier;
  return html`<div class="row">
<form method="post" action="${v.base}/attribution" class="card">
${csrfField(ctx)}
<div class="field"><label for="field-assignee">${t('procedures.web.inbox.assignee')}</label>
<select id="field-assignee" name="assignee"><option value="">${t('procedures.web.inbox.nobody')}</option>${v.staff.map((s) => html`<option value="${s.id}"${s.id === d.assignee_id ? html` selected` : ''}>${s.name}</option>`)}</select></div>
<button type="submit">${t('procedures.web.dossier.assign')}</button>
</form>
<form method="post" action="${v.base}/etiquettes" class="card">
${csrfField(ctx)}
<div class="field${v.errors?.labels ? ' has-error' : ''}"><label for="field-labels">${t('procedures.web.labels')}</label>
<p class="hint" id="hint-field-labels">${t('procedures.web.dossier.labels_hint')}</p>${errorOf(v, 'labels', 'field-labels')}
<input type="text" id="field-labels" name="labels" value="${v.values?.labels ?? d.labels.join(', ')}" aria-describedby="hint-field-labels${v.errors?.labels ? ' error-field-labels' : ''}"></div>
<button type="submit">${t('procedures.web.dossier.save_labels')}</button>
</form>
</div>`;
}

function messageForm(ctx: RequestContext, v: AgentDossierView, kind: 'message' | 'note'): Html {
  const { t } = ctx;
  const id = `field-${kind}`;
  const errors = v.errors?.[kind];
  const action = `${v.base}/${kind === 'message' ? 'messages' : 'notes'}?_csrf=${encodeURIComponent(ctx.csrfToken)}`;
  return html`<form method="post" action="${action}" enctype="multipart/form-data" class="card" novalidate>
${csrfField(ctx)}
<div class="field${errors ? ' has-error' : ''}"><label for="${id}">${t(`procedures.web.dossier.${kind}`)}</label>
${kind === 'note' ? html`<p class="hint" id="hint-${id}">${t('procedures.web.dossier.note_hint')}</p>` : ''}${errors ? html`<p class="error" id="error-${id}">${errors.join(' ')}</p>` : ''}
<textarea id="${id}" name="body" rows="4"${kind === 'note' || errors ? html` aria-describedby="${[kind === 'note' ? `hint-${id}` : '', errors ? `error-${id}` : ''].filter(Boolean).join(' ')}"` : ''}>${v.values?.[kind] ?? ''}</textarea></div>
${kind === 'message' ? html`<div class="field"><label for="${id}-file">${t('procedures.web.reply.file')}</label><input type="file" id="${id}-file" name="attachment"></div>` : ''}
<button type="submit">${t(`procedures.web.dossier.send_${kind}`)}</button>
</form>`;
}

export function agentDossierBody(ctx: RequestContext, v: AgentDossierView): Html {
  const { t } = ctx;
  const d = v.dossier;
  const mediation = d.mediation as { consent?: { name?: string; how?: string; given_at?: string }; mediator_person_id?: string } | null;
  const fileHref = (a: AttachmentRow) => `${v.base}/pieces/${a.id}`;
  const errorKeys = Object.keys(v.errors ?? {});
  return html`<h1>${t('procedures.web.dossier_title', { number: d.number })}</h1>
${notice(v.notice)}
${errorKeys.length ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t('core.form.error_summary')}</h2><ul>${errorKeys.map((k) => html`<li><a href="#field-${k}">${v.errors![k]!.join(' ')}</a></li>`)}</ul></div>` : ''}
<p><a href="${v.exportBase}/dossiers/${String(d.number)}/dossier.pdf" download>${t('procedures.web.dossier.pdf')}</a></p>
<dl class="facts">
<dt>${t('procedures.web.procedure')}</dt><dd>${v.procedureTitle} <span class="small">(${t('procedures.web.revision', { n: d.revision })})</span></dd>
<dt>${t('procedures.web.state')}</dt><dd>${stateBadge(ctx, d.state)}</dd>
${d.motivation ? html`<dt>${t('procedures.web.motivation')}</dt><dd>${d.motivation}</dd>` : ''}
<dt>${t('procedures.web.dossier.applicant')}</dt><dd>${d.applicant_email ?? (d.applicant_person_id ? (v.names[`person:${d.applicant_person_id}`] ?? '') : '—')}</dd>
${mediation?.consent ? html`<dt>${t('procedures.web.mediation.legend')}</dt><dd>${t('procedures.web.dossier.mediation', { name: mediation.consent.name ?? '', how: t(`procedures.web.mediation.how.${mediation.consent.how}`) === `procedures.web.mediation.how.${mediation.consent.how}` ? (mediation.consent.how ?? '') : t(`procedures.web.mediation.how.${mediation.consent.how}`), mediator: v.names[`person:${mediation.mediator_person_id}`] ?? '' })} ${when(ctx, mediation.consent.given_at)}</dd>` : ''}
<dt>${t('procedures.web.submitted_at')}</dt><dd>${when(ctx, d.submitted_at)}</dd>
${v.groupName ? html`<dt>${t('procedures.web.inbox.group')}</dt><dd>${v.groupName}</dd>` : ''}
</dl>
${stateForm(ctx, v)}
${organiseForms(ctx, v)}
<h2>${t('procedures.web.answers_of_dossier')}</h2>
${answersList(ctx, v.definition.fields, d.data, v.attachments, fileHref)}
<h2 id="messages">${t('procedures.web.messages')}</h2>
${messagesList(ctx, v.messages, v.attachments, fileHref, v.names)}
${messageForm(ctx, v, 'message')}
${messageForm(ctx, v, 'note')}
<h2>${t('procedures.web.history')}</h2>
${historyList(ctx, v.transitions, v.names)}`;
}

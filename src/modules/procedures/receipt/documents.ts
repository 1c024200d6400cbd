// The two PDF documents of a dossier: the citizen's receipt (accusé de réception) and the agents' print
// of a dossier (answers, state, history and messages).
import { dateFormatter, type Locale } from '../../../core/i18n/i18n.ts';
import type { DossierSnapshot } from '../operations/dossier-snapshot.ts';
import { answerRows } from './answers.ts';
import { renderPdf, type PdfBlock } from './pdf-layout.ts';

const TEXT = {
  fr: {
    receipt: 'Accusé de réception',
    dossier: 'Dossier',
    procedure: 'Démarche',
    number: 'Numéro de dossier',
    submitted: 'Déposé le',
    state: 'État',
    answers: 'Vos réponses',
    answersAgent: 'Réponses',
    history: 'Historique',
    messages: 'Messages',
    keep: 'Conservez ce numéro : il permet de suivre votre dossier et de le citer dans vos échanges avec la collectivité.',
    page: (n: number, t: number) => `Page ${n} / ${t}`,
    group: 'Groupe',
    assignee: 'Instructeur',
    labels: 'Étiquettes',
    motivation: 'Motivation',
    mediation: 'Déposé avec l’aide d’un médiateur, consentement de',
    private: 'note privée',
  },
  en: {
    receipt: 'Acknowledgement of receipt',
    dossier: 'Dossier',
    procedure: 'Procedure',
    number: 'Dossier number',
    submitted: 'Submitted on',
    state: 'State',
    answers: 'Your answers',
    answersAgent: 'Answers',
    history: 'History',
    messages: 'Messages',
    keep: 'Keep this number: it lets you follow your dossier and quote it when you write to the authority.',
    page: (n: number, t: number) => `Page ${n} / ${t}`,
    group: 'Group',
    assignee: 'Agent',
    labels: 'Labels',
    motivation: 'Motivation',
    mediation: 'Filed with a mediator, consent of',
    private: 'private note',
  },
};

export const STATE_LABELS: Record<Locale, Record<string, string>> = {
  fr: {
    brouillon: 'Brouillon',
    en_construction: 'En construction',
    en_instruction: 'En instruction',
    accepte: 'Accepté',
    refuse: 'Refusé',
    sans_suite: 'Classé sans suite',
  },
  en: {
    brouillon: 'Draft',
    en_construction: 'Being completed',
    en_instruction: 'Under review',
    accepte: 'Accepted',
    refuse: 'Refused',
    sans_suite: 'Closed without action',
  },
};

const LONG_DATE_TIME = dateFormatter({ dateStyle: 'long', timeStyle: 'short' });

export function formatDateTimeFor(locale: Locale, date: Date): string {
  return LONG_DATE_TIME(locale).format(date);
}

function answerBlocks(d: DossierSnapshot, locale: Locale): PdfBlock[] {
  return answerRows(d.fields, d.data, { locale }).map((r): PdfBlock =>
    r.kind === 'section' ? { type: 'heading', text: r.label } : { type: 'field', label: r.label, value: r.value },
  );
}

/** The receipt given to the citizen at submission. */
export function receiptPdf(d: DossierSnapshot, locale: Locale = 'fr', options: { compress?: boolean } = {}): Buffer {
  const t = TEXT[locale];
  const blocks: PdfBlock[] = [
    { type: 'paragraph', text: d.tenantName, bold: true, size: 12 },
    { type: 'title', text: t.receipt },
    { type: 'field', label: t.procedure, value: d.procedureTitle },
    { type: 'field', label: t.number, value: d.number },
    { type: 'field', label: t.submitted, value: formatDateTimeFor(locale, d.submittedAt ?? d.createdAt) },
    { type: 'paragraph', text: t.keep },
    { type: 'rule' },
    { type: 'heading', text: t.answers },
    ...answerBlocks(d, locale),
  ];
  return renderPdf({
    title: `${t.receipt} — ${t.dossier} ${d.number}`,
    author: d.tenantName,
    subject: d.procedureTitle,
    blocks,
    footer: `${d.tenantName} — ${t.dossier} ${d.number}`,
    pageLabel: t.page,
    compress: options.compress,
  });
}

export interface DossierHistory {
  transitions: Array<{ at: Date; from: string | null; to: string; actor: string; motivation: string | null }>;
  messages: Array<{ at: Date; author: string; visibility: string; body: string }>;
}

/** The agents' print of a dossier: everything the dossier page shows, on paper. */
export function dossierPdf(d: DossierSnapshot, history: DossierHistory, locale: Locale = 'fr'): Buffer {
  const t = TEXT[locale];
  const states = STATE_LABELS[locale];
  const blocks: PdfBlock[] = [
    { type: 'paragraph', text: d.tenantName, bold: true, size: 12 },
    { type: 'title', text: `${t.dossier} ${d.number} — ${d.procedureTitle}` },
    { type: 'field', label: t.state, value: states[d.state] ?? d.state },
    { type: 'field', label: t.submitted, value: d.submittedAt ? formatDateTimeFor(locale, d.submittedAt) : '' },
  ];
  if (d.motivation) blocks.push({ type: 'field', label: t.motivation, value: d.motivation });
  if (d.groupName) blocks.push({ type: 'field', label: t.group, value: d.groupName });
  if (d.assigneeEmail) blocks.push({ type: 'field', label: t.assignee, value: d.assigneeEmail });
  if (d.labels.length) blocks.push({ type: 'field', label: t.labels, value: d.labels.join(', ') });
  const consent = d.mediation && typeof d.mediation.consent === 'object' ? (d.mediation.consent as Record<string, unknown>) : null;
  if (consent)
    blocks.push({ type: 'paragraph', text: `${t.mediation} ${String(consent.name ?? '')} (${String(consent.how ?? '')}, ${String(consent.given_at ?? '')})` });
  blocks.push({ type: 'rule' }, { type: 'heading', text: t.answersAgent }, ...answerBlocks(d, locale));
  if (history.transitions.length) {
    blocks.push({ type: 'heading', text: t.history });
    for (const tr of history.transitions) {
      const line = `${formatDateTimeFor(locale, tr.at)} — ${tr.from ? `${states[tr.from] ?? tr.from} → ` : ''}${states[tr.to] ?? tr.to} (${tr.actor})`;
      blocks.push({ type: 'paragraph', text: tr.motivation ? `${line}\n${t.motivation} : ${tr.motivation}` : line });
    }
  }
  if (history.messages.length) {
    blocks.push({ type: 'heading', text: t.messages });
    for (const m of history.messages) {
      blocks.push({
        type: 'field',
        label: `${formatDateTimeFor(locale, m.at)} — ${m.author}${m.visibility === 'private' ? ` (${t.private})` : ''}`,
        value: m.body,
      });
    }
  }
  return renderPdf({
    title: `${t.dossier} ${d.number}`,
    author: d.tenantName,
    subject: d.procedureTitle,
    blocks,
    footer: `${d.tenantName} — ${t.dossier} ${d.number}`,
    pageLabel: t.page,
  });
}

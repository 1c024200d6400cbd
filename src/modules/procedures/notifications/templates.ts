// Email templates sent to the citizen: one per event, overridable per procedure (settings.notifications
// .templates), with French defaults. Placeholders in braces are replaced by the dossier's values; an
// unknown placeholder is left as written so a typo shows in the email instead of silently vanishing.
import type { NotifyEvent, Template } from '../operations/settings.ts';

export const PLACEHOLDERS = ['numero', 'demarche', 'etat', 'motivation', 'lien', 'collectivite', 'date'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const SIGNATURE = '\n\n-- \n{collectivite}\nCe message est envoyé automatiquement, merci de ne pas y répondre : écrivez-nous depuis la page de votre dossier.';

export const DEFAULT_TEMPLATES: Record<NotifyEvent, Template> = {
  submitted: {
    subject: 'Votre dossier n° {numero} a bien été déposé',
    body:
      'Bonjour,\n\nNous avons bien reçu votre dossier n° {numero} pour la démarche « {demarche} », déposé le {date}.\n\nVous trouverez l’accusé de réception en pièce jointe. Vous pouvez suivre votre dossier, le compléter tant qu’il est en construction et répondre à nos messages à cette adresse :\n{lien}\n\nConservez ce message : le lien ci-dessus est personnel.' +
      SIGNATURE,
  },
  en_construction: {
    subject: 'Dossier n° {numero} : des corrections sont demandées',
    body:
      'Bonjour,\n\nVotre dossier n° {numero} (« {demarche} ») est de nouveau en construction : le service instructeur vous demande de le compléter ou de le corriger.\n\n{motivation}\n\nConsultez les messages et modifiez votre dossier ici :\n{lien}' +
      SIGNATURE,
  },
  en_instruction: {
    subject: 'Votre dossier n° {numero} est en cours d’instruction',
    body:
      'Bonjour,\n\nVotre dossier n° {numero} (« {demarche} ») est désormais en instruction : il ne peut plus être modifié, un agent l’examine.\n\nSuivre votre dossier :\n{lien}' +
      SIGNATURE,
  },
  accepte: {
    subject: 'Votre dossier n° {numero} a été accepté',
    body:
      'Bonjour,\n\nNous avons le plaisir de vous informer que votre dossier n° {numero} (« {demarche} ») a été accepté.\n\n{motivation}\n\nDétails :\n{lien}' +
      SIGNATURE,
  },
  refuse: {
    subject: 'Votre dossier n° {numero} a été refusé',
    body:
      'Bonjour,\n\nNous sommes au regret de vous informer que votre dossier n° {numero} (« {demarche} ») a été refusé, pour le motif suivant :\n\n{motivation}\n\nDétails et voies de recours :\n{lien}' +
      SIGNATURE,
  },
  sans_suite: {
    subject: 'Votre dossier n° {numero} a été classé sans suite',
    body:
      'Bonjour,\n\nVotre dossier n° {numero} (« {demarche} ») a été classé sans suite, pour le motif suivant :\n\n{motivation}\n\nDétails :\n{lien}' +
      SIGNATURE,
  },
  message: {
    subject: 'Nouveau message sur votre dossier n° {numero}',
    body:
      'Bonjour,\n\nUn agent vous a écrit au sujet de votre dossier n° {numero} (« {demarche} »).\n\nLisez le message et répondez depuis la page de votre dossier :\n{lien}' +
      SIGNATURE,
  },
};

/** Replaces {placeholder} in a template; values are plain text (emails are sent as text/plain). */
export function fillTemplate(template: string, values: Partial<Record<Placeholder, string>>): string {
  return (
    template
      .replace(/\{([a-z_]+)\}/g, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? (values[name as Placeholder] ?? '') : whole))
      // A template's empty {motivation} line should not leave a gap of blank lines behind it.
      .replace(/\n{3,}/g, '\n\n')
  );
}

export function renderTemplate(event: NotifyEvent, custom: Partial<Record<NotifyEvent, Template>>, values: Partial<Record<Placeholder, string>>): Template {
  const template = custom[event] ?? DEFAULT_TEMPLATES[event];
  // Subjects are one line: a value with a newline must not inject a header.
  return {
    subject: fillTemplate(template.subject, values)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    body: fillTemplate(template.body, values),
  };
}

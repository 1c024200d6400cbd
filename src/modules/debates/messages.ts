// Texts of the debates (concertation) pages, API errors and mails, French first.
import type { Dictionary } from '../../core/i18n/i18n.ts';

export const debatesMessages: Dictionary = {
  fr: {
    'debates.title': 'Concertations',
  },
  en: {
    'debates.title': 'Public debates',
  },
};

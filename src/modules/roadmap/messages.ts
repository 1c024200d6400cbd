// Texts of the roadmap, funding and solutions pages, French first.
import type { Dictionary } from '../../core/i18n/i18n.ts';

export const roadmapMessages: Dictionary = {
  fr: {
    'roadmap.title': 'Feuille de route numérique',
  },
  en: {
    'roadmap.title': 'Digital roadmap',
  },
};

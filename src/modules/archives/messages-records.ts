// Texts of the records other modules send to the archives (decided dossiers, dataset versions) and of the
// proof of integrity, French first (keys `archives.dataset.*`, `archives.proof.*`).
import type { Dictionary } from '../../core/i18n/i18n.ts';

export const archivesRecordsMessages: Dictionary = {
  fr: {
    'archives.dataset.already': 'Cette version du jeu de données est déjà versée aux archives.',
  },
  en: {
    'archives.dataset.already': 'This version of the dataset is already in the archives.',
  },
};

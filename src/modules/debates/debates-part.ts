// Debates, phases, contributions, supports, comments and moderation (the kits part adds kits, documents,
// FAQ, meetings, answers and results). See docs/debates.md.
import type { ManifestPart } from '../../core/module.ts';
import { debatesMessages } from './messages.ts';
import { registerDebatesApi } from './routes/api.ts';

export const debatesPart: ManifestPart = {
  routes(app, deps) {
    registerDebatesApi(app, deps);
  },
  messages: [debatesMessages],
  openApiTags: [
    { name: 'debates', description: 'Concertations : lister, lire, créer une concertation et ses phases datées.' },
    { name: 'debate contributions', description: 'Contributions (propositions, questions, avis), soutiens, commentaires, avec filtres et pages.' },
    { name: 'debate moderation', description: 'Signalements, masquage avec motif, publication des textes en attente, blocage, file de modération.' },
  ],
};

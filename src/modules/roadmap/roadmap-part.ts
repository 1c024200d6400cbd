// Projects and indicators of each collectivité's digital roadmap: the pages, the API, the monthly
// measurements Bastide makes itself, the PDF and the open dataset (docs/roadmap.md).
import type { ManifestPart } from '../../core/module.ts';
import { roadmapMessages } from './messages.ts';
import { registerRoadmapApi } from './routes/api.ts';

export const roadmapPart: ManifestPart = {
  routes(app, deps) {
    registerRoadmapApi(app, deps);
  },
  messages: [roadmapMessages],
  openApiTags: [
    {
      name: 'roadmap-projects',
      description:
        'Projets de la feuille de route numérique : publiés pour tous, brouillons pour les agents, écriture par l’administrateur de la collectivité.',
    },
    { name: 'roadmap-indicators', description: 'Indicateurs de la feuille de route et leurs valeurs datées, saisies ou mesurées chaque mois par Bastide.' },
  ],
};

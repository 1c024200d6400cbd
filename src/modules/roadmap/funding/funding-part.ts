// Funding programmes (as Aides-territoires describes aids), matching projects to them, saved searches with
// alerts, applications and funding plans.
import type { ManifestPart } from '../../../core/module.ts';
import { roadmapFundingMessages } from './messages-funding.ts';
import { registerProgrammesApi } from './routes/programmes-api.ts';
import { registerProgrammePages } from './routes/programmes-pages.ts';
import { seedFundingDemo } from './seed.ts';

export const fundingPart: ManifestPart = {
  routes(app, deps) {
    registerProgrammesApi(app, deps);
    registerProgrammePages(app, deps);
  },
  messages: [roadmapFundingMessages],
  seedDemo: seedFundingDemo,
  openApiTags: [
    {
      name: 'funding-programmes',
      description:
        'Programmes de financement (France Relance, CRTE, FEDER, DSIL, DETR…), communs à l’installation : lecture pour tous, écriture par l’équipe d’hébergement.',
    },
  ],
  tourPages: [
    { name: 'funding programmes', path: '/{tenant}/feuille-de-route/financements', kind: 'citizen' },
    { name: 'funding programme', path: '/{tenant}/feuille-de-route/financements/france-relance-transformation-numerique-des-collectivites', kind: 'citizen' },
  ],
};

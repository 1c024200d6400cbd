// Debate kits shared between territories (the 5G kit first), documents, FAQ, meetings, answers and results.
import type { ManifestPart } from '../../../core/module.ts';
import { debatesKitsMessages } from './messages-kits.ts';
import { registerKitRoutes } from './routes/kit-routes.ts';
import { registerDebateExtras } from './routes/debate-extras.ts';
import { registerDebateStaffPages } from './routes/staff-pages.ts';
import { debatesStaffMessages } from './messages-staff.ts';
import { DATASET_JOB, refreshContributionsDataset } from './actions/results.ts';
import { FOLLOW_MAIL_JOB, PHASE_SWEEP_JOB, followMailHandler, phaseSweepHandler } from './actions/follow.ts';
import { seedDebatesDemo, DEMO_DEBATE } from './seed.ts';

export const kitsPart: ManifestPart = {
  routes(app, deps) {
    registerKitRoutes(app, deps);
    registerDebateExtras(app, deps);
    registerDebateStaffPages(app, deps);
  },
  jobs: (deps) => ({
    [FOLLOW_MAIL_JOB]: followMailHandler(deps),
    [PHASE_SWEEP_JOB]: phaseSweepHandler(deps),
    [DATASET_JOB]: async (job) => {
      const debateId = typeof job.payload.debateId === 'string' ? job.payload.debateId : null;
      if (job.tenant_id && debateId) await refreshContributionsDataset(deps, job.tenant_id, debateId);
    },
  }),
  // Phases that started (announced once each) every 15 minutes.
  schedules: [{ kind: PHASE_SWEEP_JOB, everySeconds: 900 }],
  staffNav: (ctx) =>
    ctx.tenant && ctx.roles.some((r) => r === 'moderator' || r === 'tenant_admin')
      ? [{ href: `/${ctx.tenant.slug}/admin/concertations/kits`, label: ctx.t('debates.kits.library.title') }]
      : [],
  seedDemo: seedDebatesDemo,
  messages: [debatesKitsMessages, debatesStaffMessages],
  openApiTags: [
    {
      name: 'debate kits',
      description:
        'Kits de concertation : la bibliothèque (les siens, ceux de l’hôte et des réseaux, ceux du produit), importer un kit, le copier dans une nouvelle concertation.',
    },
  ],
  tourPages: [
    { name: 'debates: kit library', path: '/{tenant}/admin/concertations/kits', as: 'moderator', kind: 'staff' },
    { name: 'debates: 5G kit', path: '/{tenant}/admin/concertations/kits/nantes-metropole/debat-local-5g', as: 'moderator', kind: 'staff' },
    { name: 'debates: information and FAQ', path: `/{tenant}/concertations/${DEMO_DEBATE}/informations`, kind: 'citizen' },
    { name: 'debates: radio sites table', path: `/{tenant}/concertations/${DEMO_DEBATE}/donnees/sites-radioelectriques`, kind: 'citizen' },
    { name: 'debates: meetings', path: `/{tenant}/concertations/${DEMO_DEBATE}/reunions`, kind: 'citizen' },
    { name: 'debates: results', path: `/{tenant}/concertations/${DEMO_DEBATE}/resultats`, kind: 'citizen' },
    // The team's pages to edit the 5G debate after copying it from the kit (routes/staff-pages.ts).
    { name: 'debates: manage presentation and phases', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion`, as: 'moderator', kind: 'staff' },
    { name: 'debates: manage FAQ', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion/faq`, as: 'moderator', kind: 'staff' },
    { name: 'debates: manage questions to ask', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion/questions`, as: 'moderator', kind: 'staff' },
    { name: 'debates: manage meetings', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion/reunions`, as: 'moderator', kind: 'staff' },
    { name: 'debates: manage documents', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion/documents`, as: 'moderator', kind: 'staff' },
    { name: 'debates: manage data and radio sites', path: `/{tenant}/concertations/${DEMO_DEBATE}/gestion/donnees`, as: 'moderator', kind: 'staff' },
  ],
};

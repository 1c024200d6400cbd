// Funding programmes (as Aides-territoires describes aids), matching projects to them, saved searches with
// alerts, applications and funding plans.
import type { ManifestPart } from '../../../core/module.ts';
import { grants, STAFF_ROLES } from '../../../core/base/roles.ts';
import { roadmapFundingMessages } from './messages-funding.ts';
import { registerProgrammesApi } from './routes/programmes-api.ts';
import { registerProgrammePages } from './routes/programmes-pages.ts';
import { registerApplicationsApi } from './routes/applications-api.ts';
import { registerFundingPages } from './routes/funding-pages.ts';
import { seedFundingDemo } from './seed.ts';
import { registerAlertPages } from './routes/alerts-pages.ts';
import { ALERTS_JOB, sendFundingAlerts } from './alerts/alerts.ts';

export const fundingPart: ManifestPart = {
  routes(app, deps) {
    registerProgrammesApi(app, deps);
    registerProgrammePages(app, deps);
    registerApplicationsApi(app, deps);
    registerFundingPages(app, deps);
    registerAlertPages(app, deps);
  },
  jobs: (deps) => ({
    [ALERTS_JOB]: async () => {
      await sendFundingAlerts(deps.db, deps.config);
    },
  }),
  // Hourly: a new programme is announced within the hour; each once per alert (roadmap_funding_alert_sends).
  schedules: [{ kind: ALERTS_JOB, everySeconds: 3600 }],
  messages: [roadmapFundingMessages],
  seedDemo: seedFundingDemo,
  staffNav: (ctx) =>
    ctx.tenant && grants(ctx.roles, STAFF_ROLES)
      ? [{ href: `/${ctx.tenant.slug}/admin/feuille-de-route/financements`, label: ctx.t('roadmap.funding.title') }]
      : [],
  openApiTags: [
    {
      name: 'funding-programmes',
      description:
        'Programmes de financement (France Relance, CRTE, FEDER, DSIL, DETR…), communs à l’installation : lecture pour tous, écriture par l’équipe d’hébergement.',
    },
    {
      name: 'funding-matching',
      description:
        'Les programmes qu’un projet peut mobiliser, classés, avec les raisons de chaque critère (public, territoire, thématique, dates, population, montant).',
    },
    {
      name: 'funding-applications',
      description:
        'Candidatures des projets aux programmes (montants demandé, accordé, versé ; dates ; état) et plan de financement : agents en lecture, administrateur en écriture.',
    },
  ],
  tourPages: [
    { name: 'funding programmes', path: '/{tenant}/feuille-de-route/financements', kind: 'citizen' },
    { name: 'funding programme', path: '/{tenant}/feuille-de-route/financements/france-relance-transformation-numerique-des-collectivites', kind: 'citizen' },
    { name: 'funding plan', path: '/{tenant}/admin/feuille-de-route/financements', as: 'tenant_admin', kind: 'staff' },
    {
      name: 'funding of a project',
      path: '/{tenant}/admin/feuille-de-route/projets/plateforme-relation-usagers/financements',
      as: 'tenant_admin',
      kind: 'staff',
    },
    { name: 'funding alerts', path: '/{tenant}/admin/feuille-de-route/alertes', as: 'agent', kind: 'staff' },
    {
      name: 'project record with its funding',
      path: '/{tenant}/admin/feuille-de-route/projets/plateforme-relation-usagers',
      as: 'tenant_admin',
      kind: 'staff',
    },
    {
      name: 'funding programme trail',
      path: '/{tenant}/feuille-de-route/financements/france-relance-transformation-numerique-des-collectivites/historique',
      as: 'tenant_admin',
      kind: 'staff',
    },
  ],
};

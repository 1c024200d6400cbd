// Projects and indicators of each collectivité's digital roadmap: the pages, the API, the measurements
// Bastide makes itself (stored monthly), the PDF and the open dataset (docs/roadmap.md).
import type { ManifestPart } from '../../core/module.ts';
import { html } from '../../core/views/html.ts';
import { grants } from '../../core/base/roles.ts';
import { roadmapMessages } from './messages.ts';
import { registerRoadmapApi } from './routes/api.ts';
import { registerRoadmapPages } from './routes/public.ts';
import { registerRoadmapStaffPages } from './routes/staff.ts';
import { MEASURE_JOB, measureAll, measureTenant, rememberApp } from './indicators/measure.ts';
import { publishAllRoadmapDatasets } from './dataset.ts';
import { seedRoadmapDemo } from './seed.ts';

export const roadmapPart: ManifestPart = {
  routes(app, deps) {
    rememberApp(deps, app);
    registerRoadmapApi(app, deps);
    registerRoadmapPages(app, deps);
    registerRoadmapStaffPages(app, deps);
  },
  jobs: (deps) => ({
    // Daily (installation-wide, no tenant): every collectivité's measured indicators, then its open dataset.
    // With a tenant: that collectivité's "measure now".
    async [MEASURE_JOB](job) {
      if (job.tenant_id) {
        const actor = typeof job.payload.actor === 'string' ? job.payload.actor : 'system';
        await measureTenant(deps, job.tenant_id, actor);
        return;
      }
      await measureAll(deps);
      await publishAllRoadmapDatasets(deps);
    },
  }),
  schedules: [{ kind: MEASURE_JOB, everySeconds: 86_400 }],
  tenantHome: (ctx) => Promise.resolve(ctx.tenant ? html`<p><a href="/${ctx.tenant.slug}/feuille-de-route">${ctx.t('roadmap.title')}</a></p>` : null),
  staffNav: (ctx) =>
    ctx.tenant && grants(ctx.roles, 'tenant_admin') ? [{ href: `/${ctx.tenant.slug}/admin/feuille-de-route`, label: ctx.t('roadmap.staff.title') }] : [],
  seedDemo: seedRoadmapDemo,
  messages: [roadmapMessages],
  openApiTags: [
    {
      name: 'roadmap-projects',
      description:
        'Projets de la feuille de route numérique : publiés pour tous, brouillons pour les agents, écriture par l’administrateur de la collectivité.',
    },
    { name: 'roadmap-indicators', description: 'Indicateurs de la feuille de route et leurs valeurs datées, saisies ou mesurées chaque mois par Bastide.' },
  ],
  tourPages: [
    { name: 'roadmap', path: '/{tenant}/feuille-de-route', kind: 'citizen', screenshot: 'roadmap' },
    { name: 'roadmap project', path: '/{tenant}/feuille-de-route/projets/plateforme-relation-usagers', kind: 'citizen' },
    { name: 'roadmap: administration', path: '/{tenant}/admin/feuille-de-route', as: 'tenant_admin', kind: 'staff' },
    { name: 'roadmap: project editing', path: '/{tenant}/admin/feuille-de-route/projets/cloud-souverain-mutualise', as: 'tenant_admin', kind: 'staff' },
  ],
};

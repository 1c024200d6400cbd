// Debates, phases, contributions, supports, comments and moderation (the kits part adds kits, documents,
// FAQ, meetings, answers and results). See docs/debates.md.
import type { ManifestPart } from '../../core/module.ts';
import { html } from '../../core/views/html.ts';
import { debatesMessages } from './messages.ts';
import { debatesWebMessages } from './messages-web.ts';
import { registerDebatesApi } from './routes/api.ts';
import { registerDebatesPages } from './routes/pages.ts';
import { registerContributionPages } from './routes/contribution-pages.ts';
import { debatesChangesMessages } from './messages-changes.ts';
import { registerDebatesAdminPages } from './routes/admin-pages.ts';
import { debatesAdminMessages } from './messages-admin.ts';
import { DEMO_DEBATE } from './kits/seed.ts';
import { canModerate } from './debates.policy.ts';

export const debatesPart: ManifestPart = {
  routes(app, deps) {
    registerDebatesApi(app, deps);
    registerDebatesPages(app, deps);
    registerContributionPages(app, deps);
    registerDebatesAdminPages(app, deps);
  },
  messages: [debatesMessages, debatesWebMessages, debatesAdminMessages, debatesChangesMessages],
  openApiTags: [
    { name: 'debates', description: 'Concertations : lister, lire, créer une concertation et ses phases datées.' },
    { name: 'debate contributions', description: 'Contributions (propositions, questions, avis), soutiens, commentaires, avec filtres et pages.' },
    { name: 'debate moderation', description: 'Signalements, masquage avec motif, publication des textes en attente, blocage, file de modération.' },
  ],
  staffNav: (ctx) =>
    ctx.tenant && canModerate(ctx) ? [{ href: `/${ctx.tenant.slug}/admin/concertations`, label: ctx.t('debates.web.moderation.admin_title') }] : [],
  tenantHome: async (ctx) =>
    ctx.tenant
      ? html`<h2>${ctx.t('debates.title')}</h2><p>${ctx.t('debates.web.list.intro')} <a href="/${ctx.tenant.slug}/concertations">${ctx.t('debates.title')}</a></p>`
      : null,
  privacyRegister: async (_deps, _tenantId) => [
    {
      name: 'Concertations : contributions, commentaires, soutiens, signalements',
      purpose:
        'Permettre aux personnes connectées de participer aux concertations (nom affiché ou pseudonyme), modérer les échanges (signalements, blocages, motif de masquage) et compter les soutiens, un par personne. Le consentement des personnes aidées par un médiateur est enregistré avec leur contribution. Une contribution reste publiée si le compte est supprimé, sans lien avec lui.',
    },
  ],
  // The demo debate (kits part's seed) gives the debate page, its moderation queue, and a contribution's
  // page at its number: the seed's first contribution in a fresh installation is number 1 (migration 0740).
  tourPages: [
    { name: 'debates list', path: '/{tenant}/concertations', kind: 'citizen' },
    // A member commune's list: the 5G debate its host runs for its members (0750).
    { name: 'debates list of a member commune', path: '/nantes/concertations', kind: 'citizen' },
    { name: 'debates: moderation', path: '/{tenant}/admin/concertations', as: 'moderator', kind: 'staff' },
    { name: 'debates: new debate form', path: '/{tenant}/admin/concertations/nouvelle', as: 'moderator', kind: 'staff' },
    { name: 'debates: the 5G debate', path: `/{tenant}/concertations/${DEMO_DEBATE}`, kind: 'citizen' },
    { name: 'debates: a contribution with its answer', path: `/{tenant}/concertations/${DEMO_DEBATE}/contributions/1`, kind: 'citizen' },
    { name: 'debates: moderation queue of the 5G debate', path: `/{tenant}/concertations/${DEMO_DEBATE}/moderation`, as: 'moderator', kind: 'staff' },
  ],
};

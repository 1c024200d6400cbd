// The network of collectivités: members, bodies and seats, meetings, contributions, events, the network view
// and the solutions directory ("who uses what"). See docs/roadmap.md, chapters "Le réseau" and "Qui utilise quoi".
import type { ManifestPart } from '../../../core/module.ts';
import { registerNetworkApi } from './api.ts';
import { registerNetworkPages } from './pages.ts';
import { roadmapNetworkMessages } from './messages-network.ts';
import { seedNetworkDemo } from './seed.ts';
import { networkTenantHome } from './home.ts';
import { registerNetworkForms } from './admin-forms.ts';
import { roadmapNetworkFormMessages } from './messages-forms.ts';
import { grants } from '../../../core/base/roles.ts';
import { registerNetworkStaffForms } from './staff-forms.ts';
import { roadmapNetworkStaffMessages } from './messages-staff.ts';
import { networkPrivacyRegister } from './privacy.ts';

export const networkPart: ManifestPart = {
  routes(app, deps) {
    registerNetworkApi(app, deps);
    registerNetworkPages(app, deps);
    registerNetworkForms(app, deps);
    registerNetworkStaffForms(app, deps);
  },
  messages: [roadmapNetworkMessages, roadmapNetworkFormMessages, roadmapNetworkStaffMessages],
  staffNav: (ctx) =>
    !ctx.tenant || !grants(ctx.roles, 'tenant_admin')
      ? []
      : ctx.tenant.kind === 'network'
        ? [{ href: `/${ctx.tenant.slug}/reseau/gestion`, label: ctx.t('roadmap.network.staff.title') }]
        : [{ href: `/${ctx.tenant.slug}/admin/reseaux`, label: ctx.t('roadmap.network.forms.title') }],
  // The seats of the network's bodies name elected officials and agents of its members (privacy.ts).
  privacyRegister: networkPrivacyRegister,
  tenantHome: networkTenantHome,
  seedDemo: seedNetworkDemo,
  openApiTags: [
    { name: 'roadmap-network', description: 'Le réseau de collectivités : instances, sièges, réunions, contributions et soutiens, événements, adhésions' },
    { name: 'roadmap-solutions', description: 'Qui utilise quoi : l’annuaire des solutions du réseau et leurs utilisateurs' },
  ],
  tourPages: [
    { name: 'network: home', path: '/les-interconnectes/reseau', kind: 'citizen' },
    { name: 'network: commission', path: '/les-interconnectes/reseau/instances/numerique', kind: 'citizen' },
    { name: 'network: contribution', path: '/les-interconnectes/reseau/contributions/contribution-cite-plus', as: 'tenant_admin', kind: 'staff' },
    { name: 'network: forum', path: '/les-interconnectes/reseau/evenements/forum-2021', kind: 'citizen' },
    { name: 'network: members side by side', path: '/les-interconnectes/reseau/vue', kind: 'citizen' },
    { name: 'network: who uses what', path: '/les-interconnectes/reseau/solutions', kind: 'citizen' },
    { name: 'network: a member’s networks', path: '/{tenant}/admin/reseaux', as: 'tenant_admin', kind: 'staff' },
    { name: 'network: declaring a solution', path: '/{tenant}/admin/reseaux/les-interconnectes/solutions', as: 'tenant_admin', kind: 'staff' },
    { name: 'network: a solution', path: '/les-interconnectes/reseau/solutions/publik?pres-de=sicoval', kind: 'citizen' },
    // The secretariat's pages (staff-forms.ts) with the most fields; the demo's administrator also runs the
    // network's secretariat (seed.ts). The roadmap's pages share one tour step's time limit: three are listed.
    { name: 'network: managing a body', path: '/les-interconnectes/reseau/gestion/instances/numerique', as: 'tenant_admin', kind: 'staff' },
    {
      name: 'network: managing a contribution',
      path: '/les-interconnectes/reseau/gestion/contributions/contribution-cite-plus',
      as: 'tenant_admin',
      kind: 'staff',
    },
    { name: 'network: managing an event', path: '/les-interconnectes/reseau/gestion/evenements/forum-2021', as: 'tenant_admin', kind: 'staff' },
  ],
};

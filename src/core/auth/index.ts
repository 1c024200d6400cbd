// The auth module: sign-up, sign-in (password, TOTP, OpenID Connect per collectivité), password reset,
// the person's account page, and the tenant administration of members and identity providers.
import { fileURLToPath } from 'node:url';
import type { ModuleManifest } from '../module.ts';
import { grants } from '../base/roles.ts';
import { AuthLimits } from './limits.ts';
import { registerSignInRoutes } from './routes/sign-in.ts';
import { registerSignUpRoutes } from './routes/sign-up.ts';
import { registerResetRoutes } from './routes/reset.ts';
import { registerAccountRoutes } from './routes/account.ts';
import { registerOidcRoutes } from './routes/oidc.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerConfirmRoutes } from './routes/confirm.ts';
import { registerInvitationRoutes } from './routes/invitations.ts';
import { sealClearTotpSeeds } from './totp-seeds.ts';
import { PURGE_JOB, purgeExpiredAuthRows } from './purge.ts';
import { authMessages } from './messages.ts';
import { authTrustMessages } from './messages-trust.ts';

export { requireRoles, requireSignedIn } from './require.ts';
export { addOidcProvider, setOidcProviderEnabled, KIND_DEFAULTS, type AddOidcProviderInput } from './oidc/providers.ts';
export { grantRole, removeMember, listMembers } from './members.ts';
export { inviteMember } from './invitations.ts';
export { requireRecentSignIn } from './require.ts';

export const authModule: ModuleManifest = {
  name: 'auth',
  routes: async (app, deps) => {
    // TOTP seeds stored in clear by earlier versions are sealed before the first request (totp-seeds.ts).
    const sealed = await sealClearTotpSeeds(deps.db, deps.secret);
    if (sealed) deps.log.info({ people: sealed }, 'TOTP seeds encrypted at rest');
    // One set of counters per app (each test app starts clean).
    const limits = new AuthLimits();
    registerSignInRoutes(app, deps, limits);
    registerSignUpRoutes(app, deps, limits);
    registerResetRoutes(app, deps, limits);
    registerAccountRoutes(app, deps, limits);
    registerOidcRoutes(app, deps, limits);
    registerAdminRoutes(app, deps);
    registerConfirmRoutes(app, deps, limits);
    registerInvitationRoutes(app, deps);
  },
  jobs: () => ({
    [PURGE_JOB]: async (_job, db) => {
      await purgeExpiredAuthRows(db);
    },
  }),
  schedules: [{ kind: PURGE_JOB, everySeconds: 3600 }],
  staffNav: (ctx) =>
    ctx.tenant && grants(ctx.roles, 'tenant_admin')
      ? [
          { href: `/${ctx.tenant.slug}/admin/members`, label: ctx.t('auth.members.title') },
          { href: `/${ctx.tenant.slug}/admin/sign-in`, label: ctx.t('auth.providers.title') },
        ]
      : [],
  // Tokens, identity providers, sessions: numbers 0100–0199.
  migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 100, last: 199 },
  messages: [authMessages, authTrustMessages],
  tourPages: [
    { name: 'account', path: '/account', as: 'citizen', kind: 'citizen' },
    { name: 'administration: members', path: '/{tenant}/admin/members', as: 'tenant_admin', kind: 'staff' },
    { name: 'administration: identity providers', path: '/{tenant}/admin/sign-in', as: 'tenant_admin', kind: 'staff' },
  ],
  privacyRegister: async () => [
    {
      name: 'Comptes utilisateurs',
      purpose: 'Se connecter aux services en ligne (adresse électronique, nom, mot de passe chiffré, rôles) ; conservé tant que le compte existe.',
    },
  ],
};

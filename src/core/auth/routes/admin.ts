// /<tenant>/admin/members and /<tenant>/admin/sign-in: a tenant administrator (or an administrator of
// its host: see effectiveRoles) manages members, roles and identity providers.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { actorOf, requireTenant } from '../../base/context.ts';
import { isUuid } from '../../db/ids.ts';
import { notFound } from '../../base/errors.ts';
import { requireRecentSignIn, requireRoles } from '../require.ts';
import { listMembers, removeMember } from '../members.ts';
import { inviteMember, listPendingInvitations, revokeInvitation } from '../invitations.ts';
import { addOidcProvider, listProviders, setOidcProviderEnabled, type ProviderKind } from '../oidc/providers.ts';
import { membersPage, providersPage } from '../views/admin.ts';
import { OIDC_CALLBACK_PATH } from '../oidc/flow.ts';

type Form = Record<string, string | undefined>;
const NOTICES = new Set(['member_added', 'member_invited', 'invitation_revoked', 'member_removed', 'provider_added', 'provider_changed']);

export function registerAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, config } = deps;
  const html = 'text/html; charset=utf-8';

  app.get('/:tenant/admin/members', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    const query = request.query as Form;
    const all = query.all === '1';
    const list = await db.transaction(tenant.id, async (tx) => ({
      ...(await listMembers(tx, { includeCitizens: all })),
      invitations: await listPendingInvitations(tx),
    }));
    const n = query.notice && NOTICES.has(query.notice) ? request.ctx.t(`auth.notice.${query.notice}`) : undefined;
    return reply.type(html).send(membersPage(request.ctx, { ...list, all, notice: n }).value);
  });

  app.post('/:tenant/admin/members', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    // Granting a role is an invitation (invitations.ts), and asks for a recent sign-in.
    await requireRecentSignIn(db, request, `/${tenant.slug}/admin/members`);
    const form = (request.body ?? {}) as Form;
    const result = await inviteMember(db, tenant, {
      email: form.email ?? '',
      role: form.role ?? '',
      actor: actorOf(request.ctx),
      baseUrl: config.baseUrl,
      locale: request.ctx.locale,
      secret: deps.secret,
    });
    if (result.ok) return reply.redirect(`/${tenant.slug}/admin/members?notice=member_invited`, 303);
    const list = await db.transaction(tenant.id, async (tx) => ({ ...(await listMembers(tx)), invitations: await listPendingInvitations(tx) }));
    return reply
      .code(422)
      .type(html)
      .send(
        membersPage(request.ctx, {
          ...list,
          all: false,
          values: { email: form.email, role: form.role },
          errors: { [result.field]: [request.ctx.t(result.error)] },
        }).value,
      );
  });

  app.post('/:tenant/admin/members/remove', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    const form = (request.body ?? {}) as Form;
    if (!isUuid(form.person_id)) throw notFound();
    await requireRecentSignIn(db, request, `/${tenant.slug}/admin/members`);
    const result = await removeMember(db, tenant.id, {
      personId: form.person_id,
      role: form.role ?? '',
      actor: actorOf(request.ctx),
      keepSessionId: request.ctx.sessionId,
    });
    if (result.ok) return reply.redirect(`/${tenant.slug}/admin/members?notice=member_removed`, 303);
    const list = await db.transaction(tenant.id, (tx) => listMembers(tx));
    return reply
      .code(422)
      .type(html)
      .send(membersPage(request.ctx, { ...list, all: false, errors: { role: [request.ctx.t(result.error)] } }).value);
  });

  app.post('/:tenant/admin/members/invitations/:id/revoke', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id) || !(await revokeInvitation(db, tenant.id, { id, actor: actorOf(request.ctx) }))) throw notFound();
    return reply.redirect(`/${tenant.slug}/admin/members?notice=invitation_revoked`, 303);
  });

  const redirectUri = `${config.baseUrl}${OIDC_CALLBACK_PATH}`;

  app.get('/:tenant/admin/sign-in', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    const providers = await db.transaction(tenant.id, (tx) => listProviders(tx));
    const query = request.query as Form;
    const n = query.notice && NOTICES.has(query.notice) ? request.ctx.t(`auth.notice.${query.notice}`) : undefined;
    return reply.type(html).send(providersPage(request.ctx, { providers, redirectUri, allow: config.oidcIssuers, notice: n }).value);
  });

  app.post('/:tenant/admin/sign-in', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    await requireRecentSignIn(db, request, `/${tenant.slug}/admin/sign-in`);
    const form = (request.body ?? {}) as Form;
    const result = await addOidcProvider(
      db,
      tenant.id,
      {
        kind: (form.kind ?? '') as ProviderKind,
        issuer: form.issuer ?? '',
        clientId: form.client_id ?? '',
        clientSecret: form.client_secret ?? '',
        slug: form.slug?.trim() || undefined,
        label: form.label,
        actor: actorOf(request.ctx),
      },
      config.oidcIssuers,
    );
    if (result.ok) return reply.redirect(`/${tenant.slug}/admin/sign-in?notice=provider_added`, 303);
    const providers = await db.transaction(tenant.id, (tx) => listProviders(tx));
    const errors = Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, [request.ctx.t(v)]]));
    return reply
      .code(422)
      .type(html)
      .send(providersPage(request.ctx, { providers, redirectUri, allow: config.oidcIssuers, values: form, errors }).value);
  });

  app.post('/:tenant/admin/sign-in/:id/:action', async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = requireTenant(request);
    const { id, action } = request.params as { id: string; action: string };
    if (!isUuid(id) || (action !== 'enable' && action !== 'disable')) throw notFound();
    await requireRecentSignIn(db, request, `/${tenant.slug}/admin/sign-in`);
    if (!(await setOidcProviderEnabled(db, tenant.id, id, action === 'enable', actorOf(request.ctx)))) throw notFound();
    return reply.redirect(`/${tenant.slug}/admin/sign-in?notice=provider_changed`, 303);
  });
}

// /<tenant>/invitation?token=…: the link of an invitation to a role. The page (GET) changes nothing, so
// that a mail scanner following links accepts nothing; the button (POST) accepts, signed in with the
// invited address (invitations.ts).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { requireTenant } from '../../base/context.ts';
import { requireSignedIn } from '../require.ts';
import { normaliseEmail } from '../people.ts';
import { acceptInvitation, findOpenInvitation } from '../invitations.ts';
import { invitationPage } from '../views/trust.ts';
import { messagePage } from '../views/sign-in.ts';

type Form = Record<string, string | undefined>;

export function registerInvitationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const html = 'text/html; charset=utf-8';
  const invalid = (request: { ctx: AppRequestCtx }) =>
    messagePage(request.ctx, {
      title: request.ctx.t('auth.invitations.invalid_title'),
      text: request.ctx.t('auth.invitations.invalid_text'),
    }).value;

  app.get('/:tenant/invitation', async (request, reply) => {
    const person = requireSignedIn(request);
    const tenant = requireTenant(request);
    const token = (request.query as Form).token ?? '';
    const open = await db.transaction(tenant.id, (tx) => findOpenInvitation(tx, token));
    if (!open) return reply.code(404).type(html).send(invalid(request));
    return reply.type(html).send(
      invitationPage(request.ctx, {
        token,
        tenantName: tenant.name,
        role: open.role,
        otherAddress: open.email !== normaliseEmail(person.email),
      }).value,
    );
  });

  app.post('/:tenant/invitation', async (request, reply) => {
    const person = requireSignedIn(request);
    const tenant = requireTenant(request);
    const token = ((request.body ?? {}) as Form).token ?? '';
    const result = await acceptInvitation(db, tenant.id, { token, person, sessionId: request.ctx.sessionId! });
    if (result.ok || result.reason === 'already') return reply.redirect('/account?notice=invitation_accepted', 303);
    if (result.reason === 'other_address') {
      return reply.redirect(`/${tenant.slug}/invitation?token=${encodeURIComponent(token)}`, 303);
    }
    return reply.code(404).type(html).send(invalid(request));
  });
}

type AppRequestCtx = Parameters<typeof messagePage>[0];

// Route guards. An anonymous visitor is sent to the sign-in page (and comes back); a signed-in person
// without the role gets a 403 page.
import type { FastifyRequest } from 'fastify';
import type { Person } from '../base/context.ts';
import { forbidden, redirectTo } from '../base/errors.ts';
import type { Database } from '../db/database.ts';
import { grants, type Role } from '../base/roles.ts';
import { signedInRecently } from './sessions.ts';

function signInUrl(request: FastifyRequest): string {
  const tenant = request.ctx.tenant;
  const next = request.method === 'GET' ? request.url : tenant ? `/${tenant.slug}/` : '/';
  return `/auth/sign-in?next=${encodeURIComponent(next)}${tenant ? `&tenant=${tenant.slug}` : ''}`;
}

export function requireSignedIn(request: FastifyRequest): Person {
  if (!request.ctx.person) throw redirectTo(signInUrl(request));
  return request.ctx.person;
}

/** The person when they hold one of `roles` in the request's tenant (tenant_admin grants all). */
export function requireRoles(request: FastifyRequest, roles: Role | readonly Role[]): Person {
  const person = requireSignedIn(request);
  if (!request.ctx.tenant || !grants(request.ctx.roles, roles)) throw forbidden();
  return person;
}

/**
 * Sensitive changes (role grants, identity providers, webhooks) need a sign-in made in this session within
 * RECENT_SIGN_IN_MINUTES: a browser left open, or a stolen session cookie, is not enough. Otherwise the
 * person is sent to /auth/confirm (password and/or TOTP code), which brings them back to `returnTo` (the
 * form, to submit again). Bearer tokens of the API are not sessions: they are issued by the host operator.
 */
export async function requireRecentSignIn(db: Database, request: FastifyRequest, returnTo: string): Promise<void> {
  if (request.ctx.api) return;
  const sessionId = request.ctx.sessionId;
  if (sessionId && (await db.transaction(null, (tx) => signedInRecently(tx, sessionId)))) return;
  throw redirectTo(`/auth/confirm?next=${encodeURIComponent(returnTo)}`);
}

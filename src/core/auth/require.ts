// Route guards. An anonymous visitor is sent to the sign-in page (and comes back); a signed-in person
// without the role gets a 403 page.
import type { FastifyRequest } from 'fastify';
import type { Person } from '../http/context.ts';
import { forbidden, redirectTo } from '../http/errors.ts';
import { grants, type Role } from './roles.ts';

function signInUrl(request: FastifyRequest): string {
  const tenant = request.ctx.tenant;
  const next = request.method === 'GET' ? request.url : (tenant ? `/${tenant.slug}/` : '/');
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

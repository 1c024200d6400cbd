// What every request knows once the core hooks ran: language, tenant, who is signed in and their roles.
import type { FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../i18n/i18n.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import type { Role } from './roles.ts';

export interface Person {
  id: string;
  email: string;
  display_name: string;
  email_verified_at: Date | null;
  totp_secret: string | null;
  is_host_operator: boolean;
  locale: Locale;
}

export interface ApiPrincipal {
  tokenId: string;
  role: Role;
  personId: string | null;
}

export interface RequestContext {
  locale: Locale;
  t: Translate;
  /** The collectivité named in the path (`/<slug>/…`, `/api/v1/<slug>/…`), or null. */
  tenant: Tenant | null;
  person: Person | null;
  sessionId: string | null;
  /** The person's (or token's) roles in `tenant`, including those granted by a host tenant. */
  roles: Role[];
  api: ApiPrincipal | null;
  /** Token to put in every HTML form (`_csrf`). */
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/** Actor string for the journal. */
export function actorOf(ctx: RequestContext): string {
  if (ctx.api) return ctx.api.personId ? `person:${ctx.api.personId}` : `token:${ctx.api.tokenId}`;
  if (ctx.person) return `person:${ctx.person.id}`;
  return 'anonymous';
}

export function requireTenant(request: FastifyRequest): Tenant {
  if (!request.ctx.tenant) throw new Error('route expects a tenant in its path');
  return request.ctx.tenant;
}

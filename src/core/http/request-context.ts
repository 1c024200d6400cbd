// Fills request.ctx before any route runs: language, tenant from the path, session or bearer token,
// effective roles in the tenant, CSRF token; and checks the CSRF token of every HTML form post.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { negotiateLocale, translator } from '../i18n/i18n.ts';
import { type TenantCache, listHostsOf } from '../tenancy/tenants.ts';
import { isReservedRootPath } from '../tenancy/reserved-paths.ts';
import { CSRF_COOKIE, csrfTokenFor, csrfTokenValid, newCsrfCookie } from '../auth/csrf.ts';
import { SESSION_COOKIE, findSession } from '../auth/sessions.ts';
import type { ApiTokenCache } from '../auth/api-token-cache.ts';
import { isRole, type Role } from '../base/roles.ts';
import { HttpError, notFound, unauthorized } from '../base/errors.ts';

function tenantSlugOf(url: string): string | null {
  const path = url.split('?')[0]!;
  const parts = path.split('/');
  if (parts[1] === 'api' && parts[2] === 'v1') return parts[3] || null;
  const first = parts[1];
  if (!first || isReservedRootPath(first)) return null;
  return decodeURIComponent(first);
}

/**
 * Roles held in `tenantId`, plus tenant_admin when the person administers a host of this tenant. Read
 * from effective_memberships (migration 0105): a staff role of an account whose address is not verified
 * is not there, so it gives no right, even to a session opened before the role was written.
 */
export async function effectiveRoles(db: Database, tenantId: string, personId: string, isHostOperator: boolean): Promise<Role[]> {
  if (isHostOperator) return ['tenant_admin'];
  const roles = await db.transaction(tenantId, async (tx) => {
    const own = await tx.query<{ role: string }>('select role from effective_memberships where person_id = $1', [personId]);
    return { own: own.map((r) => r.role).filter(isRole), hosts: await listHostsOf(tx, tenantId) };
  });
  for (const hostId of roles.hosts) {
    const hostAdmin = await db.transaction(hostId, (tx) =>
      tx.one(`select 1 from effective_memberships where person_id = $1 and role = 'tenant_admin'`, [personId]),
    );
    if (hostAdmin && !roles.own.includes('tenant_admin')) roles.own.push('tenant_admin');
  }
  return roles.own;
}

export function registerRequestContext(
  app: FastifyInstance,
  deps: { db: Database; secret: string; tenants: TenantCache; apiTokens: ApiTokenCache; secureCookies: boolean },
): void {
  const { db, secret, tenants } = deps;
  app.decorateRequest('ctx', null as never);

  app.addHook('onRequest', async (request, reply) => {
    const cookies = request.cookies;
    const locale = negotiateLocale(cookies.bastide_lang, request.headers['accept-language']);
    const isApi = request.url.startsWith('/api/');
    // The API has no forms and takes no cookie-borne session: no CSRF cookie for it. Elsewhere the token
    // is worked out (an HMAC) only when a page asks for it.
    let csrfCookie = cookies[CSRF_COOKIE];
    if (!isApi && (!csrfCookie || csrfCookie.length > 64)) {
      csrfCookie = newCsrfCookie();
      reply.setCookie(CSRF_COOKIE, csrfCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies });
    }
    let csrfToken: string | null = null;
    request.ctx = {
      locale,
      t: translator(locale),
      tenant: null,
      person: null,
      sessionId: null,
      roles: [],
      api: null,
      get csrfToken() {
        return (csrfToken ??= csrfTokenFor(secret, csrfCookie ?? ''));
      },
    };
    const slug = tenantSlugOf(request.url);
    if (slug) {
      const tenant = /^[a-z0-9-]{1,63}$/.test(slug) ? await tenants.get(slug) : null;
      if (!tenant) throw notFound();
      request.ctx.tenant = tenant;
    }
    const authorization = request.headers.authorization;
    if (isApi && authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match || !request.ctx.tenant) throw unauthorized();
      const answer = await deps.apiTokens.check(request.ctx.tenant.id, match[1]!);
      if (answer.kind === 'refused') throw unauthorized();
      // A valid token of another collectivité: that collectivité's resources do not exist for it (404,
      // as the API contract says), rather than a hint that the token itself is wrong.
      if (answer.kind === 'other_tenant') throw notFound();
      request.ctx.api = answer.grant;
      request.ctx.roles = [answer.grant.role];
      return;
    }
    const sessionToken = cookies[SESSION_COOKIE];
    if (sessionToken && !isApi) {
      const session = await db.transaction(null, (tx) => findSession(tx, sessionToken));
      if (session && !session.secondFactorPending) {
        request.ctx.person = session.person;
        request.ctx.sessionId = session.sessionId;
        if (!cookies.bastide_lang) {
          request.ctx.locale = session.person.locale;
          request.ctx.t = translator(session.person.locale);
        }
        if (request.ctx.tenant) {
          request.ctx.roles = await effectiveRoles(db, request.ctx.tenant.id, session.person.id, session.person.is_host_operator);
        }
      }
    }
  });

  // HTML forms (not the bearer-token API) must carry the CSRF token of this browser.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (request.url.startsWith('/api/') || request.url.startsWith('/_admin/')) return;
    const body = request.body as Record<string, unknown> | undefined;
    // Multipart forms (file uploads) carry it in the action URL, since their body is read by the route.
    const token = body?._csrf ?? (request.query as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
    if (!csrfTokenValid(secret, request.cookies[CSRF_COOKIE], token)) {
      throw new HttpError(403, 'csrf', request.ctx.t('core.error.csrf'));
    }
  });
}

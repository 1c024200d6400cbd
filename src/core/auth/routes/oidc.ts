// /auth/oidc/<tenant>/<provider> sends the browser to the provider; /auth/oidc/callback (one redirect URI
// for the whole installation, to register with each provider) brings it back and signs the person in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { notFound } from '../../http/errors.ts';
import { findProvider } from '../oidc/providers.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE, OIDC_COOKIE_SECONDS, OidcClients, openFlow, sealFlow } from '../oidc/flow.ts';
import { linkOidcPerson } from '../oidc/link.ts';
import { rotateSession, safeNext } from '../web-session.ts';
import { messagePage } from '../views/sign-in.ts';
import { isUuid } from '../../db/ids.ts';

type Query = Record<string, string | undefined>;

export function registerOidcRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db, config, secret } = deps;
  const secure = config.baseUrl.startsWith('https:');
  const clients = new OidcClients(config.env);
  const redirectUri = `${config.baseUrl}${OIDC_CALLBACK_PATH}`;
  const cookieOptions = { path: OIDC_CALLBACK_PATH, httpOnly: true, sameSite: 'lax' as const, secure };

  app.get('/auth/oidc/:tenant/:provider', async (request, reply) => {
    const params = request.params as { tenant: string; provider: string };
    const tenant = /^[a-z0-9-]{1,63}$/.test(params.tenant) ? await deps.tenants.get(params.tenant) : null;
    if (!tenant) throw notFound();
    request.ctx.tenant = tenant;
    const provider = await db.transaction(tenant.id, (tx) => findProvider(tx, { slug: params.provider }));
    if (!provider?.enabled) throw notFound();
    const next = safeNext((request.query as Query).next, config.baseUrl, `/${tenant.slug}/`);
    let started;
    try {
      started = await clients.start(provider, redirectUri, next);
    } catch (error) {
      request.log.warn({ err: error, provider: provider.slug, tenant: tenant.slug }, 'OpenID Connect discovery failed');
      return failed(request, reply, 502, provider.label);
    }
    reply.setCookie(OIDC_COOKIE, sealFlow(secret, started.flow), { ...cookieOptions, maxAge: OIDC_COOKIE_SECONDS });
    return reply.redirect(started.url, 303);
  });

  function failed(request: FastifyRequest, reply: FastifyReply, status: number, label: string, key = 'auth.oidc.failed') {
    const { t } = request.ctx;
    return reply.code(status).type('text/html; charset=utf-8').send(messagePage(request.ctx, {
      title: t('auth.oidc.failed_title'), text: t(key, { provider: label }),
      link: { href: `/auth/sign-in${request.ctx.tenant ? `?tenant=${request.ctx.tenant.slug}` : ''}`, label: t('auth.sign_in.title') },
    }).value);
  }

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    const flow = openFlow(secret, request.cookies[OIDC_COOKIE]);
    // Single use: whatever happens next, this browser's flow is over.
    reply.clearCookie(OIDC_COOKIE, cookieOptions);
    const query = request.query as Query;
    if (!flow || !isUuid(flow.tenantId) || query.state !== flow.state) return failed(request, reply, 400, 'OpenID Connect', 'auth.oidc.bad_state');
    const provider = await db.transaction(flow.tenantId, (tx) => findProvider(tx, { id: flow.providerId }));
    if (!provider?.enabled) return failed(request, reply, 400, 'OpenID Connect', 'auth.oidc.bad_state');
    const tenant = (await db.transaction(null, (tx) => tx.one<{ slug: string }>('select slug from tenants where id = $1', [flow.tenantId])))!;
    request.ctx.tenant = await deps.tenants.get(tenant.slug);
    if (query.error) return failed(request, reply, 400, provider.label, query.error === 'access_denied' ? 'auth.oidc.cancelled' : 'auth.oidc.failed');
    let claims;
    try {
      // Built from the configured base URL, never from the Host header.
      const search = request.url.slice(request.url.indexOf('?'));
      claims = await clients.finish(provider, flow, new URL(`${redirectUri}${search}`));
    } catch (error) {
      request.log.warn({ err: error, provider: provider.slug }, 'OpenID Connect callback refused');
      return failed(request, reply, 400, provider.label);
    }
    const linked = await linkOidcPerson(db, provider, claims);
    if (!linked.ok) return failed(request, reply, 403, provider.label, `auth.oidc.${linked.reason}`);
    await rotateSession(db, request, reply, linked.personId, { secondFactorPending: linked.totp, secure });
    return reply.redirect(linked.totp ? `/auth/totp?next=${encodeURIComponent(flow.next)}` : flow.next, 303);
  });
}

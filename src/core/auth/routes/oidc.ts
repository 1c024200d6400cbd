// /auth/oidc/<tenant>/<provider> sends the browser to the provider; /auth/oidc/callback (one redirect URI
// for the whole installation, to register with each provider) brings it back and signs the person in.
// Who that is, and when an identity may be bound to an account, is decided in oidc/link.ts; the pages of
// proving an account (/auth/oidc/link…) and of linking providers from the account (/account/identities)
// are here too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { notFound } from '../../base/errors.ts';
import { findProvider, listProviders, type OidcProvider } from '../oidc/providers.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE, OIDC_COOKIE_SECONDS, OidcClients, openFlow, sealFlow } from '../oidc/flow.ts';
import { usableProvider, vouchesForEmail } from '../oidc/issuers.ts';
import {
  LINK_REQUEST_MINUTES,
  bindIdentity,
  confirmLinkRequest,
  findLinkRequest,
  identitiesOf,
  newLinkMailToken,
  resolveOidcSignIn,
  unbindIdentities,
} from '../oidc/link.ts';
import { findPersonById, membershipsOf } from '../people.ts';
import { sendIdentityLinkMail } from '../mails.ts';
import { requireRecentSignIn, requireSignedIn } from '../require.ts';
import type { AuthLimits } from '../limits.ts';
import { rotateSession, safeNext } from '../web-session.ts';
import { messagePage } from '../views/sign-in.ts';
import { identitiesPage, linkConfirmPage, linkRequestPage, type IdentityRow } from '../views/oidc-link.ts';
import { isUuid } from '../../db/ids.ts';
import type { Tenant } from '../../tenancy/tenants.ts';

type Query = Record<string, string | undefined>;

/** The browser's proof of having made the sign-in a link request is about: `<tenant id>.<secret>`. */
const LINK_COOKIE = 'bastide_oidc_link';
const LINK_PATH = '/auth/oidc/link';

export function registerOidcRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db, config, secret } = deps;
  const secure = config.baseUrl.startsWith('https:');
  const clients = new OidcClients(config.env, { allow: config.outboundAllow });
  const redirectUri = `${config.baseUrl}${OIDC_CALLBACK_PATH}`;
  const cookieOptions = { path: OIDC_CALLBACK_PATH, httpOnly: true, sameSite: 'lax' as const, secure };
  const linkCookieOptions = { path: LINK_PATH, httpOnly: true, sameSite: 'lax' as const, secure };
  const html = 'text/html; charset=utf-8';
  const allow = config.oidcIssuers;

  async function tenantById(id: string): Promise<Tenant | null> {
    const row = await db.transaction(null, (tx) => tx.one<{ slug: string }>('select slug from tenants where id = $1', [id]));
    return row ? deps.tenants.get(row.slug) : null;
  }

  function failed(request: FastifyRequest, reply: FastifyReply, status: number, label: string, key = 'auth.oidc.failed') {
    const { t } = request.ctx;
    return reply
      .code(status)
      .type(html)
      .send(
        messagePage(request.ctx, {
          title: t('auth.oidc.failed_title'),
          text: t(key, { provider: label }),
          link: { href: `/auth/sign-in${request.ctx.tenant ? `?tenant=${request.ctx.tenant.slug}` : ''}`, label: t('auth.sign_in.title') },
        }).value,
      );
  }

  /** The tenant and provider of a start URL, or a 404; a provider the host does not allow is refused. */
  async function startTarget(request: FastifyRequest): Promise<{ tenant: Tenant; provider: OidcProvider }> {
    const params = request.params as { tenant: string; provider: string };
    const tenant = /^[a-z0-9-]{1,63}$/.test(params.tenant) ? await deps.tenants.get(params.tenant) : null;
    if (!tenant) throw notFound();
    request.ctx.tenant = tenant;
    const provider = await db.transaction(tenant.id, (tx) => findProvider(tx, { slug: params.provider }));
    if (!provider?.enabled) throw notFound();
    return { tenant, provider };
  }

  async function start(request: FastifyRequest, reply: FastifyReply, provider: OidcProvider, next: string, link?: string) {
    // A FranceConnect/ProConnect provider whose issuer is not (or no longer) on the host's list is not used.
    if (!usableProvider(allow, provider)) return failed(request, reply, 403, provider.label, 'auth.oidc.issuer_not_allowed');
    let started;
    try {
      started = await clients.start(provider, redirectUri, next);
    } catch (error) {
      request.log.warn({ err: error, provider: provider.slug, tenant: request.ctx.tenant?.slug }, 'OpenID Connect discovery failed');
      return failed(request, reply, 502, provider.label);
    }
    reply.setCookie(OIDC_COOKIE, sealFlow(secret, link ? { ...started.flow, link } : started.flow), { ...cookieOptions, maxAge: OIDC_COOKIE_SECONDS });
    return reply.redirect(started.url, 303);
  }

  app.get('/auth/oidc/:tenant/:provider', async (request, reply) => {
    const { tenant, provider } = await startTarget(request);
    const next = safeNext((request.query as Query).next, config.baseUrl, `/${tenant.slug}/`);
    return start(request, reply, provider, next);
  });

  // "Link this provider to my account": a form (CSRF-checked), so that no other site can start it in a
  // signed-in browser and have it come back with an identity of the attacker's choosing.
  app.post('/auth/oidc/:tenant/:provider/link', async (request, reply) => {
    const person = requireSignedIn(request);
    const { provider } = await startTarget(request);
    if (!person.email_verified_at || person.is_host_operator) return reply.redirect('/account/identities', 303);
    // A new way into the account: like other sensitive changes, it needs a recent sign-in (/auth/confirm).
    await requireRecentSignIn(db, request, '/account/identities');
    return start(request, reply, provider, '/account/identities', person.id);
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    const flow = openFlow(secret, request.cookies[OIDC_COOKIE]);
    // Single use: whatever happens next, this browser's flow is over.
    reply.clearCookie(OIDC_COOKIE, cookieOptions);
    const query = request.query as Query;
    if (!flow || !isUuid(flow.tenantId) || query.state !== flow.state) return failed(request, reply, 400, 'OpenID Connect', 'auth.oidc.bad_state');
    const provider = await db.transaction(flow.tenantId, (tx) => findProvider(tx, { id: flow.providerId }));
    if (!provider?.enabled) return failed(request, reply, 400, 'OpenID Connect', 'auth.oidc.bad_state');
    request.ctx.tenant = await tenantById(flow.tenantId);
    if (!usableProvider(allow, provider)) return failed(request, reply, 403, provider.label, 'auth.oidc.issuer_not_allowed');
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

    if (flow.link) {
      // Linking from the account page: the proof is being signed in, now, as the person who asked.
      const person = request.ctx.person;
      if (!person || person.id !== flow.link) return failed(request, reply, 400, provider.label, 'auth.oidc.bad_state');
      if (!person.email_verified_at) return failed(request, reply, 403, provider.label, 'auth.oidc.unverified');
      const refusal = await db.transaction(provider.tenant_id, (tx) => bindIdentity(tx, provider, claims.sub, person.id, 'signed_in'));
      if (refusal) return failed(request, reply, 403, provider.label, `auth.oidc.${refusal}`);
      return reply.redirect('/account/identities?notice=identity_linked', 303);
    }

    const outcome = await resolveOidcSignIn(db, provider, claims, { vouches: vouchesForEmail(allow, provider), next: flow.next });
    if (outcome.kind === 'refused') return failed(request, reply, 403, provider.label, `auth.oidc.${outcome.reason}`);
    if (outcome.kind === 'needs_proof') {
      reply.setCookie(LINK_COOKIE, `${provider.tenant_id}.${outcome.secret}`, { ...linkCookieOptions, maxAge: LINK_REQUEST_MINUTES * 60 });
      return reply.redirect(LINK_PATH, 303);
    }
    await rotateSession(db, request, reply, outcome.personId, { secondFactorPending: outcome.totp, secure });
    return reply.redirect(outcome.totp ? `/auth/totp?next=${encodeURIComponent(flow.next)}` : flow.next, 303);
  });

  /** The link request this browser holds (its cookie), with its provider and collectivité; or null. */
  async function linkRequestOf(request: FastifyRequest) {
    const cookie = request.cookies[LINK_COOKIE] ?? '';
    const dot = cookie.indexOf('.');
    const tenantId = cookie.slice(0, dot);
    const browserSecret = cookie.slice(dot + 1);
    if (dot < 0 || !isUuid(tenantId) || !/^[\w-]{20,100}$/.test(browserSecret)) return null;
    const found = await db.transaction(tenantId, async (tx) => {
      const linkRequest = await findLinkRequest(tx, browserSecret);
      const provider = linkRequest ? await findProvider(tx, { id: linkRequest.provider_id }) : null;
      const person = linkRequest ? await findPersonById(tx, linkRequest.person_id) : null;
      return linkRequest && provider && person ? { linkRequest, provider, person } : null;
    });
    const tenant = found ? await tenantById(tenantId) : null;
    if (!found || !tenant || !usableProvider(allow, found.provider)) return null;
    request.ctx.tenant = tenant;
    return { ...found, tenant, browserSecret };
  }

  function expired(request: FastifyRequest, reply: FastifyReply, key = 'auth.link.expired') {
    const { t } = request.ctx;
    return reply
      .code(400)
      .type(html)
      .send(
        messagePage(request.ctx, {
          title: t('auth.link.title'),
          text: t(key, { minutes: LINK_REQUEST_MINUTES }),
          link: { href: '/auth/sign-in', label: t('auth.sign_in.title') },
        }).value,
      );
  }

  app.get(LINK_PATH, async (request, reply) => {
    const found = await linkRequestOf(request);
    if (!found) return expired(request, reply);
    const signedIn = request.ctx.person;
    const notice = (request.query as Query).notice === 'link_mail_sent' ? request.ctx.t('auth.notice.link_mail_sent') : undefined;
    return reply.type(html).send(
      linkRequestPage(request.ctx, {
        email: found.person.email,
        provider: found.provider.label,
        tenantSlug: found.tenant.slug,
        notice,
        signedInAsOwner: signedIn?.id === found.person.id,
        signedInAsOther: Boolean(signedIn && signedIn.id !== found.person.id),
      }).value,
    );
  });

  app.post(`${LINK_PATH}/mail`, async (request, reply) => {
    const found = await linkRequestOf(request);
    if (!found) return expired(request, reply);
    const to = found.person.email.toLowerCase();
    // Per recipient: whoever holds a sign-in with this address cannot flood its mailbox.
    limits.hit(request, limits.resetEmail, `link:${to}`);
    await db.transaction(found.tenant.id, async (tx) => {
      const token = await newLinkMailToken(tx, found.linkRequest, to);
      await sendIdentityLinkMail(
        tx,
        { baseUrl: config.baseUrl, locale: found.person.locale === 'en' ? 'en' : 'fr' },
        {
          to,
          token,
          provider: found.provider.label,
          tenant: found.tenant.name,
          claimedName: found.linkRequest.claimed_name,
        },
      );
    });
    return reply.redirect(`${LINK_PATH}?notice=link_mail_sent`, 303);
  });

  // The mailed link shows a button (a mail scanner's prefetch does nothing) that works only in the
  // browser holding the request's cookie.
  app.get(`${LINK_PATH}/confirm`, async (request, reply) => {
    const token = String((request.query as Query).token ?? '');
    const found = await linkRequestOf(request);
    if (!found || !/^[\w-]{20,100}$/.test(token)) return expired(request, reply, 'auth.link.other_browser');
    return reply.type(html).send(
      linkConfirmPage(request.ctx, {
        token,
        provider: found.provider.label,
        claimedName: found.linkRequest.claimed_name,
        tenantName: found.tenant.name,
      }).value,
    );
  });

  app.post(`${LINK_PATH}/confirm`, async (request, reply) => {
    const found = await linkRequestOf(request);
    if (!found) return expired(request, reply, 'auth.link.other_browser');
    const token = ((request.body ?? {}) as Query).token;
    const signedIn = request.ctx.person;
    const proof = token ? { mailToken: token } : signedIn ? { signedInAs: signedIn.id } : null;
    if (!proof) return reply.redirect(LINK_PATH, 303);
    if ('signedInAs' in proof) await requireRecentSignIn(db, request, LINK_PATH);
    const result = await confirmLinkRequest(db, found.provider, found.browserSecret, proof);
    if (!result.ok) {
      if (result.reason === 'expired') return expired(request, reply);
      return failed(request, reply, 403, found.provider.label, `auth.oidc.${result.reason}`);
    }
    reply.clearCookie(LINK_COOKIE, linkCookieOptions);
    const next = safeNext(result.next, config.baseUrl, `/${found.tenant.slug}/`);
    if ('signedInAs' in proof) return reply.redirect(next, 303);
    // Proven by the mail: this browser is now signed in to the account (its TOTP still asked if enrolled).
    await rotateSession(db, request, reply, result.personId, { secondFactorPending: result.totp, secure });
    return reply.redirect(result.totp ? `/auth/totp?next=${encodeURIComponent(next)}` : next, 303);
  });

  /** For each collectivité the person belongs to: its usable providers, and which are linked. */
  async function identityRows(personId: string): Promise<IdentityRow[]> {
    const memberships = await db.transaction(null, (tx) => membershipsOf(tx, personId));
    const tenants = new Map(memberships.map((m) => [m.tenant_id, { slug: m.slug, name: m.name }]));
    const rows: IdentityRow[] = [];
    for (const [tenantId, tenant] of tenants) {
      const { providers, linked } = await db.transaction(tenantId, async (tx) => ({
        providers: await listProviders(tx),
        linked: await identitiesOf(tx, personId),
      }));
      for (const p of providers.filter((x) => usableProvider(allow, x))) {
        const link = linked.find((l) => l.provider_id === p.id);
        rows.push({ tenantSlug: tenant.slug, tenantName: tenant.name, providerSlug: p.slug, label: p.label, linkedAt: link?.created_at ?? null });
      }
    }
    return rows;
  }

  app.get('/account/identities', async (request, reply) => {
    const person = requireSignedIn(request);
    const notice = (request.query as Query).notice;
    return reply.type(html).send(
      identitiesPage(request.ctx, {
        rows: await identityRows(person.id),
        canLink: Boolean(person.email_verified_at) && !person.is_host_operator,
        notice: notice === 'identity_linked' || notice === 'identity_unlinked' ? request.ctx.t(`auth.notice.${notice}`) : undefined,
      }).value,
    );
  });

  app.post('/account/identities/:tenant/:provider/unlink', async (request, reply) => {
    const person = requireSignedIn(request);
    const { provider } = await startTarget(request);
    await db.transaction(provider.tenant_id, (tx) => unbindIdentities(tx, provider, person.id));
    return reply.redirect('/account/identities?notice=identity_unlinked', 303);
  });
}

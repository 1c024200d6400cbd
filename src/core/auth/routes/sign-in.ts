// Signing in with email and password, the TOTP step for staff who enrolled, and signing out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { DEMO_DOMAIN } from '../../seed/demo.ts';
import { verifyPassword } from '../passwords.ts';
import { SESSION_COOKIE, destroySession, findSession } from '../sessions.ts';
import { findPersonByEmail, findPersonById, isStaff, normaliseEmail } from '../people.ts';
import { useTotpCode } from '../totp-seeds.ts';
import { clearSessionCookie, rotateSession, safeNext } from '../web-session.ts';
import type { AuthLimits } from '../limits.ts';
import { clientAddressKey } from '../../base/rate-limit.ts';
import { signInPage, totpChallengePage } from '../views/sign-in.ts';
import { listEnabledProviders } from '../oidc/providers.ts';
import type { Tenant } from '../../tenancy/tenants.ts';

type Form = Record<string, string | undefined>;

/** `?tenant=` brands the page and lists that collectivité's identity providers. */
export async function tenantFromQuery(deps: AppDeps, request: FastifyRequest, slug: unknown): Promise<Tenant | null> {
  if (typeof slug !== 'string' || !/^[a-z0-9-]{1,63}$/.test(slug)) return null;
  const tenant = await deps.tenants.get(slug);
  if (tenant) request.ctx.tenant = tenant;
  return tenant;
}

export function registerSignInRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db, config } = deps;
  const secure = config.baseUrl.startsWith('https:');

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    o: { email?: string; next: string; tenant: Tenant | null; errors?: Record<string, string[]>; notice?: string },
  ) {
    const providers = o.tenant ? await db.transaction(o.tenant.id, (tx) => listEnabledProviders(tx, config.oidcIssuers)) : [];
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        signInPage(request.ctx, {
          email: o.email,
          next: o.next,
          tenantSlug: o.tenant?.slug,
          providers,
          errors: o.errors,
          notice: o.notice,
        }).value,
      );
  }

  app.get('/auth/sign-in', async (request, reply) => {
    const query = request.query as Form;
    const tenant = await tenantFromQuery(deps, request, query.tenant);
    const next = safeNext(query.next, config.baseUrl, tenant ? `/${tenant.slug}/` : '/account');
    const noticeKey = query.notice && /^[a-z_]{1,40}$/.test(query.notice) ? `auth.notice.${query.notice}` : null;
    const text = noticeKey ? request.ctx.t(noticeKey) : undefined;
    return render(request, reply, 200, { next, tenant, notice: text !== noticeKey ? text : undefined });
  });

  app.post('/auth/sign-in', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const { t } = request.ctx;
    const tenant = await tenantFromQuery(deps, request, form.tenant);
    const next = safeNext(form.next, config.baseUrl, tenant ? `/${tenant.slug}/` : '/account');
    const email = normaliseEmail(form.email ?? '');
    const password = form.password ?? '';
    const errors: Record<string, string[]> = {};
    if (!email) errors.email = [t('auth.error.email_required')];
    if (!password) errors.password = [t('auth.error.password_required')];
    if (Object.keys(errors).length) return render(request, reply, 422, { email, next, tenant, errors });

    limits.hit(request, limits.signInIp, clientAddressKey(request.ip));
    limits.hit(request, limits.signInEmail, email);
    const person = await db.transaction(null, (tx) => findPersonByEmail(tx, email));
    // verifyPassword does the same work for an unknown address: timing does not reveal accounts.
    const ok = await verifyPassword(person?.password_hash ?? null, password);
    if (!person || !ok) return render(request, reply, 422, { email, next, tenant, errors: { password: [t('auth.error.bad_credentials')] } });
    if (config.env === 'production' && email.endsWith(`@${DEMO_DOMAIN}`)) {
      return render(request, reply, 403, { email, next, tenant, errors: { email: [t('auth.error.demo_refused')] } });
    }
    if (!person.email_verified_at && (await db.transaction(null, (tx) => isStaff(tx, person)))) {
      return render(request, reply, 403, { email, next, tenant, errors: { email: [t('auth.error.staff_unverified')] } });
    }
    limits.signInEmail.reset(email);
    const pending = Boolean(person.totp_secret);
    await rotateSession(db, request, reply, person.id, { secondFactorPending: pending, secure });
    return reply.redirect(pending ? `/auth/totp?next=${encodeURIComponent(next)}` : next, 303);
  });

  async function pendingSession(request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await db.transaction(null, (tx) => findSession(tx, token)) : null;
    return session?.secondFactorPending ? session : null;
  }

  app.get('/auth/totp', async (request, reply) => {
    const next = safeNext((request.query as Form).next, config.baseUrl);
    if (!(await pendingSession(request))) return reply.redirect(`/auth/sign-in?next=${encodeURIComponent(next)}`, 303);
    return reply.type('text/html; charset=utf-8').send(totpChallengePage(request.ctx, { next }).value);
  });

  app.post('/auth/totp', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const next = safeNext(form.next, config.baseUrl);
    const session = await pendingSession(request);
    if (!session) return reply.redirect(`/auth/sign-in?next=${encodeURIComponent(next)}`, 303);
    limits.hit(request, limits.totp, session.person.id);
    const person = (await db.transaction(null, (tx) => findPersonById(tx, session.person.id)))!;
    // Checked and marked used in one conditional update: the same code sent twice at once passes once.
    if (!(await useTotpCode(db, deps.secret, person, form.code ?? ''))) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(totpChallengePage(request.ctx, { next, errors: { code: [request.ctx.t('auth.error.bad_code')] } }).value);
    }
    limits.totp.reset(person.id);
    // The half-signed-in session is replaced by a full one.
    await rotateSession(db, request, reply, person.id, { secondFactorPending: false, secure });
    return reply.redirect(next, 303);
  });

  app.post('/auth/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await db.transaction(null, (tx) => destroySession(tx, token));
    clearSessionCookie(reply, secure);
    return reply.redirect('/', 303);
  });
}

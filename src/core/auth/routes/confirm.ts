// /auth/confirm: "confirm it is you" before a sensitive change (requireRecentSignIn). The person gives
// their password, and their TOTP code when they have one; the session is then marked as signed in now,
// and the browser goes back to the form it came from.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { requireSignedIn } from '../require.ts';
import { findPersonById } from '../people.ts';
import { verifyPassword } from '../passwords.ts';
import { markSignedInNow } from '../sessions.ts';
import { useTotpCode } from '../totp-seeds.ts';
import { safeNext } from '../web-session.ts';
import type { AuthLimits } from '../limits.ts';
import { confirmPage } from '../views/trust.ts';

type Form = Record<string, string | undefined>;

export function registerConfirmRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db } = deps;
  const html = 'text/html; charset=utf-8';

  app.get('/auth/confirm', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    const person = (await db.transaction(null, (tx) => findPersonById(tx, signedIn.id)))!;
    const next = safeNext((request.query as Form).next, deps.config.baseUrl);
    return reply.type(html).send(confirmPage(request.ctx, { next, password: Boolean(person.password_hash), code: Boolean(person.totp_secret) }).value);
  });

  app.post('/auth/confirm', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    const form = (request.body ?? {}) as Form;
    const next = safeNext(form.next, deps.config.baseUrl);
    const { t } = request.ctx;
    const person = (await db.transaction(null, (tx) => findPersonById(tx, signedIn.id)))!;
    const asks = { password: Boolean(person.password_hash), code: Boolean(person.totp_secret) };
    if (!asks.password && !asks.code) return reply.redirect(`/auth/confirm?next=${encodeURIComponent(next)}`, 303);
    // The same counters as signing in: a borrowed session gives no more guesses than the sign-in form.
    const errors: Record<string, string[]> = {};
    if (asks.password) {
      limits.hit(request, limits.signInEmail, person.email);
      if (!(await verifyPassword(person.password_hash, form.password ?? ''))) errors.password = [t('auth.confirm.bad_password')];
    }
    if (asks.code && !errors.password) {
      limits.hit(request, limits.totp, person.id);
      if (!(await useTotpCode(db, deps.secret, person, form.code ?? ''))) errors.code = [t('auth.error.bad_code')];
    }
    if (Object.keys(errors).length)
      return reply
        .code(422)
        .type(html)
        .send(confirmPage(request.ctx, { next, ...asks, errors }).value);
    limits.signInEmail.reset(person.email);
    limits.totp.reset(person.id);
    await db.transaction(null, (tx) => markSignedInNow(tx, request.ctx.sessionId!));
    return reply.redirect(next, 303);
  });
}

// Password reset by email: the request page answers the same whether or not the address has an account;
// the link is single-use and expires after an hour; using it signs out every session of the account.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { hashPassword, passwordProblems } from '../passwords.ts';
import { findPersonByEmail, looksLikeEmail, normaliseEmail } from '../people.ts';
import { consumeEmailToken, peekEmailToken } from '../email-tokens.ts';
import { sendResetMail } from '../mails.ts';
import type { AuthLimits } from '../limits.ts';
import { clientAddressKey } from '../../base/rate-limit.ts';
import { resetConfirmPage, resetRequestPage } from '../views/sign-up.ts';
import { messagePage } from '../views/sign-in.ts';

type Form = Record<string, string | undefined>;

export function registerResetRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db, config, secret } = deps;

  app.get('/auth/reset', async (request, reply) => reply.type('text/html; charset=utf-8').send(resetRequestPage(request.ctx, {}).value));

  app.post('/auth/reset', async (request, reply) => {
    const { t, locale } = request.ctx;
    const email = normaliseEmail(((request.body ?? {}) as Form).email ?? '');
    if (!looksLikeEmail(email)) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(resetRequestPage(request.ctx, { email, errors: { email: [t('auth.error.email_invalid')] } }).value);
    }
    limits.hit(request, limits.resetIp, clientAddressKey(request.ip));
    limits.hit(request, limits.resetEmail, email);
    await db.transaction(null, async (tx) => {
      const person = await findPersonByEmail(tx, email);
      if (person) await sendResetMail(tx, { baseUrl: config.baseUrl, secret, locale }, person);
    });
    return reply
      .type('text/html; charset=utf-8')
      .send(messagePage(request.ctx, { title: t('auth.reset.sent_title'), text: t('auth.reset.sent_text', { email }) }).value);
  });

  function badLink(request: FastifyRequest) {
    const { t } = request.ctx;
    return messagePage(request.ctx, {
      title: t('auth.reset.bad_title'),
      text: t('auth.reset.bad_text'),
      link: { href: '/auth/reset', label: t('auth.reset.title') },
    }).value;
  }

  app.get('/auth/reset/confirm', async (request, reply) => {
    const token = String((request.query as Form).token ?? '');
    const valid = await db.transaction(null, (tx) => peekEmailToken(tx, secret, 'reset_password', token));
    if (!valid) return reply.code(400).type('text/html; charset=utf-8').send(badLink(request));
    return reply.type('text/html; charset=utf-8').send(resetConfirmPage(request.ctx, { token }).value);
  });

  app.post('/auth/reset/confirm', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const token = form.token ?? '';
    const password = form.password ?? '';
    // The link first: a forged, used or expired token costs a look-up, never an argon2 derivation.
    const valid = await db.transaction(null, (tx) => peekEmailToken(tx, secret, 'reset_password', token));
    if (!valid) return reply.code(400).type('text/html; charset=utf-8').send(badLink(request));
    const problems = passwordProblems(password);
    if (problems.length) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(resetConfirmPage(request.ctx, { token, errors: { password: problems.map((p) => request.ctx.t(`auth.password.${p}`)) } }).value);
    }
    const hash = await hashPassword(password);
    const changed = await db.transaction(null, async (tx) => {
      const found = await consumeEmailToken(tx, secret, 'reset_password', token);
      if (!found) return false;
      // Receiving the link proves the mailbox: the address counts as verified from now on.
      const n = await tx.execute(
        `update people set password_hash = $2, email_verified_at = coalesce(email_verified_at, now())
         where id = $1 and lower(email) = lower($3)`,
        [found.personId, hash, found.email],
      );
      await tx.query('delete from sessions where person_id = $1', [found.personId]);
      return n > 0;
    });
    if (!changed) return reply.code(400).type('text/html; charset=utf-8').send(badLink(request));
    return reply.redirect('/auth/sign-in?notice=password_changed', 303);
  });
}

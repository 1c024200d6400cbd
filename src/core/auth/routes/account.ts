// /account: the signed-in person's own page, language preference and TOTP enrolment.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { isLocale } from '../../i18n/i18n.ts';
import { requireSignedIn } from '../require.ts';
import { findPersonById, isStaff, membershipsOf } from '../people.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from '../totp.ts';
import { openTotpSeed, sealTotpSeed, useTotpCode } from '../totp-seeds.ts';
import type { AuthLimits } from '../limits.ts';
import { accountPage, totpPage } from '../views/account.ts';

type Form = Record<string, string | undefined>;

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db } = deps;

  function noticeText(t: (k: string) => string, value: unknown): string | undefined {
    if (typeof value !== 'string' || !/^[a-z_]{1,40}$/.test(value)) return undefined;
    const text = t(`auth.notice.${value}`);
    return text === `auth.notice.${value}` ? undefined : text;
  }

  app.get('/account', async (request, reply) => {
    const person = requireSignedIn(request);
    const { memberships, staff } = await db.transaction(null, async (tx) => ({
      memberships: await membershipsOf(tx, person.id),
      staff: await isStaff(tx, person),
    }));
    return reply.type('text/html; charset=utf-8').send(
      accountPage(request.ctx, {
        person,
        memberships,
        staff,
        notice: noticeText(request.ctx.t, (request.query as Form).notice),
      }).value,
    );
  });

  app.post('/account/locale', async (request, reply) => {
    const person = requireSignedIn(request);
    const locale = ((request.body ?? {}) as Form).locale;
    if (!isLocale(locale)) return reply.redirect('/account', 303);
    await db.transaction(null, (tx) => tx.query('update people set locale = $2 where id = $1', [person.id, locale]));
    // The language cookie wins over the account's preference (core request context): keep them in step.
    reply.setCookie('bastide_lang', locale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
    return reply.redirect('/account?notice=saved', 303);
  });

  app.get('/account/totp', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    const person = (await db.transaction(null, (tx) => findPersonById(tx, signedIn.id)))!;
    if (person.totp_secret)
      return reply
        .type('text/html; charset=utf-8')
        .send(totpPage(request.ctx, { enabled: true, notice: noticeText(request.ctx.t, (request.query as Form).notice) }).value);
    // A pending secret is kept (sealed, totp-seeds.ts) until confirmed, so reloading the page does not
    // invalidate the app's entry.
    let secret = person.totp_pending_secret ? openTotpSeed(deps.secret, person.id, person.totp_pending_secret) : null;
    if (!secret) {
      secret = newTotpSecret();
      const sealed = sealTotpSeed(deps.secret, person.id, secret);
      await db.transaction(null, (tx) => tx.query('update people set totp_pending_secret = $2 where id = $1', [person.id, sealed]));
    }
    const issuer = request.ctx.t('auth.totp.issuer');
    return reply.type('text/html; charset=utf-8').send(totpPage(request.ctx, { enabled: false, secret, uri: otpauthUri(secret, person.email, issuer) }).value);
  });

  app.post('/account/totp', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    limits.hit(request, limits.totp, signedIn.id);
    const person = (await db.transaction(null, (tx) => findPersonById(tx, signedIn.id)))!;
    if (person.totp_secret) return reply.redirect('/account/totp', 303);
    const stored = person.totp_pending_secret;
    const secret = stored ? openTotpSeed(deps.secret, person.id, stored) : null;
    const step = secret ? verifyTotp(secret, ((request.body ?? {}) as Form).code ?? '', Date.now() / 1000) : null;
    // Conditional on the pending seed the code was checked against (a second tab may have replaced it).
    const enabled =
      step !== null &&
      (await db.transaction(null, (tx) =>
        tx.execute(
          'update people set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_last_step = $2 where id = $1 and totp_pending_secret = $3',
          [person.id, step, stored],
        ),
      ));
    if (!enabled || !secret) {
      const issuer = request.ctx.t('auth.totp.issuer');
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(
          totpPage(request.ctx, {
            enabled: false,
            secret: secret ?? '',
            uri: secret ? otpauthUri(secret, person.email, issuer) : '',
            errors: { code: [request.ctx.t('auth.error.bad_code')] },
          }).value,
        );
    }
    limits.totp.reset(person.id);
    return reply.redirect('/account/totp?notice=totp_enabled', 303);
  });

  app.post('/account/totp/disable', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    limits.hit(request, limits.totp, signedIn.id);
    const person = (await db.transaction(null, (tx) => findPersonById(tx, signedIn.id)))!;
    if (!person.totp_secret) return reply.redirect('/account/totp', 303);
    // Turning it off needs a current code: a borrowed, signed-in browser is not enough.
    if (!(await useTotpCode(db, deps.secret, person, ((request.body ?? {}) as Form).code ?? ''))) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(totpPage(request.ctx, { enabled: true, errors: { code: [request.ctx.t('auth.error.bad_code')] } }).value);
    }
    limits.totp.reset(person.id);
    await db.transaction(null, (tx) =>
      tx.query('update people set totp_secret = null, totp_last_step = null where id = $1 and totp_secret = $2', [person.id, person.totp_secret]),
    );
    return reply.redirect('/account?notice=totp_disabled', 303);
  });
}

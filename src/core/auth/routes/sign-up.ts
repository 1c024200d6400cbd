// Creating an account (optionally as a citizen of a collectivité), and verifying its email address.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../module.ts';
import { journal } from '../../audit/journal.ts';
import { hashPassword, passwordProblems } from '../passwords.ts';
import { insertPerson, looksLikeEmail, normaliseEmail } from '../people.ts';
import { consumeEmailToken } from '../email-tokens.ts';
import { sendAlreadyRegisteredMail, sendVerificationMail } from '../mails.ts';
import { requireSignedIn } from '../require.ts';
import type { AuthLimits } from '../limits.ts';
import { clientAddressKey } from '../../base/rate-limit.ts';
import { signUpPage } from '../views/sign-up.ts';
import { messagePage } from '../views/sign-in.ts';
import { tenantFromQuery } from './sign-in.ts';

type Form = Record<string, string | undefined>;

export function registerSignUpRoutes(app: FastifyInstance, deps: AppDeps, limits: AuthLimits): void {
  const { db, config, secret } = deps;

  app.get('/auth/sign-up', async (request, reply) => {
    const tenant = await tenantFromQuery(deps, request, (request.query as Form).tenant);
    return reply.type('text/html; charset=utf-8').send(signUpPage(request.ctx, { values: {}, tenantSlug: tenant?.slug }).value);
  });

  app.post('/auth/sign-up', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const { t, locale } = request.ctx;
    const tenant = await tenantFromQuery(deps, request, form.tenant);
    const email = normaliseEmail(form.email ?? '');
    const displayName = (form.display_name ?? '').trim();
    const password = form.password ?? '';
    const errors: Record<string, string[]> = {};
    if (!looksLikeEmail(email)) errors.email = [t('auth.error.email_invalid')];
    if (!displayName) errors.display_name = [t('auth.error.name_required')];
    else if (displayName.length > 120) errors.display_name = [t('auth.error.name_too_long')];
    const problems = passwordProblems(password);
    if (problems.length) errors.password = problems.map((p) => t(`auth.password.${p}`));
    if (Object.keys(errors).length) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(signUpPage(request.ctx, { values: { email, display_name: displayName }, tenantSlug: tenant?.slug, errors }).value);
    }
    limits.hit(request, limits.signUpIp, clientAddressKey(request.ip));
    const hash = await hashPassword(password);
    const mail = { baseUrl: config.baseUrl, secret, locale };
    await db.transaction(tenant?.id ?? null, async (tx) => {
      const id = await insertPerson(tx, { email, displayName, passwordHash: hash, verified: false, locale });
      if (!id) return sendAlreadyRegisteredMail(tx, mail, email);
      if (tenant) {
        await tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'citizen')`, [id]);
        await journal(tx, { actor: `person:${id}`, action: 'core.member.sign_up', subjectType: 'person', subjectId: id, data: { role: 'citizen' } });
      }
      await sendVerificationMail(tx, mail, { id, email });
    });
    // The same page whether the address was new or not: sign-up does not reveal who has an account.
    return reply.type('text/html; charset=utf-8').send(
      messagePage(request.ctx, {
        title: t('auth.sign_up.done_title'),
        text: t('auth.sign_up.done_text', { email }),
        link: { href: `/auth/sign-in${tenant ? `?tenant=${tenant.slug}` : ''}`, label: t('auth.sign_in.title') },
      }).value,
    );
  });

  // A GET, so that the link in the mail works as is; a prefetching mail scanner only verifies earlier.
  app.get('/auth/verify', async (request, reply) => {
    const token = String((request.query as Form).token ?? '');
    const { t } = request.ctx;
    const verified = await db.transaction(null, async (tx) => {
      const found = await consumeEmailToken(tx, secret, 'verify_email', token);
      if (!found) return false;
      // Only the address the link was sent to: a later change of address needs a new link.
      return (
        (await tx.execute('update people set email_verified_at = coalesce(email_verified_at, now()) where id = $1 and lower(email) = lower($2)', [
          found.personId,
          found.email,
        ])) > 0
      );
    });
    return reply
      .code(verified ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(
        messagePage(
          request.ctx,
          verified
            ? { title: t('auth.verify.done_title'), text: t('auth.verify.done_text'), link: { href: '/account', label: t('core.account') } }
            : { title: t('auth.verify.bad_title'), text: t('auth.verify.bad_text'), link: { href: '/account', label: t('core.account') } },
        ).value,
      );
  });

  app.post('/account/verify-email', async (request, reply) => {
    const person = requireSignedIn(request);
    if (person.email_verified_at) return reply.redirect('/account', 303);
    limits.hit(request, limits.resetEmail, `verify:${person.email}`);
    await db.transaction(null, (tx) => sendVerificationMail(tx, { baseUrl: config.baseUrl, secret, locale: request.ctx.locale }, person));
    return reply.redirect('/account?notice=verification_sent', 303);
  });
}

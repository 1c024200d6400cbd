// Pages of signing in: password form (with the collectivité's identity providers), TOTP step, and a
// plain message page used after sign-up, verification and reset.
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, errorSummary, input, notice, submit, type FieldErrors } from '../../views/forms.ts';
import type { RequestContext } from '../../base/context.ts';

export interface ProviderButton {
  slug: string;
  kind: string;
  label: string;
}

export function signInPage(
  ctx: RequestContext,
  o: { email?: string; next: string; tenantSlug?: string; providers: ProviderButton[]; errors?: FieldErrors; notice?: string },
): Html {
  const { t } = ctx;
  const tenantQuery = o.tenantSlug ? `?tenant=${encodeURIComponent(o.tenantSlug)}` : '';
  return page(ctx, {
    title: t('auth.sign_in.title'),
    path: `/auth/sign-in${tenantQuery}`,
    body: html`<h1>${t('auth.sign_in.title')}</h1>
${notice(o.notice)}
${errorSummary(ctx, o.errors, { email: t('auth.field.email'), password: t('auth.field.password') })}
${
  o.providers.length
    ? html`<section aria-labelledby="providers-title"><h2 id="providers-title">${t('auth.sign_in.with_provider')}</h2>
<ul class="inline">${o.providers.map((p) => html`<li><a class="button" href="/auth/oidc/${o.tenantSlug ?? ''}/${p.slug}?next=${encodeURIComponent(o.next)}">${t(`auth.oidc.button.${p.kind}`, { label: p.label })}</a></li>`)}</ul>
${o.providers.some((p) => p.kind === 'franceconnect') ? html`<p class="small"><a href="https://franceconnect.gouv.fr/" rel="noopener">${t('auth.oidc.what_is_franceconnect')}</a></p>` : ''}
<h2>${t('auth.sign_in.with_password')}</h2></section>`
    : ''
}
<form method="post" action="/auth/sign-in" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${o.next}">
  ${o.tenantSlug ? html`<input type="hidden" name="tenant" value="${o.tenantSlug}">` : ''}
  ${input(ctx, { name: 'email', label: t('auth.field.email'), type: 'email', value: o.email, required: true, autocomplete: 'username', errors: o.errors })}
  ${input(ctx, { name: 'password', label: t('auth.field.password'), type: 'password', required: true, autocomplete: 'current-password', errors: o.errors })}
  ${submit(t('auth.sign_in.submit'))}
</form>
<p><a href="/auth/reset">${t('auth.sign_in.forgot')}</a></p>
<p>${t('auth.sign_in.no_account')} <a href="/auth/sign-up${tenantQuery}">${t('auth.sign_up.title')}</a></p>`,
  });
}

export function totpChallengePage(ctx: RequestContext, o: { next: string; errors?: FieldErrors }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.totp.challenge_title'),
    body: html`<h1>${t('auth.totp.challenge_title')}</h1>
${errorSummary(ctx, o.errors, { code: t('auth.field.code') })}
<form method="post" action="/auth/totp" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${o.next}">
  ${input(ctx, { name: 'code', label: t('auth.field.code'), hint: t('auth.totp.code_hint'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', errors: o.errors })}
  ${submit(t('auth.totp.verify'))}
</form>`,
  });
}

export function messagePage(ctx: RequestContext, o: { title: string; text: string; link?: { href: string; label: string } }): Html {
  return page(ctx, {
    title: o.title,
    body: html`<h1>${o.title}</h1><p>${o.text}</p>${o.link ? html`<p><a href="${o.link.href}">${o.link.label}</a></p>` : ''}`,
  });
}

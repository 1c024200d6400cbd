// Pages of creating an account and resetting a password.
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, errorSummary, input, submit, type FieldErrors } from '../../views/forms.ts';
import type { RequestContext } from '../../base/context.ts';

export function signUpPage(ctx: RequestContext, o: { values: { email?: string; display_name?: string }; tenantSlug?: string; errors?: FieldErrors }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.sign_up.title'),
    body: html`<h1>${t('auth.sign_up.title')}</h1>
${errorSummary(ctx, o.errors, { email: t('auth.field.email'), display_name: t('auth.field.display_name'), password: t('auth.field.new_password') })}
<form method="post" action="/auth/sign-up" novalidate>
  ${csrfField(ctx)}
  ${o.tenantSlug ? html`<input type="hidden" name="tenant" value="${o.tenantSlug}">` : ''}
  ${input(ctx, { name: 'email', label: t('auth.field.email'), type: 'email', value: o.values.email, required: true, autocomplete: 'email', errors: o.errors })}
  ${input(ctx, { name: 'display_name', label: t('auth.field.display_name'), value: o.values.display_name, required: true, autocomplete: 'name', errors: o.errors })}
  ${input(ctx, { name: 'password', label: t('auth.field.new_password'), type: 'password', hint: t('auth.password.hint'), required: true, autocomplete: 'new-password', errors: o.errors })}
  ${submit(t('auth.sign_up.submit'))}
</form>
<p>${t('auth.sign_up.have_account')} <a href="/auth/sign-in${o.tenantSlug ? `?tenant=${encodeURIComponent(o.tenantSlug)}` : ''}">${t('auth.sign_in.title')}</a></p>`,
  });
}

export function resetRequestPage(ctx: RequestContext, o: { email?: string; errors?: FieldErrors }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.reset.title'),
    body: html`<h1>${t('auth.reset.title')}</h1>
<p>${t('auth.reset.intro')}</p>
${errorSummary(ctx, o.errors, { email: t('auth.field.email') })}
<form method="post" action="/auth/reset" novalidate>
  ${csrfField(ctx)}
  ${input(ctx, { name: 'email', label: t('auth.field.email'), type: 'email', value: o.email, required: true, autocomplete: 'email', errors: o.errors })}
  ${submit(t('auth.reset.submit'))}
</form>`,
  });
}

export function resetConfirmPage(ctx: RequestContext, o: { token: string; errors?: FieldErrors }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.reset.confirm_title'),
    body: html`<h1>${t('auth.reset.confirm_title')}</h1>
${errorSummary(ctx, o.errors, { password: t('auth.field.new_password') })}
<form method="post" action="/auth/reset/confirm" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="token" value="${o.token}">
  ${input(ctx, { name: 'password', label: t('auth.field.new_password'), type: 'password', hint: t('auth.password.hint'), required: true, autocomplete: 'new-password', errors: o.errors })}
  ${submit(t('auth.reset.confirm_submit'))}
</form>`,
  });
}

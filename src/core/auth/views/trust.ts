// Pages of the "confirm it is you" step before sensitive changes, and of an invitation to a role.
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, errorSummary, input, submit, type FieldErrors } from '../../views/forms.ts';
import type { RequestContext } from '../../base/context.ts';

export function confirmPage(ctx: RequestContext, o: { next: string; password: boolean; code: boolean; errors?: FieldErrors }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.confirm.title'),
    body: html`<h1>${t('auth.confirm.title')}</h1>
${errorSummary(ctx, o.errors, { password: t('auth.field.password'), code: t('auth.field.code') })}
${
  o.password || o.code
    ? html`<p>${t('auth.confirm.intro')}</p>
<form method="post" action="/auth/confirm" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${o.next}">
  ${o.password ? input(ctx, { name: 'password', label: t('auth.field.password'), type: 'password', required: true, autocomplete: 'current-password', errors: o.errors }) : ''}
  ${o.code ? input(ctx, { name: 'code', label: t('auth.field.code'), hint: t('auth.totp.code_hint'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', errors: o.errors }) : ''}
  ${submit(t('auth.confirm.submit'))}
</form>`
    : html`<p>${t('auth.confirm.no_secret')}</p>
<p><a class="button" href="/auth/sign-in?next=${encodeURIComponent(o.next)}">${t('auth.confirm.sign_in_again')}</a></p>`
}`,
  });
}

export function invitationPage(ctx: RequestContext, o: { token: string; tenantName: string; role: string; otherAddress: boolean }): Html {
  const { t } = ctx;
  const slug = ctx.tenant!.slug;
  return page(ctx, {
    title: t('auth.invitations.title'),
    body: html`<h1>${t('auth.invitations.title')}</h1>
<p>${t('auth.invitations.intro', { tenant: o.tenantName, role: t(`auth.role.${o.role}`) })}</p>
${
  o.otherAddress
    ? html`<p>${t('auth.invitations.other_address')}</p>
<form method="post" action="/auth/sign-out">${csrfField(ctx)}${submit(t('auth.invitations.sign_out'))}</form>`
    : html`<form method="post" action="/${slug}/invitation">
  ${csrfField(ctx)}
  <input type="hidden" name="token" value="${o.token}">
  <p class="hint">${t('auth.invitations.accept_note')}</p>
  ${submit(t('auth.invitations.accept'))}
</form>`
}`,
  });
}

// Pages of binding an identity provider to an account: "this address already has an account, prove it is
// yours" after a FranceConnect/ProConnect sign-in, the confirmation reached from the mailed link, and the
// person's own list of linked providers (/account/identities).
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, notice, submit } from '../../views/forms.ts';
import { formatDate } from '../../i18n/i18n.ts';
import type { RequestContext } from '../../base/context.ts';

export function linkRequestPage(
  ctx: RequestContext,
  o: { email: string; provider: string; tenantSlug: string; signedInAsOwner: boolean; signedInAsOther: boolean; notice?: string },
): Html {
  const { t } = ctx;
  const signIn = `/auth/sign-in?tenant=${encodeURIComponent(o.tenantSlug)}&next=${encodeURIComponent('/auth/oidc/link')}`;
  return page(ctx, {
    title: t('auth.link.title'),
    path: '/auth/oidc/link',
    body: html`<h1>${t('auth.link.title')}</h1>
${notice(o.notice)}
<p>${t('auth.link.intro', { email: o.email, provider: o.provider })}</p>
${
  o.signedInAsOwner
    ? html`<form method="post" action="/auth/oidc/link/confirm">${csrfField(ctx)}${submit(t('auth.link.confirm_signed_in', { provider: o.provider }))}</form>`
    : html`${o.signedInAsOther ? html`<p class="notice" role="status">${t('auth.link.other_account')}</p>` : ''}
<h2>${t('auth.link.by_password_title')}</h2>
<p>${t('auth.link.by_password')}</p>
<p><a class="button" href="${signIn}">${t('auth.link.sign_in')}</a></p>
<h2>${t('auth.link.by_mail_title')}</h2>
<p>${t('auth.link.by_mail', { email: o.email })}</p>
<form method="post" action="/auth/oidc/link/mail">${csrfField(ctx)}${submit(t('auth.link.send_mail'))}</form>`
}
<p class="small">${t('auth.link.nothing_yet')}</p>`,
  });
}

export function linkConfirmPage(ctx: RequestContext, o: { token: string; provider: string; claimedName: string; tenantName: string }): Html {
  const { t } = ctx;
  return page(ctx, {
    title: t('auth.link.confirm_title'),
    body: html`<h1>${t('auth.link.confirm_title')}</h1>
<p>${t('auth.link.confirm_text', { provider: o.provider, name: o.claimedName || '—', tenant: o.tenantName })}</p>
<form method="post" action="/auth/oidc/link/confirm">${csrfField(ctx)}<input type="hidden" name="token" value="${o.token}">${submit(t('auth.link.confirm_button', { provider: o.provider }))}</form>`,
  });
}

export interface IdentityRow {
  tenantSlug: string;
  tenantName: string;
  providerSlug: string;
  label: string;
  linkedAt: Date | null;
}

export function identitiesPage(ctx: RequestContext, o: { rows: IdentityRow[]; canLink: boolean; notice?: string; error?: string }): Html {
  const { t, locale } = ctx;
  return page(ctx, {
    title: t('auth.identities.title'),
    path: '/account/identities',
    body: html`<h1>${t('auth.identities.title')}</h1>
${notice(o.notice)}
${o.error ? html`<div class="notice error" role="alert">${o.error}</div>` : ''}
<p>${t('auth.identities.intro')}</p>
${o.canLink ? '' : html`<p class="notice" role="status">${t('auth.identities.cannot_link')}</p>`}
${
  o.rows.length
    ? html`<table><caption class="visually-hidden">${t('auth.identities.title')}</caption>
<thead><tr><th scope="col">${t('auth.account.tenant')}</th><th scope="col">${t('auth.providers.label')}</th><th scope="col">${t('auth.providers.state')}</th></tr></thead>
<tbody>${o.rows.map(
        (r) =>
          html`<tr><td>${r.tenantName}</td><td>${r.label}</td><td>${
            r.linkedAt
              ? html`${t('auth.identities.linked_since', { date: formatDate(locale, r.linkedAt) })}
<form method="post" action="/account/identities/${r.tenantSlug}/${r.providerSlug}/unlink" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t('auth.identities.unlink')}<span class="visually-hidden"> ${r.label} — ${r.tenantName}</span></button></form>`
              : o.canLink
                ? html`<form method="post" action="/auth/oidc/${r.tenantSlug}/${r.providerSlug}/link" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t('auth.identities.link')}<span class="visually-hidden"> ${r.label} — ${r.tenantName}</span></button></form>`
                : t('auth.identities.not_linked')
          }</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t('auth.identities.none')}</p>`
}
<p><a href="/account">${t('core.account')}</a></p>`,
  });
}

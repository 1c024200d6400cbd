// "My account": who I am, my collectivités and roles, language, and two-step verification.
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, errorSummary, input, notice, select, submit, type FieldErrors } from '../../views/forms.ts';
import type { Person, RequestContext } from '../../base/context.ts';
import type { MembershipRow } from '../people.ts';

export function accountPage(ctx: RequestContext, o: { person: Person; memberships: MembershipRow[]; staff: boolean; notice?: string }): Html {
  const { t } = ctx;
  const p = o.person;
  const byTenant = new Map<string, { slug: string; name: string; roles: string[] }>();
  for (const m of o.memberships) {
    const entry = byTenant.get(m.tenant_id) ?? { slug: m.slug, name: m.name, roles: [] };
    entry.roles.push(t(`auth.role.${m.role}`));
    byTenant.set(m.tenant_id, entry);
  }
  return page(ctx, {
    title: t('core.account'),
    path: '/account',
    body: html`<h1>${t('core.account')}</h1>
${notice(o.notice)}
${
  p.email_verified_at
    ? ''
    : html`<div class="notice" role="status"><p>${t('auth.account.unverified')}</p>
<form method="post" action="/account/verify-email">${csrfField(ctx)}${submit(t('auth.account.resend'))}</form></div>`
}
<dl class="facts">
  <dt>${t('auth.field.display_name')}</dt><dd>${p.display_name}</dd>
  <dt>${t('auth.field.email')}</dt><dd>${p.email} (${p.email_verified_at ? t('auth.account.verified') : t('auth.account.not_verified')})</dd>
  <dt>${t('auth.account.totp')}</dt><dd>${p.totp_secret ? t('auth.account.totp_on') : t('auth.account.totp_off')} — <a href="/account/totp">${t('auth.account.totp_manage')}</a></dd>
  <dt>${t('auth.account.identities')}</dt><dd><a href="/account/identities">${t('auth.identities.title')}</a></dd>
</dl>
${o.staff && !p.totp_secret ? html`<p class="notice" role="status">${t('auth.account.totp_staff')}</p>` : ''}
<h2>${t('auth.account.memberships')}</h2>
${
  byTenant.size
    ? html`<table><caption class="visually-hidden">${t('auth.account.memberships')}</caption><thead><tr><th scope="col">${t('auth.account.tenant')}</th><th scope="col">${t('auth.account.roles')}</th></tr></thead>
<tbody>${[...byTenant.values()].map((m) => html`<tr><td><a href="/${m.slug}/">${m.name}</a></td><td>${m.roles.join(', ')}</td></tr>`)}</tbody></table>`
    : html`<p>${t('auth.account.no_memberships')}</p>`
}
${p.is_host_operator ? html`<p>${t('auth.account.host_operator')}</p>` : ''}
<h2>${t('auth.account.language')}</h2>
<form method="post" action="/account/locale">
  ${csrfField(ctx)}
  ${select(ctx, {
    name: 'locale',
    label: t('auth.account.language_label'),
    value: p.locale,
    options: [
      { value: 'fr', label: 'Français' },
      { value: 'en', label: 'English' },
    ],
  })}
  ${submit(t('auth.account.save'))}
</form>`,
  });
}

/** Groups of four characters, easier to type into an authenticator app. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function totpPage(ctx: RequestContext, o: { enabled: boolean; secret?: string; uri?: string; errors?: FieldErrors; notice?: string }): Html {
  const { t } = ctx;
  const codeField = input(ctx, {
    name: 'code',
    label: t('auth.field.code'),
    hint: t('auth.totp.code_hint'),
    required: true,
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    errors: o.errors,
  });
  return page(ctx, {
    title: t('auth.totp.title'),
    path: '/account/totp',
    body: html`<h1>${t('auth.totp.title')}</h1>
${notice(o.notice)}
${errorSummary(ctx, o.errors, { code: t('auth.field.code') })}
${
  o.enabled
    ? html`<p>${t('auth.totp.enabled')}</p>
<h2>${t('auth.totp.disable_title')}</h2>
<form method="post" action="/account/totp/disable" novalidate>${csrfField(ctx)}${codeField}${submit(t('auth.totp.disable'))}</form>`
    : html`<p>${t('auth.totp.intro')}</p>
<ol>
  <li>${t('auth.totp.step_secret')}<br><code id="totp-secret">${grouped(o.secret ?? '')}</code></li>
  <li>${t('auth.totp.step_uri')}<br><code class="small">${o.uri ?? ''}</code></li>
  <li>${t('auth.totp.step_code')}</li>
</ol>
<form method="post" action="/account/totp" novalidate>${csrfField(ctx)}${codeField}${submit(t('auth.totp.confirm'))}</form>`
}
<p><a href="/account">${t('core.account')}</a></p>`,
  });
}

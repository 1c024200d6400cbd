// Tenant administration pages of the auth module: members and roles, identity providers.
import { html, type Html } from '../../views/html.ts';
import { page } from '../../views/layout.ts';
import { csrfField, errorSummary, input, notice, select, submit, type FieldErrors } from '../../views/forms.ts';
import type { RequestContext } from '../../base/context.ts';
import { ROLES } from '../../base/roles.ts';
import type { MemberRow } from '../members.ts';
import type { InvitationRow } from '../invitations.ts';
import { formatDate } from '../../i18n/i18n.ts';
import { PROVIDER_KINDS, type OidcProvider } from '../oidc/providers.ts';
import { issuerAllowed, type OidcIssuerAllowList } from '../oidc/issuers.ts';

function adminNav(ctx: RequestContext, current: 'members' | 'providers') {
  const slug = ctx.tenant!.slug;
  return [
    { href: `/${slug}/admin/members`, label: ctx.t('auth.members.title'), current: current === 'members' },
    { href: `/${slug}/admin/sign-in`, label: ctx.t('auth.providers.title'), current: current === 'providers' },
  ];
}

export function membersPage(
  ctx: RequestContext,
  o: {
    members: MemberRow[];
    citizensOnly: number;
    all: boolean;
    invitations?: InvitationRow[];
    values?: { email?: string; role?: string };
    errors?: FieldErrors;
    notice?: string;
  },
): Html {
  const { t } = ctx;
  const base = `/${ctx.tenant!.slug}/admin/members`;
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`auth.role.${r}`) }));
  return page(ctx, {
    title: t('auth.members.title'),
    path: base,
    nav: adminNav(ctx, 'members'),
    body: html`<h1>${t('auth.members.title')}</h1>
${notice(o.notice)}
${errorSummary(ctx, o.errors, { email: t('auth.field.email'), role: t('auth.members.role') })}
<table>
<caption>${o.all ? t('auth.members.caption_all') : t('auth.members.caption_staff')}</caption>
<thead><tr><th scope="col">${t('auth.field.display_name')}</th><th scope="col">${t('auth.field.email')}</th><th scope="col">${t('auth.members.roles')}</th></tr></thead>
<tbody>${o.members.map(
      (m) =>
        html`<tr><td>${m.display_name}</td><td>${m.email}${m.verified ? '' : html` <span class="small">(${t('auth.members.unverified')})</span>`}</td><td><ul class="inline">${m.roles.map(
          (role) => html`<li>${t(`auth.role.${role}`)}
<form method="post" action="${base}/remove" class="inline">${csrfField(ctx)}<input type="hidden" name="person_id" value="${m.person_id}"><input type="hidden" name="role" value="${role}">
<button type="submit" class="link">${t('auth.members.remove')}<span class="visually-hidden"> ${t(`auth.role.${role}`)} — ${m.display_name}</span></button></form></li>`,
        )}</ul></td></tr>`,
    )}</tbody>
</table>
${o.all ? '' : html`<p>${t('auth.members.citizens_only', { n: o.citizensOnly })} <a href="${base}?all=1">${t('auth.members.show_all')}</a></p>`}
${
  o.invitations?.length
    ? html`<table><caption>${t('auth.invitations.pending')}</caption>
<thead><tr><th scope="col">${t('auth.field.email')}</th><th scope="col">${t('auth.members.role')}</th><th scope="col">${t('auth.invitations.expires')}</th><th scope="col"><span class="visually-hidden">${t('auth.invitations.revoke')}</span></th></tr></thead>
<tbody>${o.invitations.map(
        (i) => html`<tr><td>${i.email}</td><td>${t(`auth.role.${i.role}`)}</td><td>${formatDate(ctx.locale, i.expires_at)}</td>
<td><form method="post" action="${base}/invitations/${i.id}/revoke" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t('auth.invitations.revoke')}<span class="visually-hidden"> — ${i.email}</span></button></form></td></tr>`,
      )}</tbody></table>`
    : ''
}
<h2>${t('auth.members.add_title')}</h2>
<form method="post" action="${base}" novalidate>
  ${csrfField(ctx)}
  ${input(ctx, { name: 'email', label: t('auth.field.email'), type: 'email', value: o.values?.email, hint: t('auth.invitations.email_hint'), required: true, autocomplete: 'off', errors: o.errors })}
  ${select(ctx, { name: 'role', label: t('auth.members.role'), value: o.values?.role ?? 'agent', options: roleOptions, required: true, errors: o.errors })}
  ${submit(t('auth.invitations.send'))}
</form>`,
  });
}

export function providersPage(
  ctx: RequestContext,
  o: {
    providers: OidcProvider[];
    redirectUri: string;
    allow: OidcIssuerAllowList;
    values?: Record<string, string | undefined>;
    errors?: FieldErrors;
    notice?: string;
  },
): Html {
  const { t } = ctx;
  const base = `/${ctx.tenant!.slug}/admin/sign-in`;
  const v = o.values ?? {};
  return page(ctx, {
    title: t('auth.providers.title'),
    path: base,
    nav: adminNav(ctx, 'providers'),
    body: html`<h1>${t('auth.providers.title')}</h1>
${notice(o.notice)}
${errorSummary(ctx, o.errors, { kind: t('auth.providers.kind'), issuer: t('auth.providers.issuer'), client_id: t('auth.providers.client_id'), client_secret: t('auth.providers.client_secret'), slug: t('auth.providers.slug') })}
<p>${t('auth.providers.intro')}</p>
<p>${t('auth.providers.redirect_uri')} <code>${o.redirectUri}</code></p>
${
  o.providers.length
    ? html`<table><caption class="visually-hidden">${t('auth.providers.title')}</caption>
<thead><tr><th scope="col">${t('auth.providers.label')}</th><th scope="col">${t('auth.providers.kind')}</th><th scope="col">${t('auth.providers.issuer')}</th><th scope="col">${t('auth.providers.client_id')}</th><th scope="col">${t('auth.providers.state')}</th></tr></thead>
<tbody>${o.providers.map(
        (p) => html`<tr><td>${p.label}</td><td>${t(`auth.providers.kind.${p.kind}`)}</td><td>${p.issuer}</td><td>${p.client_id}</td>
<td><form method="post" action="${base}/${p.id}/${p.enabled ? 'disable' : 'enable'}" class="inline">${csrfField(ctx)}${p.enabled ? t('auth.providers.enabled') : t('auth.providers.disabled')}${issuerAllowed(o.allow, p.kind, p.issuer) ? '' : html` — <strong>${t('auth.providers.issuer_refused')}</strong>`}
<button type="submit" class="link">${p.enabled ? t('auth.providers.disable') : t('auth.providers.enable')}<span class="visually-hidden"> ${p.label}</span></button></form></td></tr>`,
      )}</tbody></table>`
    : html`<p>${t('auth.providers.none')}</p>`
}
<h2>${t('auth.providers.add_title')}</h2>
<form method="post" action="${base}" novalidate>
  ${csrfField(ctx)}
  ${select(ctx, { name: 'kind', label: t('auth.providers.kind'), value: v.kind ?? 'franceconnect', required: true, errors: o.errors, options: PROVIDER_KINDS.map((k) => ({ value: k, label: t(`auth.providers.kind.${k}`) })) })}
  ${input(ctx, { name: 'issuer', label: t('auth.providers.issuer'), type: 'url', value: v.issuer, hint: t('auth.providers.issuer_hint'), required: true, errors: o.errors, attrs: html` list="allowed-issuers"` })}
  <datalist id="allowed-issuers">${[...o.allow.franceconnect, ...o.allow.proconnect].map((i) => html`<option value="${i}"></option>`)}</datalist>
  <div class="hint"><p>${t('auth.providers.allowed_issuers')}</p><ul>
    <li>${t('auth.providers.kind.franceconnect')} — ${o.allow.franceconnect.length ? o.allow.franceconnect.map((i, n) => html`${n ? ', ' : ''}<code>${i}</code>`) : t('auth.providers.allowed_none')}</li>
    <li>${t('auth.providers.kind.proconnect')} — ${o.allow.proconnect.length ? o.allow.proconnect.map((i, n) => html`${n ? ', ' : ''}<code>${i}</code>`) : t('auth.providers.allowed_none')}</li>
  </ul></div>
  ${input(ctx, { name: 'client_id', label: t('auth.providers.client_id'), value: v.client_id, required: true, autocomplete: 'off', errors: o.errors })}
  ${input(ctx, { name: 'client_secret', label: t('auth.providers.client_secret'), type: 'password', required: true, autocomplete: 'new-password', errors: o.errors })}
  ${input(ctx, { name: 'slug', label: t('auth.providers.slug'), value: v.slug, hint: t('auth.providers.slug_hint'), errors: o.errors })}
  ${input(ctx, { name: 'label', label: t('auth.providers.label'), value: v.label, errors: o.errors })}
  ${submit(t('auth.providers.add'))}
</form>`,
  });
}

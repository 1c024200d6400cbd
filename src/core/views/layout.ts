// The page shell: skip link, header naming the collectivité, language switch, main, footer with the
// tenant's legal pages. No script, font or style from any other host.
import { html, type Html, type HtmlValue } from './html.ts';
import type { RequestContext } from '../base/context.ts';

export interface PageOptions {
  title: string;
  body: HtmlValue;
  /** Breadcrumb-like links shown above the title area. */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** Optional enhancement script served from /assets (never required for the page to work). */
  script?: string;
  /** Path of the current page, for the language switch to come back to it. */
  path?: string;
}

export function page(ctx: RequestContext, options: PageOptions): Html {
  const { t, tenant, person, locale } = ctx;
  const home = tenant ? `/${tenant.slug}/` : '/';
  const other = locale === 'fr' ? 'en' : 'fr';
  const back = options.path ?? home;
  const title = tenant ? `${options.title} – ${tenant.name}` : `${options.title} – Bastide`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/bastide.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">${t('core.skip_to_content')}</a>
<header class="site">
  <div class="wrap bar">
    <a class="brand" href="${home}">${tenant ? tenant.name : 'Bastide'}</a>
    <nav aria-label="${t('core.account_menu')}">
      <ul class="inline">
        ${(options.nav ?? []).map((item) => html`<li><a href="${item.href}"${item.current ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}
        ${
          person
            ? html`<li><a href="/account">${t('core.account')}</a></li>
            <li><form method="post" action="/auth/sign-out" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button class="link" type="submit">${t('core.sign_out')}</button></form></li>`
            : html`<li><a href="/auth/sign-in${tenant ? `?tenant=${tenant.slug}` : ''}">${t('core.sign_in')}</a></li>`
        }
        <li><a href="/lang/${other}?back=${encodeURIComponent(back)}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Français'}</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${options.body}
</main>
<footer class="site">
  <div class="wrap">
    <ul class="inline">
      ${
        tenant
          ? html`<li><a href="/${tenant.slug}/legal/mentions-legales">${t('core.legal_notice')}</a></li>
          <li><a href="/${tenant.slug}/legal/donnees-personnelles">${t('core.privacy')}</a></li>
          <li><a href="/${tenant.slug}/legal/accessibilite">${t('core.accessibility')}</a></li>`
          : html`<li><a href="/">${t('core.all_tenants')}</a></li>`
      }
    </ul>
    <p class="small">${t('core.powered_by')}</p>
  </div>
</footer>
${options.script ? html`<script src="/assets/${options.script}" defer></script>` : ''}
</body>
</html>`;
}

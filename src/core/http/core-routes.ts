// Installation-level pages: the list of collectivités, a collectivité's home, language switch, legal
// pages, health, static assets, and the development mail box.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleManifest } from '../module.ts';
import { html } from '../views/html.ts';
import { page } from '../views/layout.ts';
import { listTenants, listHostedTenants, findTenantById } from '../tenancy/tenants.ts';
import { isLocale } from '../i18n/i18n.ts';
import { mailFolder } from '../mail/mail.ts';
import { requireTenant } from '../base/context.ts';
import { notFound } from '../base/errors.ts';
import { safeRedirectPath } from '../base/safe-redirect.ts';

const ASSETS = new URL('../views/assets/', import.meta.url);

/** A listening address reachable from this machine only (HOST). `0.0.0.0` and `::` are every interface. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host.replace(/^\[|\]$/g, ''));
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', svg: 'image/svg+xml', js: 'text/javascript; charset=utf-8' };

export function registerCoreRoutes(app: FastifyInstance, deps: AppDeps, modules: ModuleManifest[]): void {
  const { db } = deps;
  const assets = new Map<string, Buffer>();

  app.get('/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const ext = file.split('.').pop() ?? '';
    if (!/^[a-z0-9-]+\.(css|svg|js)$/.test(file)) throw notFound();
    let body = assets.get(file);
    if (!body) {
      const path = new URL(file, ASSETS);
      if (!existsSync(path)) throw notFound();
      body = readFileSync(path);
      assets.set(file, body);
    }
    return reply.type(TYPES[ext]!).header('cache-control', 'public, max-age=86400').send(body);
  });
  app.get('/favicon.ico', async (_request, reply) => reply.redirect('/assets/favicon.svg', 301));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await db.transaction(null, (tx) => tx.query('select 1'));
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  app.get('/lang/:locale', async (request, reply) => {
    const { locale } = request.params as { locale: string };
    if (!isLocale(locale)) throw notFound();
    reply.setCookie('bastide_lang', locale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
    // Only a path of this site, as the browser would read it: never an open redirect.
    return reply.redirect(safeRedirectPath((request.query as { back?: unknown }).back, deps.config.baseUrl, '/'), 303);
  });

  app.get('/', async (request, reply) => {
    const { t } = request.ctx;
    const tenants = await db.transaction(null, (tx) => listTenants(tx));
    return reply.type('text/html; charset=utf-8').send(
      page(request.ctx, {
        title: t('core.home.title'),
        path: '/',
        body: html`<h1>${t('core.home.title')}</h1><p>${t('core.home.intro')}</p>
<ul class="cards">${tenants.map((x) => html`<li class="card"><a href="/${x.slug}/">${x.name}</a><br><span class="small">${t(`core.kind.${x.kind}`)}${x.official_code ? ` · ${x.official_code}` : ''}</span></li>`)}</ul>`,
      }).value,
    );
  });

  app.get('/:tenant/', async (request, reply) => {
    const tenant = requireTenant(request);
    const { t } = request.ctx;
    const members = await db.transaction(null, (tx) => listHostedTenants(tx, tenant.id));
    const host = tenant.host_tenant_id ? await db.transaction(null, (tx) => findTenantById(tx, tenant.host_tenant_id!)) : null;
    const fragments = [];
    for (const m of modules) if (m.tenantHome) fragments.push(await m.tenantHome(request.ctx, deps));
    const staff = modules.flatMap((m) => (m.staffNav ? m.staffNav(request.ctx) : []));
    return reply.type('text/html; charset=utf-8').send(
      page(request.ctx, {
        title: t('core.tenant.home'),
        path: `/${tenant.slug}/`,
        body: html`<h1>${tenant.name}</h1>
<p class="small">${t(`core.kind.${tenant.kind}`)}${tenant.official_code ? ` · ${tenant.official_code}` : ''}${host ? html` · <a href="/${host.slug}/">${host.name}</a>` : ''}</p>
${fragments}
${staff.length ? html`<h2>${t('core.tenant.admin')}</h2><ul>${staff.map((s) => html`<li><a href="${s.href}">${s.label}</a></li>`)}</ul>` : ''}
${members.length ? html`<h2>${t('core.tenant.members')}</h2><ul>${members.map((m) => html`<li><a href="/${m.slug}/">${m.name}</a></li>`)}</ul>` : ''}`,
      }).value,
    );
  });

  const legal: Record<string, string> = { 'mentions-legales': 'mentions', 'donnees-personnelles': 'privacy', accessibilite: 'accessibility' };
  app.get('/:tenant/legal/:page', async (request, reply) => {
    const tenant = requireTenant(request);
    const key = legal[(request.params as { page: string }).page];
    if (!key) throw notFound();
    const { t } = request.ctx;
    const host = tenant.host_tenant_id ? await db.transaction(null, (tx) => findTenantById(tx, tenant.host_tenant_id!)) : null;
    const register = key === 'privacy' && deps.privacyRegister ? await deps.privacyRegister(tenant.id) : [];
    const title = t(`core.legal.${key}`);
    return reply.type('text/html; charset=utf-8').send(
      page(request.ctx, {
        title,
        path: request.url,
        body: html`<h1>${title}</h1><p>${t(`core.legal.${key}.body`, { name: tenant.name, host: host?.name ?? tenant.name })}</p>
${
  key === 'privacy'
    ? html`<h2>${t('core.legal.privacy.register')}</h2>${
        register.length
          ? html`<ul>${register.map((r) => html`<li><strong>${r.name}</strong> — ${r.purpose}</li>`)}</ul>`
          : html`<p>${t('core.legal.privacy.none')}</p>`
      }`
    : ''
}`,
      }).value,
    );
  });

  // Every mail sent, reset links included: for the developer at this machine only. Not in production,
  // not with SMTP, not when the server listens beyond the loopback interface, and only to a loopback
  // client that came directly (a local reverse proxy would relay the world: it adds X-Forwarded-For).
  if (deps.config.env !== 'production' && !deps.config.smtpUrl && isLoopbackHost(deps.config.host)) {
    app.get('/_dev/mail', async (request, reply) => {
      if (!isLoopbackAddress(request.raw.socket.remoteAddress) || ['x-forwarded-for', 'x-real-ip', 'forwarded'].some((h) => request.headers[h] !== undefined))
        throw notFound();
      const folder = mailFolder(deps.config.dataDir);
      const files = existsSync(folder)
        ? readdirSync(folder)
            .filter((f) => f.endsWith('.eml'))
            .sort()
            .reverse()
            .slice(0, 50)
        : [];
      const { t } = request.ctx;
      return reply.type('text/html; charset=utf-8').send(
        page(request.ctx, {
          title: t('core.dev_mail.title'),
          body: html`<h1>${t('core.dev_mail.title')}</h1>${files.length ? files.map((f) => html`<h2>${f}</h2><pre>${readFileSync(join(folder, f), 'utf8').slice(0, 4000)}</pre>`) : html`<p>${t('core.dev_mail.none')}</p>`}`,
        }).value,
      );
    });
  }
}

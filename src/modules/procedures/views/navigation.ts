// Where people find the procedures module: a block on the collectivité's home page (its online
// procedures, "my dossiers") and links in the staff navigation, by role.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { AppDeps, NavItem } from '../../../core/module.ts';
import { grants } from '../../../core/base/roles.ts';
import { listProcedures } from '../procedures.repository.ts';

const SHOWN_ON_HOME = 6;

export async function proceduresTenantHome(ctx: RequestContext, deps: AppDeps): Promise<Html | null> {
  if (!ctx.tenant) return null;
  const slug = ctx.tenant.slug;
  const published = await deps.db.transaction(ctx.tenant.id, (tx) => listProcedures(tx, { publishedOnly: true }));
  return html`<h2>${ctx.t('procedures.web.list.title')}</h2>
${published.length ? html`<ul>${published.slice(0, SHOWN_ON_HOME).map((p) => html`<li><a href="/${slug}/demarches/${p.slug}">${p.title}</a></li>`)}</ul>` : html`<p>${ctx.t('procedures.web.list.none')}</p>`}
<p><a href="/${slug}/demarches">${ctx.t('procedures.web.list.all', { n: published.length })}</a>${ctx.person ? html` · <a href="/${slug}/mes-dossiers">${ctx.t('procedures.web.my_dossiers')}</a>` : ''}</p>`;
}

export function proceduresStaffNav(ctx: RequestContext): NavItem[] {
  if (!ctx.tenant) return [];
  const slug = ctx.tenant.slug;
  const items: NavItem[] = [];
  if (grants(ctx.roles, ['agent', 'procedure_admin'])) items.push({ href: `/${slug}/instruction`, label: ctx.t('procedures.web.inbox.title') });
  if (grants(ctx.roles, 'procedure_admin')) items.push({ href: `/${slug}/admin/demarches`, label: ctx.t('procedures.web.designer.list') });
  if (ctx.roles.includes('mediator')) items.push({ href: `/${slug}/demarches`, label: ctx.t('procedures.web.mediation.start') });
  return items;
}

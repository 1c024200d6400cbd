// Where people find the catalogue: a link on the collectivité's home page, and in the staff navigation.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { NavItem } from '../../../core/module.ts';
import { grants } from '../../../core/base/roles.ts';

export function catalogueTenantHome(ctx: RequestContext): Promise<Html | null> {
  if (!ctx.tenant) return Promise.resolve(null);
  return Promise.resolve(html`<p><a href="/${ctx.tenant.slug}/donnees">${ctx.t('catalogue.public.title')}</a></p>`);
}

export function catalogueStaffNav(ctx: RequestContext): NavItem[] {
  if (!ctx.tenant || !grants(ctx.roles, 'data_steward')) return [];
  return [{ href: `/${ctx.tenant.slug}/admin/donnees`, label: ctx.t('catalogue.staff.title') }];
}

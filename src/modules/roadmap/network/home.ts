// The network's block on a collectivité's home page: a network links to its pages; a member links to the
// networks it belongs to (tenant_relations is public).
import type { RequestContext } from '../../../core/base/context.ts';
import type { AppDeps } from '../../../core/module.ts';
import { html, type Html } from '../../../core/views/html.ts';
import { networksOf } from './network.repository.ts';

export async function networkTenantHome(ctx: RequestContext, deps: AppDeps): Promise<Html | null> {
  const tenant = ctx.tenant;
  if (!tenant) return null;
  if (tenant.kind === 'network') return html`<p><a href="/${tenant.slug}/reseau">${ctx.t('roadmap.network.title')}</a></p>`;
  const networks = await deps.db.transaction(tenant.id, (tx) => networksOf(tx, tenant.id));
  if (networks.length === 0) return null;
  return html`<p>${ctx.t('roadmap.network.member_of')} ${networks.map((n, i) => html`${i ? ', ' : ''}<a href="/${n.slug}/reseau">${n.name}</a>`)}</p>`;
}

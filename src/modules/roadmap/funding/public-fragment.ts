// For the roadmap's public project page (roadmap-part, H6): the funding a PUBLISHED project obtained, as an
// HTML fragment to place in the page, read in the page's own transaction (RLS: the project's collectivité).
//   const funding = await obtainedFunding(tx, request.ctx, tenant.slug, project.id, budget);
import type { Tx } from '../../../core/db/database.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { Html } from '../../../core/views/html.ts';
import { listApplications } from './applications.repository.ts';
import { obtainedFundingFragment } from './views/funding.ts';

/** `budget`: the project's (investment and operation), for the share the funding covers. */
export async function obtainedFunding(tx: Tx, ctx: RequestContext, tenantSlug: string, projectId: string, budget?: number): Promise<Html> {
  const rows = await listApplications(tx, { projectId, publishedOnly: true });
  return obtainedFundingFragment(ctx, rows, `/${tenantSlug}/feuille-de-route/financements`, budget);
}

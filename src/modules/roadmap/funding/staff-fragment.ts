// A project's funding for its collectivité's staff, read in the caller's transaction (RLS: the project's
// collectivité): its applications, and the programmes it may claim, ranked with their reasons (match.ts).
// The roadmap's staff project page shows it (routes/staff.ts), as does the project's funding page.
//   const funding = await staffProjectFunding(tx, request.ctx, tenant, project, { canEdit: true });
import type { Tx } from '../../../core/db/database.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import type { Html } from '../../../core/views/html.ts';
import type { ProjectRow } from '../projects.repository.ts';
import { listApplications } from './applications.repository.ts';
import { matchProgrammesFor, matchProjectOf, type TenantForMatch } from './match.ts';
import { today } from './programme-search.ts';
import { projectFundingBody, type MatchLinks, type ProjectFunding } from './views/funding.ts';

export type FundingTenant = TenantForMatch & { slug: string };

/** How many matched programmes the project's page lists; the funding page lists them all. */
export const MATCHES_ON_PROJECT_PAGE = 5;

export async function loadProjectFunding(tx: Tx, tenant: FundingTenant, project: ProjectRow): Promise<ProjectFunding> {
  const applications = await listApplications(tx, { projectId: project.id });
  const matches = await matchProgrammesFor(
    tx,
    matchProjectOf(tenant, project),
    today(),
    applications.map((a) => a.programme_id),
  );
  return { applications, matches, budget: project.budget_investment + project.budget_operation };
}

/** The links of a project's funding: programmes, applications, and (administrator) where to start one. */
export function projectFundingLinks(tenantSlug: string, projectSlug: string, f: ProjectFunding, canEdit: boolean): MatchLinks & { fundingPage: string } {
  const fundingPage = `/${tenantSlug}/admin/feuille-de-route/projets/${projectSlug}/financements`;
  return {
    fundingPage,
    programmesBase: `/${tenantSlug}/feuille-de-route/financements`,
    applicationsBase: `/${tenantSlug}/admin/feuille-de-route/candidatures`,
    applied: new Map(f.applications.map((a) => [a.programme_slug, a])),
    ...(canEdit ? { applyHref: (programme: string) => `${fundingPage}?programme=${encodeURIComponent(programme)}#candidature` } : {}),
  };
}

/** The project page's funding section: plan, applications, the first programmes to claim and a link to all. */
export async function staffProjectFunding(tx: Tx, ctx: RequestContext, tenant: FundingTenant, project: ProjectRow, o: { canEdit: boolean }): Promise<Html> {
  const f = await loadProjectFunding(tx, tenant, project);
  const links = projectFundingLinks(tenant.slug, project.slug, f, o.canEdit);
  return projectFundingBody(ctx, f, { ...links, limit: MATCHES_ON_PROJECT_PAGE, moreHref: links.fundingPage, pageHref: links.fundingPage });
}

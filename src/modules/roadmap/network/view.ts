// The network view: its members' published roadmaps side by side by theme, their pooled projects and what
// they share (published procedures and datasets), in one place. Other collectivités' rows come only through
// the SECURITY DEFINER functions of 0852–0853, which return published rows of current members and nothing
// else. At the scale of a national network the page is a summary (members × themes, a page of members at a
// time) and lists the projects of one theme, or the pooled ones, a page at a time.
import type { Database } from '../../../core/db/database.ts';
import { listMembers, type MemberRow } from './network.repository.ts';

export const MEMBERS_PER_PAGE = 50;
export const PROJECTS_PER_PAGE = 50;

export interface ViewProject {
  member_tenant_id: string;
  id: string;
  slug: string;
  title: string;
  theme: string;
  stage: string;
  budget_investment: number;
  partners: number;
}
export interface MemberTotals {
  projects: number;
  investment: number;
  operation: number;
  pooled: number;
  procedures: number;
  datasets: number;
  /** Granted to its published projects (the funding part's applications), in euros. */
  granted: number;
  themes: Set<string>;
}
export interface ThemeTotals {
  theme: string;
  members: number;
  projects: number;
  investment: number;
}
export interface ViewShared {
  member_tenant_id: string;
  kind: 'procedure' | 'dataset';
  slug: string;
  title: string;
}
export interface SharedKit {
  owner_tenant: string;
  owner_slug: string;
  owner_name: string;
  slug: string;
  title: string;
  summary: string;
}
export interface NetworkView {
  /** Debate kits the members share with the network (the debates module's debates_visible_kits()). */
  kits: SharedKit[];
  members: MemberRow[];
  totals: Map<string, MemberTotals>;
  themes: ThemeTotals[];
  /** The projects of `theme` (or the pooled ones when no theme is asked), one page. */
  projects: ViewProject[];
  /** A few procedures and datasets to reuse, newest members' first. */
  shared: ViewShared[];
}

export const SUMMARY_SQL = `select member_tenant_id, theme, projects, investment::text as investment, operation::text as operation, pooled
  from network_view_summary($1)`;

export async function loadNetworkView(db: Database, networkId: string, options: { theme?: string; page?: number } = {}): Promise<NetworkView> {
  const offset = ((options.page ?? 1) - 1) * PROJECTS_PER_PAGE;
  const { members, summary, counts, funding, projects, shared, kits } = await db.transaction(networkId, async (tx) => ({
    members: await listMembers(tx, networkId),
    summary: await tx.query<{ member_tenant_id: string; theme: string; projects: number; investment: string; operation: string; pooled: number }>(SUMMARY_SQL, [
      networkId,
    ]),
    counts: await tx.query<{ member_tenant_id: string; procedures: number; datasets: number }>(
      'select member_tenant_id, procedures, datasets from network_view_shared_counts($1)',
      [networkId],
    ),
    funding: await tx.query<{ member_tenant_id: string; granted: string }>('select member_tenant_id, granted::text as granted from network_view_funding($1)', [
      networkId,
    ]),
    projects: await tx.query<ViewProject>(
      'select member_tenant_id, id, slug, title, theme, stage, budget_investment, partners from network_view_theme($1, $2, $3, $4)',
      [networkId, options.theme ?? null, PROJECTS_PER_PAGE, offset],
    ),
    shared: await tx.query<ViewShared>('select member_tenant_id, kind, slug, title from network_view_shared($1) order by kind, title limit 50', [networkId]),
    // The debates module's reader of shared kits answers, in the network's own transaction, the kits shared
    // with this network (0720_debates_kits.sql debates_kit_visible: network_id = app_tenant()).
    kits: await tx.query<SharedKit>(
      `select owner_tenant, owner_slug, owner_name, slug, title, summary from debates_visible_kits() where sharing = 'network' order by title limit 50`,
    ),
  }));
  const totals = new Map<string, MemberTotals>();
  const empty = (): MemberTotals => ({ projects: 0, investment: 0, operation: 0, pooled: 0, procedures: 0, datasets: 0, granted: 0, themes: new Set() });
  const byTheme = new Map<string, ThemeTotals>();
  for (const row of summary) {
    const m = totals.get(row.member_tenant_id) ?? empty();
    m.projects += row.projects;
    m.investment += Number(row.investment);
    m.operation += Number(row.operation);
    m.pooled += row.pooled;
    m.themes.add(row.theme);
    totals.set(row.member_tenant_id, m);
    const th = byTheme.get(row.theme) ?? { theme: row.theme, members: 0, projects: 0, investment: 0 };
    th.members += 1;
    th.projects += row.projects;
    th.investment += Number(row.investment);
    byTheme.set(row.theme, th);
  }
  for (const c of counts) {
    const m = totals.get(c.member_tenant_id) ?? empty();
    m.procedures = c.procedures;
    m.datasets = c.datasets;
    totals.set(c.member_tenant_id, m);
  }
  for (const f of funding) {
    const m = totals.get(f.member_tenant_id) ?? empty();
    m.granted = Number(f.granted);
    totals.set(f.member_tenant_id, m);
  }
  const current = new Set(members.map((m) => m.id));
  return {
    kits: kits.filter((k) => current.has(k.owner_tenant)),
    members,
    totals,
    themes: [...byTheme.values()].sort((a, b) => b.projects - a.projects),
    projects,
    shared,
  };
}

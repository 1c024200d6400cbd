// The network view: its members' published roadmaps side by side by theme, their pooled projects and what
// they share (published procedures and datasets), in one place. Other collectivités' rows come only through
// the SECURITY DEFINER functions of 0852 and 0860, which return published rows of current members and nothing
// else. At the scale of a national network the page is a summary (members × themes, a page of members at a
// time) and lists the projects of one theme, or the pooled ones, a page at a time.
import type { Database } from '../../../core/db/database.ts';
import type { MemberRow } from './network.repository.ts';

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

/** One row per member, by name: 0860's network_view_overview. */
interface OverviewRow {
  member_tenant_id: string;
  slug: string;
  name: string;
  kind: string;
  official_code: string | null;
  projects: number;
  investment: string;
  operation: string;
  pooled: number;
  themes: string[];
  theme_projects: number[];
  theme_investment: number[];
  procedures: number;
  datasets: number;
  granted: string;
}

export const OVERVIEW_SQL = `select member_tenant_id, slug, name, kind, official_code, projects, investment::text as investment, operation::text as operation,
  pooled, themes, theme_projects, theme_investment, procedures, datasets, granted::text as granted from network_view_overview($1)`;

/**
 * Four statements in the network's transaction: the overview (each member with its totals and its themes'),
 * a page of projects, the procedures and datasets to reuse, the shared debate kits; the themes' totals are
 * added up here. Bigint sums come as text and are read as numbers (whole euros: exact far beyond any budget).
 */
export async function loadNetworkView(db: Database, networkId: string, options: { theme?: string; page?: number } = {}): Promise<NetworkView> {
  const offset = ((options.page ?? 1) - 1) * PROJECTS_PER_PAGE;
  const { overview, projects, shared, kits } = await db.transaction(networkId, async (tx) => ({
    overview: await tx.query<OverviewRow>(OVERVIEW_SQL, [networkId]),
    projects: await tx.query<ViewProject>(
      'select member_tenant_id, id, slug, title, theme, stage, budget_investment, partners from network_view_projects_page($1, $2, $3, $4)',
      [networkId, options.theme ?? null, PROJECTS_PER_PAGE, offset],
    ),
    shared: await tx.query<ViewShared>('select member_tenant_id, kind, slug, title from network_view_shared($1) order by kind, title limit 50', [networkId]),
    // The debates module's reader of shared kits answers, in the network's own transaction, the kits shared
    // with this network (0720_debates_kits.sql debates_kit_visible: network_id = app_tenant()).
    kits: await tx.query<SharedKit>(
      `select owner_tenant, owner_slug, owner_name, slug, title, summary from debates_visible_kits() where sharing = 'network' order by title limit 50`,
    ),
  }));
  const members: MemberRow[] = [];
  const totals = new Map<string, MemberTotals>();
  const byTheme = new Map<string, ThemeTotals>();
  for (const row of overview) {
    members.push({ id: row.member_tenant_id, slug: row.slug, name: row.name, kind: row.kind, official_code: row.official_code });
    totals.set(row.member_tenant_id, {
      projects: row.projects,
      investment: Number(row.investment),
      operation: Number(row.operation),
      pooled: row.pooled,
      procedures: row.procedures,
      datasets: row.datasets,
      granted: Number(row.granted),
      themes: new Set(row.themes),
    });
    row.themes.forEach((theme, i) => {
      const th = byTheme.get(theme) ?? { theme, members: 0, projects: 0, investment: 0 };
      th.members += 1;
      th.projects += row.theme_projects[i] ?? 0;
      th.investment += row.theme_investment[i] ?? 0;
      byTheme.set(theme, th);
    });
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

// The network view: its members' published roadmaps side by side by theme, their pooled projects and what
// they share (published procedures and datasets), in one place. Three statements in the network's
// transaction; other collectivités' rows come only through the SECURITY DEFINER functions of 0852, which
// return published rows of current members and nothing else.
import type { Database } from '../../../core/db/database.ts';
import { listMembers, type MemberRow } from './network.repository.ts';

export interface ViewProject {
  member_tenant_id: string;
  id: string;
  slug: string;
  title: string;
  theme: string;
  stage: string;
  start_on: string | null;
  end_on: string | null;
  budget_investment: number;
  budget_operation: number;
  partners: number;
}
export interface ViewShared {
  member_tenant_id: string;
  kind: 'procedure' | 'dataset';
  slug: string;
  title: string;
}
export interface NetworkView {
  members: MemberRow[];
  /** theme → member id → projects. */
  byTheme: Map<string, Map<string, ViewProject[]>>;
  pooled: ViewProject[];
  shared: ViewShared[];
  totals: Map<string, { projects: number; investment: number; operation: number }>;
}

export const VIEW_PROJECTS_SQL = `select member_tenant_id, id, slug, title, theme, stage, to_char(start_on, 'YYYY-MM-DD') as start_on,
  to_char(end_on, 'YYYY-MM-DD') as end_on, budget_investment, budget_operation, partners
  from network_view_projects($1) order by theme, title`;

export async function loadNetworkView(db: Database, networkId: string, options: { theme?: string } = {}): Promise<NetworkView> {
  const { members, projects, shared } = await db.transaction(networkId, async (tx) => ({
    members: await listMembers(tx, networkId),
    projects: await tx.query<ViewProject>(VIEW_PROJECTS_SQL, [networkId]),
    shared: await tx.query<ViewShared>('select member_tenant_id, kind, slug, title from network_view_shared($1) order by kind, title', [networkId]),
  }));
  const byTheme = new Map<string, Map<string, ViewProject[]>>();
  const totals = new Map<string, { projects: number; investment: number; operation: number }>();
  for (const p of projects) {
    const total = totals.get(p.member_tenant_id) ?? { projects: 0, investment: 0, operation: 0 };
    total.projects += 1;
    total.investment += p.budget_investment;
    total.operation += p.budget_operation;
    totals.set(p.member_tenant_id, total);
    if (options.theme && p.theme !== options.theme) continue;
    const theme = byTheme.get(p.theme) ?? new Map<string, ViewProject[]>();
    theme.set(p.member_tenant_id, [...(theme.get(p.member_tenant_id) ?? []), p]);
    byTheme.set(p.theme, theme);
  }
  return { members, byTheme, pooled: projects.filter((p) => p.partners > 0), shared, totals };
}

// The solutions directory ("who uses what", as SILL and Comptoir du Libre list software with their users
// and referents): the solutions the network lists (its tenant), who runs each (the members' own public
// declarations, read through network_solution_users()), Bastide's own modules counted per member, search by
// theme and territory, and "who near me already runs this".
import type { Database } from '../../../core/db/database.ts';
import { unprocessable } from '../../../core/base/errors.ts';
import { journal } from '../../../core/audit/journal.ts';
import type { Translate } from '../../../core/i18n/i18n.ts';
import { findCommune, findDepartement, findEpci, findEpciOfCommune } from '../../../core/territory/cog.ts';
import { archivesMetrics } from '../../archives/index.ts';
import { debatesMetrics } from '../../debates/index.ts';
import { listMembers, type MemberRow } from './network.repository.ts';

export interface SolutionRow {
  id: string;
  slug: string;
  name: string;
  kind: 'software' | 'service';
  theme: string;
  licence: string;
  link: string;
  description: string;
}
export interface SolutionUser {
  member: MemberRow;
  referent: string;
  opinion: string;
  since: string | null;
  /** 0 the same collectivité, 1 same EPCI, 2 same département, 3 same région, 4 elsewhere. */
  distance?: number;
}

export async function createSolution(
  db: Database,
  a: { networkId: string; actor: string; t: Translate },
  input: Omit<SolutionRow, 'id' | 'licence' | 'link' | 'description'> & Partial<Pick<SolutionRow, 'licence' | 'link' | 'description'>>,
): Promise<{ id: string }> {
  try {
    return await db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_solutions (tenant_id, slug, name, kind, theme, licence, link, description) values (app_tenant(), $1, $2, $3, $4, $5, $6, $7) returning id`,
        [input.slug, input.name, input.kind, input.theme, input.licence ?? '', input.link ?? '', input.description ?? ''],
      ))!;
      await journal(tx, { actor: a.actor, action: 'roadmap.solutions.create', subjectType: 'network_solution', subjectId: row.id, data: { slug: input.slug } });
      return row;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw unprocessable({ slug: [a.t('roadmap.network.error.slug_taken')] });
    throw error;
  }
}

/** Where a collectivité is: its EPCI, département and région codes, from the COG. */
export function placeOf(m: Pick<MemberRow, 'kind' | 'official_code'>): { epci?: string; departement?: string; region?: string } {
  const code = m.official_code ?? '';
  if (m.kind === 'commune') {
    const c = findCommune(code);
    return c ? { epci: findEpciOfCommune(code)?.code, departement: c.departement, region: c.region } : {};
  }
  if (m.kind === 'epci') {
    const seat = findEpci(code)?.membres[0];
    const c = seat && findCommune(seat.code);
    return c ? { epci: code, departement: c.departement, region: c.region } : { epci: code };
  }
  if (m.kind === 'departement') return { departement: code, region: findDepartement(code)?.region };
  if (m.kind === 'region') return { region: code };
  return {};
}

export function distance(from: MemberRow, to: MemberRow): number {
  if (from.id === to.id) return 0;
  const a = placeOf(from);
  const b = placeOf(to);
  if (a.epci && a.epci === b.epci) return 1;
  if (a.departement && a.departement === b.departement) return 2;
  if (a.region && a.region === b.region) return 3;
  return 4;
}

export interface DirectoryQuery {
  theme?: string;
  /** A département or région code: only solutions run by a member there. */
  territory?: string;
  q?: string;
}

export interface Directory {
  members: MemberRow[];
  solutions: Array<SolutionRow & { users: SolutionUser[] }>;
  themes: string[];
}

export async function loadDirectory(db: Database, networkId: string, query: DirectoryQuery = {}): Promise<Directory> {
  return db.transaction(networkId, async (tx) => {
    const members = await listMembers(tx, networkId);
    const byId = new Map(members.map((m) => [m.id, m]));
    const solutions = await tx.query<SolutionRow>(
      `select id, slug, name, kind, theme, licence, link, description from network_solutions
       where ($1::text is null or theme = $1) and ($2::text is null or name ilike '%' || $2 || '%' or description ilike '%' || $2 || '%')
       order by name`,
      [query.theme ?? null, query.q ? query.q.replace(/[\\%_]/g, (c) => `\\${c}`) : null],
    );
    const uses = await tx.query<{ solution_id: string; member_tenant_id: string; referent: string; opinion: string; since: string | null }>(
      `select solution_id, member_tenant_id, referent, opinion, to_char(since, 'YYYY-MM-DD') as since from network_solution_users($1)`,
      [networkId],
    );
    const themes = (await tx.query<{ theme: string }>('select distinct theme from network_solutions order by theme')).map((r) => r.theme);
    const inTerritory = (m: MemberRow) => {
      if (!query.territory) return true;
      const p = placeOf(m);
      return p.departement === query.territory || p.region === query.territory;
    };
    const result = solutions.map((s) => ({
      ...s,
      users: uses
        .filter((u) => u.solution_id === s.id && byId.has(u.member_tenant_id))
        .map((u) => ({ member: byId.get(u.member_tenant_id)!, referent: u.referent, opinion: u.opinion, since: u.since })),
    }));
    return { members, themes, solutions: query.territory ? result.filter((s) => s.users.some((u) => inTerritory(u.member))) : result };
  });
}

/** The users of one solution, nearest first from `from` (a member), for "who near me already runs this". */
export function nearest(users: SolutionUser[], from: MemberRow | null): SolutionUser[] {
  if (!from) return users;
  return users.map((u) => ({ ...u, distance: distance(from, u.member) })).sort((x, y) => x.distance - y.distance || x.member.name.localeCompare(y.member.name));
}

export interface BastideUse {
  member: MemberRow;
  procedures: number;
  datasets: number;
  archiveUnits: number;
  /** Debates opened to the public (not drafts), through the debates module's exported debatesMetrics. */
  debates: number;
  projects: number;
}

/**
 * Bastide's own modules, counted per member without anyone declaring them: published procedures and
 * datasets and published roadmap projects through the network view's functions (0853, published rows of
 * current members only), archives kept through the archives module's exported archivesMetrics (each
 * member's own transaction), and debates open to the public through the debates module's exported
 * debatesMetrics (each member's own transaction, like archives).
 */
/** Members counted per page: each one's archives and debates are read in their own transactions, so an anonymous page view
 * costs at most this many, whatever the size of the network. */
export const USES_PER_PAGE = 50;

export async function bastideUses(db: Database, networkId: string, page = 1): Promise<{ uses: BastideUse[]; pages: number }> {
  const { members, counts, projects } = await db.transaction(networkId, async (tx) => ({
    members: await listMembers(tx, networkId),
    counts: await tx.query<{ member_tenant_id: string; procedures: number; datasets: number }>(
      'select member_tenant_id, procedures, datasets from network_view_shared_counts($1)',
      [networkId],
    ),
    projects: await tx.query<{ member_tenant_id: string; n: number }>(
      'select member_tenant_id, sum(projects)::int as n from network_view_summary($1) group by 1',
      [networkId],
    ),
  }));
  const out: BastideUse[] = [];
  for (const m of members.slice((page - 1) * USES_PER_PAGE, page * USES_PER_PAGE)) {
    const archives = await archivesMetrics({ db }, m.id);
    const debates = await debatesMetrics({ db }, m.id);
    const c = counts.find((r) => r.member_tenant_id === m.id);
    out.push({
      member: m,
      procedures: c?.procedures ?? 0,
      datasets: c?.datasets ?? 0,
      archiveUnits: archives.units,
      debates: debates.debates,
      projects: projects.find((r) => r.member_tenant_id === m.id)?.n ?? 0,
    });
  }
  return { uses: out, pages: Math.ceil(members.length / USES_PER_PAGE) };
}

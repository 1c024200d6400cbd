// SQL of the roadmap's projects, their partners and links. Every function takes the caller's transaction,
// scoped to one collectivité by row-level security (app_tenant()).
import type { Tx } from '../../core/db/database.ts';
import { isUuid } from '../../core/db/ids.ts';

export const THEMES = ['data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g'] as const;
export type Theme = (typeof THEMES)[number];
export const STAGES = ['idea', 'study', 'running', 'delivered', 'dropped'] as const;
export type Stage = (typeof STAGES)[number];
export const LINK_KINDS = ['procedure', 'dataset', 'debate'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Whole euros; a budget is at most this (the table's check). */
export const MAX_EUROS = 1_000_000_000;

export interface ProjectRow {
  id: string;
  slug: string;
  title: string;
  theme: Theme;
  description: string;
  stage: Stage;
  /** YYYY-MM-DD or null. */
  start_on: string | null;
  end_on: string | null;
  budget_investment: number;
  budget_operation: number;
  published: boolean;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PartnerRow {
  partner_tenant_id: string;
  slug: string;
  name: string;
  contribution: number | null;
}

export interface LinkRow {
  kind: LinkKind;
  ref: string;
}

/** A project another collectivité pools with the current one (roadmap_pooled_projects()). */
export interface PooledProjectRow {
  owner_tenant_id: string;
  owner_slug: string;
  owner_name: string;
  id: string;
  slug: string;
  title: string;
  theme: Theme;
  stage: Stage;
  start_on: string | null;
  end_on: string | null;
  budget_investment: number;
  budget_operation: number;
  published: boolean;
  contribution: number | null;
}

const COLUMNS = `id, slug, title, theme, description, stage, to_char(start_on, 'YYYY-MM-DD') as start_on,
  to_char(end_on, 'YYYY-MM-DD') as end_on, budget_investment, budget_operation, published, published_at, created_at, updated_at`;

/**
 * The projects of the transaction's collectivité, by title. `publishedOnly` for public pages and for
 * anyone who is not its staff. (Read by funding/ and network/ through index.ts.)
 */
export async function listProjects(tx: Tx, options: { publishedOnly: boolean }): Promise<ProjectRow[]> {
  return tx.query<ProjectRow>(
    `select ${COLUMNS} from roadmap_projects where tenant_id = app_tenant() ${options.publishedOnly ? 'and published' : ''} order by title, id`,
  );
}

/** One project by id or slug (null when absent, or a draft and `publishedOnly`). `lock` for updates. */
export async function findProject(tx: Tx, ref: string, options: { publishedOnly?: boolean; lock?: boolean } = {}): Promise<ProjectRow | null> {
  const by = isUuid(ref) ? 'id = $1::uuid' : 'slug = $1';
  return tx.one<ProjectRow>(
    `select ${COLUMNS} from roadmap_projects where tenant_id = app_tenant() and ${by} ${options.publishedOnly ? 'and published' : ''}${options.lock ? ' for update' : ''}`,
    [ref],
  );
}

export async function projectSlugTaken(tx: Tx, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from roadmap_projects where tenant_id = app_tenant() and slug = $1', [slug]));
}

export interface ProjectFields {
  title: string;
  theme: Theme;
  description: string;
  stage: Stage;
  start_on: string | null;
  end_on: string | null;
  budget_investment: number;
  budget_operation: number;
  published: boolean;
}

export async function insertProject(tx: Tx, slug: string, f: ProjectFields): Promise<ProjectRow> {
  return (await tx.one<ProjectRow>(
    `insert into roadmap_projects (tenant_id, slug, title, theme, description, stage, start_on, end_on, budget_investment, budget_operation,
       published, published_at)
     values (app_tenant(), $1, $2, $3, $4, $5, $6::date, $7::date, $8, $9, $10, case when $10 then now() end) returning ${COLUMNS}`,
    [slug, f.title, f.theme, f.description, f.stage, f.start_on, f.end_on, f.budget_investment, f.budget_operation, f.published],
  ))!;
}

export async function updateProject(tx: Tx, id: string, f: ProjectFields): Promise<ProjectRow> {
  return (await tx.one<ProjectRow>(
    `update roadmap_projects set title = $2, theme = $3, description = $4, stage = $5, start_on = $6::date, end_on = $7::date,
       budget_investment = $8, budget_operation = $9, published = $10,
       published_at = case when $10 then coalesce(published_at, now()) end, updated_at = now()
     where tenant_id = app_tenant() and id = $1 returning ${COLUMNS}`,
    [id, f.title, f.theme, f.description, f.stage, f.start_on, f.end_on, f.budget_investment, f.budget_operation, f.published],
  ))!;
}

export async function listPartners(tx: Tx, projectId: string): Promise<PartnerRow[]> {
  return tx.query<PartnerRow>(
    `select pp.partner_tenant_id, t.slug, t.name, pp.contribution from roadmap_project_partners pp join tenants t on t.id = pp.partner_tenant_id
     where pp.tenant_id = app_tenant() and pp.project_id = $1 order by t.name`,
    [projectId],
  );
}

/** Replaces the partner list of a project (the owner's decision). */
export async function setPartners(tx: Tx, projectId: string, partners: Array<{ tenantId: string; contribution: number | null }>): Promise<void> {
  await tx.execute('delete from roadmap_project_partners where tenant_id = app_tenant() and project_id = $1', [projectId]);
  for (const p of partners) {
    await tx.execute('insert into roadmap_project_partners (tenant_id, project_id, partner_tenant_id, contribution) values (app_tenant(), $1, $2, $3)', [
      projectId,
      p.tenantId,
      p.contribution,
    ]);
  }
}

export async function listLinks(tx: Tx, projectId: string): Promise<LinkRow[]> {
  return tx.query<LinkRow>('select kind, ref from roadmap_project_links where tenant_id = app_tenant() and project_id = $1 order by kind, ref', [projectId]);
}

export async function setLinks(tx: Tx, projectId: string, links: LinkRow[]): Promise<void> {
  await tx.execute('delete from roadmap_project_links where tenant_id = app_tenant() and project_id = $1', [projectId]);
  for (const l of links) {
    await tx.execute('insert into roadmap_project_links (tenant_id, project_id, kind, ref) values (app_tenant(), $1, $2, $3) on conflict do nothing', [
      projectId,
      l.kind,
      l.ref,
    ]);
  }
}

/** Projects of other collectivités that name the current one as partner (drafts only for its staff). */
export async function listPooledProjects(tx: Tx, options: { includeDrafts: boolean }): Promise<PooledProjectRow[]> {
  return tx.query<PooledProjectRow>(
    `select owner_tenant_id, owner_slug, owner_name, id, slug, title, theme, stage, to_char(start_on, 'YYYY-MM-DD') as start_on,
       to_char(end_on, 'YYYY-MM-DD') as end_on, budget_investment, budget_operation, published, contribution
     from roadmap_pooled_projects($1)`,
    [options.includeDrafts],
  );
}

// What the roadmap's pages, PDF and dataset show, read in one transaction of the collectivité under the
// one access rule (roadmap.policy.ts): published projects for everyone, drafts for its staff.
import type { Tx } from '../../core/db/database.ts';
import {
  findProject,
  listLinks,
  listPartners,
  listPooledProjects,
  listProjects,
  type LinkRow,
  type PartnerRow,
  type PooledProjectRow,
  type ProjectRow,
} from './projects.repository.ts';
import { listIndicators, valuesOf } from './indicators/indicators.repository.ts';
import { UNAVAILABLE_SOURCES } from './indicators/measure.ts';
import type { IndicatorView } from './views/public.ts';

export interface Roadmap {
  projects: ProjectRow[];
  pooled: PooledProjectRow[];
  /** Roadmap-wide indicators (those of projects are on each project's page). */
  indicators: IndicatorView[];
  /** Every readable indicator, by project id ('' for roadmap-wide): the PDF and the dataset list them all. */
  allIndicators: Array<IndicatorView & { projectId: string }>;
}

export async function loadRoadmap(tx: Tx, staff: boolean): Promise<Roadmap> {
  const projects = await listProjects(tx, { publishedOnly: !staff });
  const pooled = await listPooledProjects(tx, { includeDrafts: staff });
  const indicators = await listIndicators(tx, { publicOnly: !staff });
  const values = await valuesOf(
    tx,
    indicators.map((i) => i.id),
  );
  const all = indicators.map((indicator) => ({
    indicator,
    values: values.filter((v) => v.indicator_id === indicator.id),
    unavailable: indicator.source !== 'manual' && UNAVAILABLE_SOURCES.has(indicator.source),
    projectId: indicator.project_id ?? '',
  }));
  return { projects, pooled, indicators: all.filter((i) => i.projectId === ''), allIndicators: all };
}

export interface ProjectDetail {
  project: ProjectRow;
  partners: PartnerRow[];
  links: LinkRow[];
  indicators: IndicatorView[];
}

export async function loadProject(tx: Tx, ref: string, staff: boolean): Promise<ProjectDetail | null> {
  const project = await findProject(tx, ref, { publishedOnly: !staff });
  if (!project) return null;
  const indicators = await listIndicators(tx, { publicOnly: !staff, projectId: project.id });
  const values = await valuesOf(
    tx,
    indicators.map((i) => i.id),
  );
  return {
    project,
    partners: await listPartners(tx, project.id),
    links: await listLinks(tx, project.id),
    indicators: indicators.map((indicator) => ({
      indicator,
      values: values.filter((v) => v.indicator_id === indicator.id),
      unavailable: indicator.source !== 'manual' && UNAVAILABLE_SOURCES.has(indicator.source),
    })),
  };
}

// Matching a project of a collectivité against the installation's programmes: the SQL prefilter (territory,
// audience and theme, GIN-indexed; not closed) then the scoring of matching.ts. Pages, API and the benchmark call this.
import type { Tx } from '../../../core/db/database.ts';
import { rankProgrammes, type Match, type MatchProject } from './matching.ts';
import { candidateProgrammes, type CandidateRow } from './programmes.repository.ts';
import { placeOf } from './territory.ts';

export interface ProjectForMatch {
  theme: string;
  budget_investment: number;
  budget_operation: number;
}

export interface TenantForMatch {
  kind: string;
  official_code: string | null;
}

export function matchProjectOf(tenant: TenantForMatch, project: ProjectForMatch): MatchProject {
  const place = placeOf(tenant.kind, tenant.official_code);
  return {
    theme: project.theme,
    kind: tenant.kind,
    population: place.population,
    codes: place.codes,
    budget: project.budget_investment + project.budget_operation,
  };
}

/** `appliedTo`: ids of programmes the project applied to, listed (and scored) even when closed since. */
export async function matchProgrammesFor(tx: Tx, project: MatchProject, today: string, appliedTo: string[] = []): Promise<Match<CandidateRow>[]> {
  return rankProgrammes(project, await candidateProgrammes(tx, project.codes, project.kind, project.theme, today, appliedTo), today);
}

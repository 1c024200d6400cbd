// SQL of the roadmap's indicators and their values, in the caller's (RLS-scoped) transaction.
import type { Tx } from '../../../core/db/database.ts';
import type { Source, Unit } from '../roadmap.schema.ts';

export interface IndicatorRow {
  id: string;
  project_id: string | null;
  /** The project's slug and publication, null for a roadmap-wide indicator. */
  project_slug: string | null;
  project_published: boolean | null;
  name: string;
  unit: Unit;
  target: number | null;
  target_on: string | null;
  source: Source;
}

export interface ValueRow {
  indicator_id: string;
  measured_on: string;
  value: number;
  origin: 'manual' | 'bastide';
}

const COLUMNS = `i.id, i.project_id, p.slug as project_slug, p.published as project_published, i.name, i.unit, i.target,
  to_char(i.target_on, 'YYYY-MM-DD') as target_on, i.source`;
const FROM = 'roadmap_indicators i left join roadmap_projects p on p.tenant_id = i.tenant_id and p.id = i.project_id';

/**
 * Indicators of the collectivité. `publicOnly`: roadmap-wide ones and those of published projects (what a
 * visitor may read). `projectId`: those of one project.
 */
export async function listIndicators(tx: Tx, options: { publicOnly: boolean; projectId?: string }): Promise<IndicatorRow[]> {
  const params: unknown[] = [];
  let where = 'i.tenant_id = app_tenant()';
  if (options.publicOnly) where += ' and (i.project_id is null or p.published)';
  if (options.projectId) {
    params.push(options.projectId);
    where += ` and i.project_id = $${params.length}`;
  }
  return tx.query<IndicatorRow>(`select ${COLUMNS} from ${FROM} where ${where} order by i.project_id nulls first, i.name, i.id`, params);
}

export async function findIndicator(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<IndicatorRow | null> {
  return tx.one<IndicatorRow>(`select ${COLUMNS} from ${FROM} where i.tenant_id = app_tenant() and i.id = $1${options.lock ? ' for update of i' : ''}`, [id]);
}

export async function insertIndicator(
  tx: Tx,
  f: { project_id: string | null; name: string; unit: Unit; target: number | null; target_on: string | null; source: Source },
): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into roadmap_indicators (tenant_id, project_id, name, unit, target, target_on, source)
     values (app_tenant(), $1, $2, $3, $4, $5::date, $6) returning id`,
    [f.project_id, f.name, f.unit, f.target, f.target_on, f.source],
  );
  return row!.id;
}

export async function valuesOf(tx: Tx, indicatorIds: string[]): Promise<ValueRow[]> {
  if (indicatorIds.length === 0) return [];
  return tx.query<ValueRow>(
    `select indicator_id, to_char(measured_on, 'YYYY-MM-DD') as measured_on, value, origin from roadmap_indicator_values
     where tenant_id = app_tenant() and indicator_id = any($1::uuid[]) order by indicator_id, measured_on`,
    [indicatorIds],
  );
}

/** One value per indicator and date: a second value of the same date replaces the first. */
export async function upsertValue(
  tx: Tx,
  v: { indicator_id: string; measured_on: string; value: number; unit: Unit; origin: 'manual' | 'bastide' },
): Promise<void> {
  await tx.execute(
    `insert into roadmap_indicator_values (tenant_id, indicator_id, measured_on, value, unit, origin)
     values (app_tenant(), $1, $2::date, $3, $4, $5)
     on conflict (tenant_id, indicator_id, measured_on) do update set value = excluded.value, origin = excluded.origin, recorded_at = now()`,
    [v.indicator_id, v.measured_on, v.value, v.unit, v.origin],
  );
}

/** Indicators Bastide measures itself (the monthly job). */
export async function measuredIndicators(tx: Tx): Promise<Array<{ id: string; unit: Unit; source: Exclude<Source, 'manual'> }>> {
  return tx.query(`select id, unit, source from roadmap_indicators where tenant_id = app_tenant() and source <> 'manual' order by id`);
}

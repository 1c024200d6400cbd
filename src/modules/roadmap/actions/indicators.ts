// Indicators and their values: add an indicator (to a project or to the whole roadmap), record a value.
// One transaction each, journaled; a value of another unit than its indicator's is refused by field (and
// the table's foreign key on (indicator, unit) refuses it again should a caller skip this check).
import type { Database } from '../../../core/db/database.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { journal } from '../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { requireEditor, type Principal } from '../roadmap.policy.ts';
import { checkIndicator, checkValue, type IndicatorBodyT, type ValueBodyT } from '../roadmap.schema.ts';
import { findProject } from '../projects.repository.ts';
import { findIndicator, insertIndicator, upsertValue, type IndicatorRow } from '../indicators/indicators.repository.ts';

export async function createIndicator(db: Database, p: Principal, body: Partial<IndicatorBodyT>): Promise<IndicatorRow> {
  requireEditor(p);
  const result = checkIndicator(body, p.t);
  if (!result.ok) throw unprocessable(result.errors);
  const input = result.value;
  return db.transaction(p.tenantId, async (tx) => {
    let projectId: string | null = null;
    if (input.project) {
      const project = await findProject(tx, input.project);
      if (!project) throw unprocessable({ project: [p.t('roadmap.error.project_unknown')] });
      projectId = project.id;
    }
    const id = await insertIndicator(tx, { ...input, project_id: projectId });
    await journal(tx, {
      actor: p.actor,
      action: 'roadmap.indicator.create',
      subjectType: 'roadmap_indicator',
      subjectId: id,
      data: { project_id: projectId, unit: input.unit, source: input.source },
    });
    return (await findIndicator(tx, id))!;
  });
}

export async function recordValue(db: Database, p: Principal, indicatorId: string, body: Partial<ValueBodyT>): Promise<{ measured_on: string; value: number }> {
  requireEditor(p);
  if (!isUuid(indicatorId)) throw notFound();
  return db.transaction(p.tenantId, async (tx) => {
    const indicator = await findIndicator(tx, indicatorId, { lock: true });
    if (!indicator) throw notFound();
    // Bastide's own measurements are not typed over by hand.
    if (indicator.source !== 'manual') throw unprocessable({ value: [p.t('roadmap.error.measured_by_bastide')] });
    const result = checkValue(body, indicator.unit, p.t);
    if (!result.ok) throw unprocessable(result.errors);
    await upsertValue(tx, { indicator_id: indicator.id, ...result.value, unit: indicator.unit, origin: 'manual' });
    await journal(tx, {
      actor: p.actor,
      action: 'roadmap.indicator.value',
      subjectType: 'roadmap_indicator',
      subjectId: indicator.id,
      data: { ...result.value, unit: indicator.unit },
    });
    return result.value;
  });
}

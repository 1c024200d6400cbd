// The job `catalogue.tabular.index`, queued by the transaction that makes a load current: a vacuum (every
// page marked all-visible, so that counts and key lookups read the indexes alone — index-only scans —
// without visiting the rows), one (tenant_id, key, row_number) index per typed column (amounts, dates),
// then the planner's statistics again, in full. Until it has run the rows are queryable and correct —
// counts visit the rows, sorts and comparisons on those columns read the table instead of an index — so a
// load is answered sooner (the `tabular-load` benchmark measures the time until the rows are queryable,
// and reports this job's time beside it).
// On PostgreSQL the indexes are built at the same time, one connection each (CREATE INDEX only reads the
// table, several may run together); the embedded engine runs them one after the other.
// Repeatable: `if not exists`; a load replaced meanwhile (its table dropped) has nothing left to index.
import type { Database } from '../../../core/db/database.ts';
import type { Job } from '../../../core/jobs/runner.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { analyzeStatement, buildLoadIndex, checkedTable, findLoad, typedIndexStatements } from './store.ts';

const UNDEFINED_TABLE = '42P01';

/** Builds a current load's typed indexes; false when there was nothing to do (not current, table gone). */
export async function indexLoad(db: Database, tenantId: string, loadId: string): Promise<boolean> {
  const load = await db.transaction(tenantId, (tx) => findLoad(tx, loadId));
  if (!load?.current) return false;
  const statements = typedIndexStatements(load.table_name, load.columns);
  try {
    await db.exec(`vacuum ${checkedTable(load.table_name)}`);
    await Promise.all(statements.map((statement) => db.ownerTransaction((tx) => buildLoadIndex(tx, statement))));
    if (statements.length) await db.ownerTransaction((tx) => tx.script(analyzeStatement(load.table_name, load.columns)));
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return false;
    throw error;
  }
  return true;
}

export function indexJobHandler(deps: { db: Database }) {
  return async (job: Job): Promise<void> => {
    const loadId = job.payload.loadId;
    if (!job.tenant_id || typeof loadId !== 'string' || !isUuid(loadId)) return;
    await indexLoad(deps.db, job.tenant_id, loadId);
  };
}

// Loads whose table is gone. A tenant archive (core/transfer) carries the `catalogue_tabular_loads` rows but
// not the loaded tables (derived data: the CSV versions are there), so after `bastide tenant import` each
// current load names a table that does not exist; a table may also go missing another way (restored
// without it, dropped by hand). Two ways back, both queueing a fresh load of the resource's newest valid
// version, which becomes current when it finishes (the usual way: load-version.ts):
// - the manifest's afterTenantImport hook runs requeueImportedLoads once the import has committed;
// - the rows endpoint, finding the current table missing, queues one load and answers 503 « en cours de
//   chargement » with Retry-After. At most once: nothing is queued while any load newer than the current
//   one exists (queued, loading, or failed: a failed one waits for a steward), so visitors cannot make the
//   server load a file again and again.
import type { Database, Tx } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import type { VersionRow } from '../catalogue.repository.ts';
import { enqueueLoad, loadable, LOAD_JOB } from '../actions/load-version.ts';

/** Seconds a client is asked to wait before asking for the rows again. */
export const RETRY_AFTER_SECONDS = 30;

export async function tableExists(tx: Tx, table: string): Promise<boolean> {
  const r = await tx.one<{ present: boolean }>('select to_regclass($1) is not null as present', [`public.${table}`]);
  return r?.present === true;
}

/** Queues a load of the resource's newest valid CSV version; its id, or null when there is none to load. */
async function queueNewest(tx: Tx, resourceId: string, reason: string): Promise<string | null> {
  const v = await tx.one<VersionRow & { dataset_id: string }>(
    `select v.id, v.resource_id, v.version, v.size::float8 as size, v.content_type, v.validation_state, v.valid, r.dataset_id
     from catalogue_resource_versions v join catalogue_resources r on r.tenant_id = v.tenant_id and r.id = v.resource_id
     where v.tenant_id = app_tenant() and v.resource_id = $1 order by v.version desc limit 1`,
    [resourceId],
  );
  if (!v || !loadable(v)) return null;
  const loadId = await enqueueLoad(tx, v, 'system');
  await journal(tx, {
    actor: 'system',
    action: 'catalogue.resource.load_request',
    subjectType: 'dataset',
    subjectId: v.dataset_id,
    data: { resource: resourceId, version: v.id, load: loadId, reason },
  });
  return loadId;
}

/**
 * The rows endpoint found the current load's table missing: queue one load unless one newer than the
 * current is already there. Says whether a load is (now) on its way.
 */
export async function requeueMissingTable(db: Database, tenantId: string, resourceId: string): Promise<boolean> {
  return db.transaction(tenantId, async (tx) => {
    // Two visitors at once queue one load: the resource's row orders them.
    if (!(await tx.one('select 1 from catalogue_resources where tenant_id = app_tenant() and id = $1 for update', [resourceId]))) return false;
    const current = await tx.one<{ table_name: string; created_at: Date }>(
      'select table_name, created_at from catalogue_tabular_loads where tenant_id = app_tenant() and resource_id = $1 and current',
      [resourceId],
    );
    if (!current || (await tableExists(tx, current.table_name))) return false;
    const newer = await tx.one<{ state: string }>(
      `select state from catalogue_tabular_loads where tenant_id = app_tenant() and resource_id = $1 and not current and created_at >= $2
       order by created_at desc limit 1`,
      [resourceId, current.created_at],
    );
    if (newer) return newer.state === 'queued' || newer.state === 'loading';
    return (await queueNewest(tx, resourceId, 'missing_table')) !== null;
  });
}

/**
 * After a tenant import: every resource whose current load has no table, or whose newest load was queued
 * or under way when the archive was made (its job is not in the archive), gets one fresh load; those
 * stale queued or loading rows are marked failed. Gives the number of loads queued.
 */
export async function requeueImportedLoads(db: Database, tenantId: string): Promise<number> {
  return db.transaction(tenantId, async (tx) => {
    // A queued or running load whose job is not here (jobs do not travel in an archive) is stale; one whose
    // job is here was queued on this side (by this hook, should it run again) and will do.
    const loads = await tx.query<{ id: string; resource_id: string; state: string; current: boolean; table_name: string; has_job: boolean }>(
      `select l.id, l.resource_id, l.state, l.current, l.table_name, exists (
         select 1 from jobs j where j.tenant_id = app_tenant() and j.unique_key = $1 || l.id::text and j.state in ('queued', 'running')) as has_job
       from catalogue_tabular_loads l where l.tenant_id = app_tenant() and (l.current or l.state in ('queued', 'loading'))`,
      [`${LOAD_JOB}:`],
    );
    const underWay = new Set(loads.filter((l) => !l.current && l.has_job).map((l) => l.resource_id));
    const resources = new Set<string>();
    for (const l of loads) {
      if (l.current) {
        if (!(await tableExists(tx, l.table_name))) resources.add(l.resource_id);
      } else if (!l.has_job) {
        await tx.execute(`update catalogue_tabular_loads set state = 'failed', error = $2, finished_at = now() where tenant_id = app_tenant() and id = $1`, [
          l.id,
          'interrupted: not carried over by the tenant import',
        ]);
        resources.add(l.resource_id);
      }
    }
    for (const r of underWay) resources.delete(r);
    let queued = 0;
    for (const r of resources) if (await queueNewest(tx, r, 'tenant_import')) queued++;
    return queued;
  });
}

// Shortcuts of the tabular API's tests: run the queued load jobs of a collectivité, then their index jobs (as the runner would),
// a published dataset with one loaded CSV resource, reading a load's state.
import { postForm, type TestApp } from '../../helpers/app.ts';
import { INDEX_JOB, loadJobHandler, LOAD_JOB } from '../../../src/modules/catalogue/actions/load-version.ts';
import { indexJobHandler } from '../../../src/modules/catalogue/tabular/indexes.ts';
import { makeDataset, uploadFile, type Catalogue } from './datasets.ts';

/** Runs (and marks done) the queued `catalogue.tabular.load` jobs of a tenant, oldest first; gives how many ran. */
export async function runLoads(t: TestApp, tenantId: string): Promise<number> {
  const jobs = await t.db.ownerTransaction((tx) =>
    tx.query<{ id: number; payload: Record<string, unknown> }>(
      `update jobs set state = 'done' where kind = $1 and tenant_id = $2 and state = 'queued' returning id, payload`,
      [LOAD_JOB, tenantId],
    ),
  );
  const handler = loadJobHandler(t.deps);
  for (const job of jobs.sort((a, b) => a.id - b.id)) {
    await handler({ id: job.id, tenant_id: tenantId, kind: LOAD_JOB, payload: job.payload, attempts: 0, max_attempts: 3 });
  }
  // Then the typed indexes the finished loads queued (tabular/indexes.ts), as the runner would next.
  const indexJobs = await t.db.ownerTransaction((tx) =>
    tx.query<{ id: number; payload: Record<string, unknown> }>(
      `update jobs set state = 'done' where kind = $1 and tenant_id = $2 and state = 'queued' returning id, payload`,
      [INDEX_JOB, tenantId],
    ),
  );
  const indexer = indexJobHandler(t.deps);
  for (const job of indexJobs.sort((a, b) => a.id - b.id)) {
    await indexer({ id: job.id, tenant_id: tenantId, kind: INDEX_JOB, payload: job.payload, attempts: 0, max_attempts: 3 });
  }
  return jobs.length;
}

export interface LoadedResource {
  dataset: { id: string; slug: string; page: string };
  resourceId: string;
  /** /api/v1/<slug>/datasets/<dataset>/resources/<resource> */
  api: string;
}

/** A dataset (published unless told otherwise) whose one resource is this CSV, loaded. */
export async function loadedResource(
  t: TestApp,
  c: Catalogue,
  csv: string | Buffer,
  options: { publish?: boolean; title?: string; fields?: Record<string, string | string[]> } = {},
): Promise<LoadedResource> {
  const dataset = await makeDataset(t, c, { title: options.title ?? 'Subventions', ...options.fields });
  const up = await uploadFile(t, c.steward, dataset.page, { name: 'donnees.csv', body: csv }, { title: 'Données' });
  if (up.statusCode !== 303) throw new Error(`upload: ${up.statusCode} ${up.body.slice(0, 300)}`);
  if (options.publish !== false) {
    for (const [who, op] of [
      [c.steward, 'submit'],
      [c.admin, 'approve'],
    ] as const) {
      const res = await postForm(t, who, `${dataset.page}/etat`, { op });
      if (res.statusCode !== 303) throw new Error(`${op}: ${res.statusCode}`);
    }
  }
  await runLoads(t, c.tenant.id);
  const resourceId = (await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ id: string }>('select id from catalogue_resources where dataset_id = $1', [dataset.id]),
  ))!.id;
  return { dataset, resourceId, api: `/api/v1/${c.tenant.slug}/datasets/${dataset.slug}/resources/${resourceId}` };
}

export async function loadsOf(t: TestApp, tenantId: string, resourceId: string) {
  return t.db.transaction(tenantId, (tx) =>
    tx.query<{ id: string; state: string; current: boolean; rows_loaded: number; error: string | null; table_name: string }>(
      'select id, state, current, rows_loaded::float8 as rows_loaded, error, table_name from catalogue_tabular_loads where resource_id = $1 order by created_at',
      [resourceId],
    ),
  );
}

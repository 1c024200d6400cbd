// The catalogue's figures for another module's indicator (the roadmap's "datasets published and their
// quality"): what one collectivité's public catalogue shows, computed in its own transaction under
// row-level security.
//
//   catalogueMetrics(deps: Pick<AppDeps, 'db' | 'config'>, tenantId: string, now?: Date): Promise<CatalogueMetrics>
//   CatalogueMetrics = { published: number; meanQuality: number | null;
//                        publishedByMonth: Array<{ month: 'YYYY-MM'; count: number }> }
//
// - published: the datasets in the public catalogue now (state published).
// - meanQuality: the mean of their quality scores (0…1, udata's criteria: quality/score.ts, the same score
//   the dataset page shows), null when none is published.
// - publishedByMonth: those datasets by month of their latest publication (UTC), oldest first; a running
//   sum gives the number published at the end of each month.
import type { AppDeps } from '../../core/module.ts';
import type { DatasetRow, ResourceRow, VersionRow } from './catalogue.repository.ts';
import { datasetQuality } from './quality/load.ts';

export interface CatalogueMetrics {
  published: number;
  meanQuality: number | null;
  publishedByMonth: Array<{ month: string; count: number }>;
}

type Dataset = Pick<
  DatasetRow,
  'id' | 'description' | 'licence' | 'frequency' | 'temporal_start' | 'temporal_end' | 'spatial' | 'schema_name' | 'custom_schema'
> & { month: string };

export async function catalogueMetrics(deps: Pick<AppDeps, 'db' | 'config'>, tenantId: string, now = new Date()): Promise<CatalogueMetrics> {
  const { datasets, resources, versions } = await deps.db.transaction(tenantId, async (tx) => {
    const datasets = await tx.query<Dataset>(
      `select id, description, licence, frequency, spatial, to_char(temporal_start, 'YYYY-MM-DD') as temporal_start,
         to_char(temporal_end, 'YYYY-MM-DD') as temporal_end, schema_name, custom_schema,
         to_char(published_at at time zone 'UTC', 'YYYY-MM') as month
       from catalogue_datasets where tenant_id = app_tenant() and state = 'published' order by published_at, id`,
    );
    const ids = datasets.map((d) => d.id);
    const resources = ids.length
      ? await tx.query<ResourceRow>(
          `select id, dataset_id, title, description, created_at from catalogue_resources
           where tenant_id = app_tenant() and dataset_id = any($1::uuid[]) order by created_at, id`,
          [ids],
        )
      : [];
    // The newest version of each resource is all the score reads.
    const versions = resources.length
      ? await tx.query<VersionRow>(
          `select distinct on (resource_id) id, resource_id, version, sha256, size::float8 as size, content_type, filename, format,
             uploaded_by, uploaded_at, validation_state, valid, error_count, warning_count, validated_at
           from catalogue_resource_versions where tenant_id = app_tenant() and resource_id = any($1::uuid[])
           order by resource_id, version desc`,
          [resources.map((r) => r.id)],
        )
      : [];
    return { datasets, resources, versions };
  });
  if (datasets.length === 0) return { published: 0, meanQuality: null, publishedByMonth: [] };

  let sum = 0;
  for (const d of datasets) {
    const own = resources.filter((r) => r.dataset_id === d.id).map((r) => ({ ...r, versions: versions.filter((v) => v.resource_id === r.id) }));
    sum += (await datasetQuality(deps, tenantId, d, own, now)).score;
  }
  const byMonth = new Map<string, number>();
  for (const d of datasets) byMonth.set(d.month, (byMonth.get(d.month) ?? 0) + 1);
  return {
    published: datasets.length,
    meanQuality: sum / datasets.length,
    publishedByMonth: [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count })),
  };
}

// The quality of one dataset from what the pages already read (its row, its resources and their versions),
// plus one look at the blob store per resource: a file is available when the store holds its bytes.
import { openBlob } from '../../../core/files/send.ts';
import type { FileDeps } from '../../../core/files/upload.ts';
import type { DatasetRow, ResourceRow, VersionRow } from '../catalogue.repository.ts';
import { qualityOf, type Quality } from './score.ts';

type Dataset = Pick<DatasetRow, 'description' | 'licence' | 'frequency' | 'temporal_start' | 'temporal_end' | 'spatial' | 'schema_name' | 'custom_schema'>;

/** Whether the store holds these bytes (opened, then closed at once: nothing is read). */
export async function blobAvailable(deps: FileDeps, tenantId: string, sha256: string): Promise<boolean> {
  try {
    const found = await openBlob(deps, tenantId, sha256);
    found?.stream.destroy();
    return found !== null;
  } catch {
    return false;
  }
}

export async function datasetQuality(
  deps: FileDeps,
  tenantId: string,
  d: Dataset,
  resources: Array<Pick<ResourceRow, 'title' | 'description'> & { versions: VersionRow[] }>,
  now = new Date(),
): Promise<Quality> {
  const input = await Promise.all(
    resources.map(async (r) => {
      const v = r.versions[0];
      return {
        title: r.title,
        description: r.description,
        latest: v
          ? {
              format: v.format,
              uploaded_at: v.uploaded_at,
              available: await blobAvailable(deps, tenantId, v.sha256),
              validation_state: v.validation_state,
              valid: v.valid,
            }
          : null,
      };
    }),
  );
  const dataset = {
    description: d.description,
    licence: d.licence,
    frequency: d.frequency,
    temporal_start: d.temporal_start,
    temporal_end: d.temporal_end,
    spatial: d.spatial,
    hasSchema: d.schema_name !== null || (d.custom_schema !== null && d.custom_schema !== undefined),
  };
  return qualityOf(dataset, input, now);
}

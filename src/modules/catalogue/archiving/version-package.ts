// A dataset version as the archives file it (issue 13): the version's blob and the dataset's DCAT
// metadata. The archives module imports this through the catalogue's index.ts (catalogue never imports
// the archives: no cycle) and ingests it; nothing here writes.
import type { Tx } from '../../../core/db/database.ts';

export interface DatasetVersionPackage {
  versionId: string;
  version: number;
  /** The version's bytes: a blob of the transaction's collectivité, with what the catalogue recorded. */
  blob: { sha256: string; size: number; filename: string; contentType: string };
  uploadedAt: Date;
  resource: { id: string; title: string; description: string };
  /** DCAT (DCAT-AP) properties of the dataset, as the catalogue publishes them. */
  dataset: {
    id: string;
    slug: string;
    title: string;
    description: string;
    keywords: string[];
    themes: string[];
    licence: string;
    frequency: string | null;
    spatial: string[];
    temporalStart: string | null;
    temporalEnd: string | null;
    publisher: string;
    contactPoint: string;
    personalData: boolean;
    state: string;
  };
  tenantName: string;
}

const isoDay = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** The version of the transaction's collectivité with its dataset's metadata; null when unknown here. */
export async function datasetVersionPackage(tx: Tx, versionId: string): Promise<DatasetVersionPackage | null> {
  const row = await tx.one<{
    version_id: string;
    version: number;
    sha256: string;
    size: string;
    filename: string;
    content_type: string;
    uploaded_at: Date;
    resource_id: string;
    resource_title: string;
    resource_description: string;
    id: string;
    slug: string;
    title: string;
    description: string;
    keywords: string[];
    themes: string[];
    licence: string;
    frequency: string | null;
    spatial: string[];
    temporal_start: Date | null;
    temporal_end: Date | null;
    publisher: string;
    contact_point: string;
    personal_data: boolean;
    state: string;
    tenant_name: string;
  }>(
    `select v.id as version_id, v.version, v.sha256, v.size::text as size, v.filename, v.content_type, v.uploaded_at,
            r.id as resource_id, r.title as resource_title, r.description as resource_description,
            d.id, d.slug, d.title, d.description, d.keywords, d.themes, d.licence, d.frequency, d.spatial, d.temporal_start, d.temporal_end,
            d.publisher, d.contact_point, d.personal_data, d.state, t.name as tenant_name
     from catalogue_resource_versions v
     join catalogue_resources r on r.tenant_id = v.tenant_id and r.id = v.resource_id
     join catalogue_datasets d on d.tenant_id = r.tenant_id and d.id = r.dataset_id
     join tenants t on t.id = d.tenant_id
     where v.tenant_id = app_tenant() and v.id = $1`,
    [versionId],
  );
  if (!row) return null;
  return {
    versionId: row.version_id,
    version: row.version,
    blob: { sha256: row.sha256, size: Number(row.size), filename: row.filename, contentType: row.content_type },
    uploadedAt: new Date(row.uploaded_at),
    resource: { id: row.resource_id, title: row.resource_title, description: row.resource_description },
    dataset: {
      id: row.id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      keywords: row.keywords ?? [],
      themes: row.themes ?? [],
      licence: row.licence,
      frequency: row.frequency,
      spatial: row.spatial ?? [],
      temporalStart: isoDay(row.temporal_start),
      temporalEnd: isoDay(row.temporal_end),
      publisher: row.publisher,
      contactPoint: row.contact_point,
      personalData: row.personal_data,
      state: row.state,
    },
    tenantName: row.tenant_name,
  };
}

// A dataset version as the archives file it (issue 13): the version's blob and the dataset's DCAT
// metadata. The archives module imports this through the catalogue's index.ts (catalogue never imports
// the archives: no cycle) and ingests it; nothing here writes.
// The dataset's part is read with the repository's own column list (DATASET_COLUMNS, as DatasetRow) and
// its fields are named once, in DCAT_FIELDS: the type and the copy both derive from that list.
import type { Tx } from '../../../core/db/database.ts';
import { DATASET_COLUMNS, DATASET_FROM, type DatasetRow } from '../catalogue.repository.ts';

/** The dataset's fields the archives carry (DCAT-AP properties, as the catalogue publishes them). */
const DCAT_FIELDS = [
  'id',
  'slug',
  'title',
  'description',
  'keywords',
  'themes',
  'licence',
  'frequency',
  'spatial',
  'temporal_start',
  'temporal_end',
  'publisher',
  'contact_point',
  'personal_data',
  'state',
] as const satisfies ReadonlyArray<keyof DatasetRow>;

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
const camel = <S extends string>(s: S) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as Camel<S>;

type DcatField = (typeof DCAT_FIELDS)[number];
/** DatasetRow's DCAT fields, camel-cased (temporal_start → temporalStart; dates as YYYY-MM-DD). */
export type DcatDataset = { [K in DcatField as Camel<K>]: DatasetRow[K] };

export interface DatasetVersionPackage {
  versionId: string;
  version: number;
  /** The version's bytes: a blob of the transaction's collectivité, with what the catalogue recorded. */
  blob: { sha256: string; size: number; filename: string; contentType: string };
  uploadedAt: Date;
  resource: { id: string; title: string; description: string };
  /** DCAT (DCAT-AP) properties of the dataset, as the catalogue publishes them. */
  dataset: DcatDataset;
  tenantName: string;
}

interface VersionPart {
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
  tenant_name: string;
}

/** The version of the transaction's collectivité with its dataset's metadata; null when unknown here. */
export async function datasetVersionPackage(tx: Tx, versionId: string): Promise<DatasetVersionPackage | null> {
  const row = await tx.one<DatasetRow & VersionPart>(
    `select ${DATASET_COLUMNS}, v.id as version_id, v.version, v.sha256, v.size::text as size, v.filename, v.content_type, v.uploaded_at,
            r.id as resource_id, r.title as resource_title, r.description as resource_description, t.name as tenant_name
     from catalogue_resource_versions v
     join catalogue_resources r on r.tenant_id = v.tenant_id and r.id = v.resource_id
     join (${DATASET_FROM}) on d.tenant_id = r.tenant_id and d.id = r.dataset_id
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
    dataset: Object.fromEntries(DCAT_FIELDS.map((k) => [camel(k), row[k]])) as DcatDataset,
    tenantName: row.tenant_name,
  };
}

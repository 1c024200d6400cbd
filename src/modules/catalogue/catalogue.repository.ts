// SQL of the catalogue: datasets, resources and their versions. Every query runs in a tenant transaction
// (row-level security) and names app_tenant() as well, so an index on (tenant_id, …) serves it.
import type { Tx } from '../../core/db/database.ts';
import type { ValidationReport } from './validation/index.ts';
import type { DatasetState } from './catalogue.policy.ts';

export interface DatasetRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  keywords: string[];
  themes: string[];
  licence: string;
  frequency: string | null;
  spatial: string[];
  temporal_start: string | null;
  temporal_end: string | null;
  publisher: string;
  contact_point: string;
  steward_person_id: string | null;
  steward_name: string | null;
  personal_data: boolean;
  personal_data_decision: string | null;
  schema_name: string | null;
  custom_schema: unknown;
  state: DatasetState;
  review_comment: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

export interface DatasetFields {
  title: string;
  description: string;
  keywords: string[];
  themes: string[];
  licence: string;
  frequency: string | null;
  spatial: string[];
  temporal_start: string | null;
  temporal_end: string | null;
  publisher: string;
  contact_point: string;
  personal_data: boolean;
  schema_name: string | null;
  custom_schema: unknown;
}

/** A dataset row's columns (what DatasetRow holds), from DATASET_FROM: one list for every query that reads datasets. */
export const DATASET_COLUMNS = `d.id, d.slug, d.title, d.description, d.keywords, d.themes, d.licence, d.frequency, d.spatial,
  to_char(d.temporal_start, 'YYYY-MM-DD') as temporal_start, to_char(d.temporal_end, 'YYYY-MM-DD') as temporal_end,
  d.publisher, d.contact_point, d.steward_person_id, p.display_name as steward_name, d.personal_data, d.personal_data_decision,
  d.schema_name, d.custom_schema, d.state, d.review_comment, d.created_at, d.updated_at, d.published_at`;
export const DATASET_FROM = `catalogue_datasets d left join people p on p.id = d.steward_person_id`;

/** The editable fields in the column order of insertDataset and updateDatasetFields ($2…$15). */
function fieldValues(f: DatasetFields): unknown[] {
  return [
    f.title,
    f.description,
    f.keywords,
    f.themes,
    f.licence,
    f.frequency,
    f.spatial,
    f.temporal_start,
    f.temporal_end,
    f.publisher,
    f.contact_point,
    f.personal_data,
    f.schema_name,
    f.custom_schema === null ? null : JSON.stringify(f.custom_schema),
  ];
}

export async function insertDataset(tx: Tx, slug: string, f: DatasetFields, stewardId: string | null): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into catalogue_datasets (tenant_id, slug, title, description, keywords, themes, licence, frequency, spatial, temporal_start,
       temporal_end, publisher, contact_point, personal_data, schema_name, custom_schema, steward_person_id)
     values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
    [slug, ...fieldValues(f), stewardId],
  );
  return row!.id;
}

export async function updateDatasetFields(tx: Tx, id: string, f: DatasetFields): Promise<void> {
  await tx.execute(
    `update catalogue_datasets set title = $2, description = $3, keywords = $4, themes = $5, licence = $6, frequency = $7, spatial = $8,
       temporal_start = $9, temporal_end = $10, publisher = $11, contact_point = $12, personal_data = $13, schema_name = $14,
       custom_schema = $15, updated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [id, ...fieldValues(f)],
  );
}

/** Locks the row (the governance actions read the state, then change it, in one transaction). */
export async function findDataset(tx: Tx, id: string, forUpdate = false): Promise<DatasetRow | null> {
  return tx.one<DatasetRow>(
    `select ${DATASET_COLUMNS} from ${DATASET_FROM} where d.tenant_id = app_tenant() and d.id = $1${forUpdate ? ' for update of d' : ''}`,
    [id],
  );
}

export async function findDatasetBySlug(tx: Tx, slug: string): Promise<DatasetRow | null> {
  return tx.one<DatasetRow>(`select ${DATASET_COLUMNS} from ${DATASET_FROM} where d.tenant_id = app_tenant() and d.slug = $1`, [slug]);
}

export async function slugTaken(tx: Tx, slug: string): Promise<boolean> {
  return !!(await tx.one('select 1 from catalogue_datasets where tenant_id = app_tenant() and slug = $1', [slug]));
}

export async function setDatasetState(
  tx: Tx,
  id: string,
  state: DatasetState,
  extra: { reviewComment?: string | null; decision?: string | null } = {},
): Promise<void> {
  await tx.execute(
    `update catalogue_datasets set state = $2, updated_at = now(),
       review_comment = case when $3::boolean then $4 else review_comment end,
       personal_data_decision = coalesce($5, personal_data_decision),
       published_at = case when $2 = 'published' then now() else published_at end
     where tenant_id = app_tenant() and id = $1`,
    [id, state, extra.reviewComment !== undefined, extra.reviewComment ?? null, extra.decision ?? null],
  );
}

export interface DatasetFilters {
  states?: DatasetState[];
  q?: string;
  theme?: string;
  keyword?: string;
  licence?: string;
  schema?: string;
  limit: number;
  offset: number;
}

/** Datasets matching the filters, most recently changed first, and how many match in all. */
export async function listDatasets(tx: Tx, f: DatasetFilters): Promise<{ rows: DatasetRow[]; total: number }> {
  const params: unknown[] = [];
  const where = ['d.tenant_id = app_tenant()'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.states) add((n) => `d.state = any(${n}::text[])`, f.states);
  if (f.theme) add((n) => `${n} = any(d.themes)`, f.theme);
  if (f.keyword) add((n) => `${n} = any(d.keywords)`, f.keyword);
  if (f.licence) add((n) => `d.licence = ${n}`, f.licence);
  if (f.schema) add((n) => `d.schema_name = ${n}`, f.schema);
  let order = 'd.updated_at desc, d.id';
  if (f.q) {
    // French full-text search over title, keywords and description (stemmed: « subvention » finds « subventions »).
    params.push(f.q);
    const q = `websearch_to_tsquery('french', $${params.length})`;
    const doc = `(setweight(to_tsvector('french', d.title), 'A') || setweight(to_tsvector('french', array_to_string(d.keywords, ' ')), 'B') || setweight(to_tsvector('french', d.description), 'C'))`;
    where.push(`${doc} @@ ${q}`);
    order = `ts_rank(${doc}, ${q}) desc, ${order}`;
  }
  const total = (await tx.one<{ n: number }>(`select count(*)::int as n from catalogue_datasets d where ${where.join(' and ')}`, params))!.n;
  params.push(f.limit, f.offset);
  const rows = await tx.query<DatasetRow>(
    `select ${DATASET_COLUMNS} from ${DATASET_FROM} where ${where.join(' and ')} order by ${order} limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return { rows, total };
}

/** Keywords and schemas used by the datasets in these states, for the catalogue's filters. */
export async function facetValues(tx: Tx, states: DatasetState[]): Promise<{ keywords: string[]; schemas: string[] }> {
  const keywords = await tx.query<{ k: string }>(
    `select distinct unnest(keywords) as k from catalogue_datasets where tenant_id = app_tenant() and state = any($1::text[]) order by 1 limit 200`,
    [states],
  );
  const schemas = await tx.query<{ s: string }>(
    `select distinct schema_name as s from catalogue_datasets where tenant_id = app_tenant() and state = any($1::text[]) and schema_name is not null order by 1`,
    [states],
  );
  return { keywords: keywords.map((r) => r.k), schemas: schemas.map((r) => r.s) };
}

export interface ResourceRow {
  id: string;
  dataset_id: string;
  title: string;
  description: string;
  created_at: Date;
}

export interface VersionRow {
  id: string;
  resource_id: string;
  version: number;
  sha256: string;
  size: number;
  content_type: string;
  filename: string;
  format: string;
  uploaded_by: string;
  uploaded_at: Date;
  validation_state: 'none' | 'pending' | 'done' | 'failed';
  valid: boolean | null;
  error_count: number | null;
  warning_count: number | null;
  validated_at: Date | null;
}

const VERSION_COLUMNS = `id, resource_id, version, sha256, size::float8 as size, content_type, filename, format, uploaded_by, uploaded_at,
  validation_state, valid, error_count, warning_count, validated_at`;

export async function insertResource(tx: Tx, datasetId: string, title: string, description: string): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into catalogue_resources (tenant_id, dataset_id, title, description) values (app_tenant(), $1, $2, $3) returning id`,
    [datasetId, title, description],
  );
  return row!.id;
}

export async function findResource(tx: Tx, datasetId: string, id: string): Promise<ResourceRow | null> {
  return tx.one<ResourceRow>(
    `select id, dataset_id, title, description, created_at from catalogue_resources where tenant_id = app_tenant() and dataset_id = $1 and id = $2`,
    [datasetId, id],
  );
}

export async function listResources(tx: Tx, datasetId: string): Promise<Array<ResourceRow & { versions: VersionRow[] }>> {
  const resources = await tx.query<ResourceRow>(
    `select id, dataset_id, title, description, created_at from catalogue_resources where tenant_id = app_tenant() and dataset_id = $1 order by created_at, id`,
    [datasetId],
  );
  if (resources.length === 0) return [];
  const versions = await tx.query<VersionRow>(
    `select ${VERSION_COLUMNS} from catalogue_resource_versions where tenant_id = app_tenant() and resource_id = any($1::uuid[]) order by version desc`,
    [resources.map((r) => r.id)],
  );
  return resources.map((r) => ({ ...r, versions: versions.filter((v) => v.resource_id === r.id) }));
}

export async function insertVersion(
  tx: Tx,
  resourceId: string,
  v: { sha256: string; size: number; contentType: string; filename: string; format: string; uploadedBy: string; validationState: 'none' | 'pending' },
): Promise<{ id: string; version: number }> {
  // The row lock on the resource orders concurrent uploads: version numbers never collide.
  await tx.one('select 1 from catalogue_resources where tenant_id = app_tenant() and id = $1 for update', [resourceId]);
  const row = await tx.one<{ id: string; version: number }>(
    `insert into catalogue_resource_versions (tenant_id, resource_id, version, sha256, size, content_type, filename, format, uploaded_by, validation_state)
     values (app_tenant(), $1, (select coalesce(max(version), 0) + 1 from catalogue_resource_versions where tenant_id = app_tenant() and resource_id = $1),
       $2, $3, $4, $5, $6, $7, $8) returning id, version`,
    [resourceId, v.sha256, v.size, v.contentType, v.filename, v.format, v.uploadedBy, v.validationState],
  );
  return row!;
}

export async function findVersion(tx: Tx, resourceId: string, version: number): Promise<VersionRow | null> {
  return tx.one<VersionRow>(`select ${VERSION_COLUMNS} from catalogue_resource_versions where tenant_id = app_tenant() and resource_id = $1 and version = $2`, [
    resourceId,
    version,
  ]);
}

export async function findVersionById(tx: Tx, id: string): Promise<VersionRow | null> {
  return tx.one<VersionRow>(`select ${VERSION_COLUMNS} from catalogue_resource_versions where tenant_id = app_tenant() and id = $1`, [id]);
}

export async function versionReport(tx: Tx, id: string): Promise<ValidationReport | null> {
  return (
    (await tx.one<{ report: ValidationReport | null }>(`select report from catalogue_resource_versions where tenant_id = app_tenant() and id = $1`, [id]))
      ?.report ?? null
  );
}

/** Version `n` of a resource of the dataset, with its validation report; null when either is not there. */
export async function findDatasetVersion(
  tx: Tx,
  datasetId: string,
  resourceId: string,
  n: number,
): Promise<{ resource: ResourceRow; v: VersionRow; report: ValidationReport | null } | null> {
  const resource = await findResource(tx, datasetId, resourceId);
  const v = resource ? await findVersion(tx, resourceId, n) : null;
  return resource && v ? { resource, v, report: await versionReport(tx, v.id) } : null;
}

export async function recordValidation(tx: Tx, id: string, result: { state: 'done' | 'failed'; report: ValidationReport | null }): Promise<void> {
  const r = result.report;
  await tx.execute(
    `update catalogue_resource_versions set validation_state = $2, valid = $3, error_count = $4, warning_count = $5, report = $6, validated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [id, result.state, r ? r.valid : null, r ? r.stats.errorCount : null, r ? r.stats.warningCount : null, r ? JSON.stringify(r) : null],
  );
}

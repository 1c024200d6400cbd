// SQL of the publishing side: published datasets only (the one predicate `state = 'published'` is here and
// nowhere else in publishing/), in a tenant transaction (row-level security), in a stable order (the id is
// a UUIDv7: creation order) so that a page is the same page from one request to the next.
import type { Tx } from '../../../core/db/database.ts';
import type { FeedDataset, FeedResource } from './dcat.ts';

export interface PublishedFilter {
  /** French full-text search (websearch syntax, as the public catalogue). */
  q?: string;
  keyword?: string;
}

function whereOf(f: PublishedFilter, params: unknown[]): string {
  const where = [`d.tenant_id = app_tenant()`, `d.state = 'published'`];
  if (f.keyword) {
    params.push(f.keyword);
    where.push(`$${params.length} = any(d.keywords)`);
  }
  if (f.q) {
    params.push(f.q);
    where.push(`(setweight(to_tsvector('french', d.title), 'A') || setweight(to_tsvector('french', array_to_string(d.keywords, ' ')), 'B')
      || setweight(to_tsvector('french', d.description), 'C')) @@ websearch_to_tsquery('french', $${params.length})`);
  }
  return where.join(' and ');
}

export async function countPublished(tx: Tx, f: PublishedFilter = {}): Promise<number> {
  const params: unknown[] = [];
  return (await tx.one<{ n: number }>(`select count(*)::int as n from catalogue_datasets d where ${whereOf(f, params)}`, params))!.n;
}

/**
 * Published datasets `offset`…`offset + limit` (or the `limit` after the dataset `after`: keyset, for the
 * next chunk of a page), with their resources and each one's newest version. The window is chosen on ids
 * alone, then only its datasets are built: OFFSET would otherwise build every skipped dataset too.
 */
export async function listPublished(tx: Tx, limit: number, offset: number, f: PublishedFilter = {}, after?: string): Promise<FeedDataset[]> {
  const params: unknown[] = [];
  let where = whereOf(f, params);
  if (after) {
    params.push(after);
    where += ` and d.id > $${params.length}::uuid`;
  }
  params.push(limit, after ? 0 : offset);
  return publishedAsJson(
    tx,
    `d.tenant_id = app_tenant() and d.id in (select d.id from catalogue_datasets d where ${where} order by d.id limit $${params.length - 1} offset $${params.length})`,
    params,
  );
}

export async function findPublished(tx: Tx, by: { id?: string; slug?: string }): Promise<FeedDataset | null> {
  const rows = await publishedAsJson(tx, `d.tenant_id = app_tenant() and d.state = 'published' and ${by.id ? 'd.id = $1::uuid' : 'd.slug = $1'}`, [
    by.id ?? by.slug,
  ]);
  return rows[0] ?? null;
}
/** The schema of a published dataset (served so that its dct:conformsTo points at something real). */
export async function publishedSchema(tx: Tx, slug: string): Promise<{ schema_name: string | null; custom_schema: unknown } | null> {
  return tx.one<{ schema_name: string | null; custom_schema: unknown }>(
    `select schema_name, custom_schema from catalogue_datasets where tenant_id = app_tenant() and state = 'published' and slug = $1`,
    [slug],
  );
}

// The datasets with their resources and each resource's newest version, as one JSON value built by the
// database: one row to decode instead of one per dataset and one per resource, each column parsed in turn.
// With the embedded engine that decoding was most of a feed page's time (bench/dcat.ts, docs/performance.md).
const DATASET_JSON = `json_build_object(
    'id', d.id, 'slug', d.slug, 'title', d.title, 'description', d.description, 'keywords', d.keywords, 'themes', d.themes,
    'licence', d.licence, 'frequency', d.frequency, 'spatial', d.spatial,
    'temporal_start', to_char(d.temporal_start, 'YYYY-MM-DD'), 'temporal_end', to_char(d.temporal_end, 'YYYY-MM-DD'),
    'publisher', d.publisher, 'contact_point', d.contact_point, 'schema_name', d.schema_name, 'has_custom_schema', d.custom_schema is not null,
    'published_at', d.published_at, 'created_at', d.created_at, 'updated_at', d.updated_at,
    'resources', (select coalesce(json_agg(json_build_object(
        'id', r.id, 'title', r.title, 'description', r.description, 'created_at', r.created_at,
        'latest', (select json_build_object('version', v.version, 'sha256', v.sha256, 'size', v.size, 'content_type', v.content_type,
                     'filename', v.filename, 'format', v.format, 'uploaded_at', v.uploaded_at)
                   from catalogue_resource_versions v where v.tenant_id = r.tenant_id and v.resource_id = r.id order by v.version desc limit 1)
      ) order by r.created_at, r.id), '[]'::json)
      from catalogue_resources r where r.tenant_id = d.tenant_id and r.dataset_id = d.id))`;

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
type JsonDataset = Json<Omit<FeedDataset, 'resources'>> & {
  resources: Array<Json<Omit<FeedResource, 'latest'>> & { latest: Json<NonNullable<FeedResource['latest']>> | null }>;
};

async function publishedAsJson(tx: Tx, whereAndOrder: string, params: unknown[]): Promise<FeedDataset[]> {
  const row = await tx.one<{ rows: JsonDataset[] | string }>(
    `select coalesce(json_agg(x.j order by x.k), '[]'::json) as rows
     -- In the feed's stable order, by id.
     from (select ${DATASET_JSON} as j, d.id as k from catalogue_datasets d where ${whereAndOrder}) x`,
    params,
  );
  const rows: JsonDataset[] = typeof row!.rows === 'string' ? (JSON.parse(row!.rows) as JsonDataset[]) : row!.rows;
  const date = (v: string) => new Date(v);
  return rows.map((d) => ({
    ...d,
    published_at: d.published_at === null ? null : date(d.published_at),
    created_at: date(d.created_at),
    updated_at: date(d.updated_at),
    resources: d.resources.map((r) => ({
      ...r,
      created_at: date(r.created_at),
      latest: r.latest === null ? null : { ...r.latest, size: Number(r.latest.size), uploaded_at: date(r.latest.uploaded_at) },
    })),
  }));
}

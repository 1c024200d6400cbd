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

/** Published datasets `offset`…`offset + limit`, with their resources and each one's newest version. */
export async function listPublished(tx: Tx, limit: number, offset: number, f: PublishedFilter = {}): Promise<FeedDataset[]> {
  const params: unknown[] = [];
  const where = whereOf(f, params);
  params.push(limit, offset);
  const rows = await tx.query<Omit<FeedDataset, 'resources'>>(
    `select d.id, d.slug, d.title, d.description, d.keywords, d.themes, d.licence, d.frequency, d.spatial,
       to_char(d.temporal_start, 'YYYY-MM-DD') as temporal_start, to_char(d.temporal_end, 'YYYY-MM-DD') as temporal_end,
       d.publisher, d.contact_point, d.schema_name, d.custom_schema is not null as has_custom_schema, d.published_at, d.created_at, d.updated_at
     from catalogue_datasets d where ${where} order by d.id limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return attachResources(tx, rows);
}

export async function findPublished(tx: Tx, by: { id?: string; slug?: string }): Promise<FeedDataset | null> {
  const rows = await tx.query<Omit<FeedDataset, 'resources'>>(
    `select d.id, d.slug, d.title, d.description, d.keywords, d.themes, d.licence, d.frequency, d.spatial,
       to_char(d.temporal_start, 'YYYY-MM-DD') as temporal_start, to_char(d.temporal_end, 'YYYY-MM-DD') as temporal_end,
       d.publisher, d.contact_point, d.schema_name, d.custom_schema is not null as has_custom_schema, d.published_at, d.created_at, d.updated_at
     from catalogue_datasets d where d.tenant_id = app_tenant() and d.state = 'published' and ${by.id ? 'd.id = $1::uuid' : 'd.slug = $1'}`,
    [by.id ?? by.slug],
  );
  return (await attachResources(tx, rows))[0] ?? null;
}

/** The schema of a published dataset (served so that its dct:conformsTo points at something real). */
export async function publishedSchema(tx: Tx, slug: string): Promise<{ schema_name: string | null; custom_schema: unknown } | null> {
  return tx.one<{ schema_name: string | null; custom_schema: unknown }>(
    `select schema_name, custom_schema from catalogue_datasets where tenant_id = app_tenant() and state = 'published' and slug = $1`,
    [slug],
  );
}

async function attachResources(tx: Tx, rows: Array<Omit<FeedDataset, 'resources'>>): Promise<FeedDataset[]> {
  if (rows.length === 0) return [];
  const resources = await tx.query<
    Omit<FeedResource, 'latest'> & {
      dataset_id: string;
      version: number | null;
      sha256: string;
      size: number;
      content_type: string;
      filename: string;
      format: string;
      uploaded_at: Date;
    }
  >(
    `select r.id, r.dataset_id, r.title, r.description, r.created_at, v.version, v.sha256, v.size::float8 as size, v.content_type, v.filename, v.format, v.uploaded_at
     from catalogue_resources r
     left join lateral (select * from catalogue_resource_versions v where v.tenant_id = r.tenant_id and v.resource_id = r.id order by v.version desc limit 1) v on true
     where r.tenant_id = app_tenant() and r.dataset_id = any($1::uuid[]) order by r.created_at, r.id`,
    [rows.map((d) => d.id)],
  );
  return rows.map((d) => ({
    ...d,
    resources: resources
      .filter((r) => r.dataset_id === d.id)
      .map((r) => ({
        id: r.id,
        title: r.title,
        description: r.description,
        created_at: r.created_at,
        latest:
          r.version === null
            ? null
            : {
                version: r.version,
                sha256: r.sha256,
                size: r.size,
                content_type: r.content_type,
                filename: r.filename,
                format: r.format,
                uploaded_at: r.uploaded_at,
              },
      })),
  }));
}

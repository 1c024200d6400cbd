// Reading published datasets of one collectivité or of the whole installation, a window at a time.
//
// The whole-installation feed and the CKAN API list datasets across tenants. They do NOT run as the schema
// owner (ownerTransaction), which row-level security does not restrict: there, one forgotten predicate
// would silently mix tenants or leak a row. Instead they iterate tenants, and read each one's datasets in a
// transaction scoped to that tenant as the application role, under row-level security, exactly as the
// tenant's own feed does. The cost is one count per tenant per request (small: tenants are collectivités,
// not users) and it keeps a single code path for "what a tenant publishes". The one exception is the
// unfiltered counts, read for all tenants at once by catalogue_published_counts (migration 0510): a page of
// the installation feed no longer opens one transaction per collectivité just to count.
import type { Database } from '../../../core/db/database.ts';
import type { FeedDataset, FeedTenant } from './dcat.ts';
import { countPublished, listPublished, type PublishedFilter } from './feed.repository.ts';

export interface TenantRef extends FeedTenant {
  id: string;
}

/**
 * A chunk is read in one transaction; a page is streamed chunk by chunk, never held whole. 100: a page of
 * the default size is one read (each transaction costs a few round trips with the embedded engine).
 */
export const CHUNK = 100;

/** Every tenant, in a stable order (by slug), or the one whose slug is given. */
export async function tenantsOf(db: Database, slug?: string): Promise<TenantRef[]> {
  return db.transaction(null, (tx) =>
    slug
      ? tx.query<TenantRef>('select id, slug, name from tenants where slug = $1', [slug])
      : tx.query<TenantRef>('select id, slug, name from tenants order by slug'),
  );
}

export interface Counted {
  tenant: TenantRef;
  count: number;
}

export async function countEach(db: Database, tenants: TenantRef[], f: PublishedFilter = {}): Promise<Counted[]> {
  // Unfiltered (the feeds, package_list, organization_list): every count in one statement, from the one
  // function that may count across collectivités (migration 0510: published datasets only, a public figure).
  if (!f.q && !f.keyword && tenants.length > 1) {
    const counts = await db.transaction(null, (tx) =>
      tx.query<{ tenant_id: string; published: number }>('select tenant_id, published from catalogue_published_counts($1::uuid[])', [tenants.map((t) => t.id)]),
    );
    const by = new Map(counts.map((c) => [c.tenant_id, c.published]));
    return tenants.map((tenant) => ({ tenant, count: by.get(tenant.id) ?? 0 }));
  }
  const out: Counted[] = [];
  for (const tenant of tenants) out.push({ tenant, count: await db.transaction(tenant.id, (tx) => countPublished(tx, f)) });
  return out;
}

/**
 * The datasets `offset`…`offset + limit` of the concatenation of the tenants' published datasets (each
 * tenant's in id order), yielded a chunk at a time with their tenant.
 */
export async function* windowOf(
  db: Database,
  counted: Counted[],
  offset: number,
  limit: number,
  f: PublishedFilter = {},
): AsyncGenerator<{ tenant: TenantRef; datasets: FeedDataset[] }> {
  let skip = offset;
  let left = limit;
  for (const { tenant, count } of counted) {
    if (left <= 0) return;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    let at = skip;
    skip = 0;
    // The first chunk of a tenant starts at an offset; the next ones after the last id read (keyset).
    let after: string | undefined;
    while (left > 0 && at < count) {
      const n = Math.min(CHUNK, left, count - at);
      const datasets = await db.transaction(tenant.id, (tx) => listPublished(tx, n, at, f, after));
      if (datasets.length === 0) break;
      yield { tenant, datasets };
      at += datasets.length;
      left -= datasets.length;
      after = datasets.at(-1)!.id;
    }
  }
}

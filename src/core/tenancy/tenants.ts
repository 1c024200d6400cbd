// Tenants (collectivités) are global rows: readable by the application role, written by the owner
// (CLI, host operator actions) only.
import type { Database, Tx } from '../db/database.ts';

export type TenantKind = 'commune' | 'epci' | 'departement' | 'region' | 'syndicate' | 'network';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  kind: TenantKind;
  official_code: string | null;
  epci_type: string | null;
  host_tenant_id: string | null;
  settings: Record<string, unknown>;
  created_at: Date;
}

const COLUMNS = 'id, slug, name, kind, official_code, epci_type, host_tenant_id, settings, created_at';

export async function findTenantBySlug(tx: Tx, slug: string): Promise<Tenant | null> {
  return tx.one<Tenant>(`select ${COLUMNS} from tenants where slug = $1`, [slug]);
}

export async function findTenantById(tx: Tx, id: string): Promise<Tenant | null> {
  return tx.one<Tenant>(`select ${COLUMNS} from tenants where id = $1`, [id]);
}

export async function listTenants(tx: Tx): Promise<Tenant[]> {
  return tx.query<Tenant>(`select ${COLUMNS} from tenants order by name`);
}

/** Tenants that this one hosts: its member communes (member_of) and those hosted_by it. */
export async function listHostedTenants(tx: Tx, hostId: string): Promise<Tenant[]> {
  return tx.query<Tenant>(
    `select ${COLUMNS} from tenants t
     where t.host_tenant_id = $1
        or exists (select 1 from tenant_relations r where r.tenant_id = t.id and r.related_tenant_id = $1 and r.kind in ('member_of', 'hosted_by'))
     order by t.name`,
    [hostId],
  );
}

/** Tenants that may administer this one: its host and the EPCI it is a member of. */
export async function listHostsOf(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `select host_tenant_id as id from tenants where id = $1 and host_tenant_id is not null
     union select related_tenant_id from tenant_relations where tenant_id = $1 and kind in ('member_of', 'hosted_by')`,
    [tenantId],
  );
  return rows.map((r) => r.id);
}

/**
 * A per-process cache of slug → tenant: tenants change rarely and every request resolves one. Slugs come
 * from request paths, so the cache is bounded: a tenant found is kept (there are as many as the host
 * created), an unknown slug only in a small table of the most recent ones (`maxUnknown`), so a flood of
 * made-up slugs costs a look-up each, never memory.
 */
export class TenantCache {
  private bySlug = new Map<string, { tenant: Tenant; at: number }>();
  private unknown = new Map<string, number>();
  private db: Database;
  private ttlMs: number;
  readonly maxUnknown: number;
  readonly maxKnown: number;
  constructor(db: Database, ttlMs = 5000, options: { maxUnknown?: number; maxKnown?: number } = {}) {
    this.db = db;
    this.ttlMs = ttlMs;
    this.maxUnknown = options.maxUnknown ?? 1000;
    this.maxKnown = options.maxKnown ?? 50_000;
  }
  async get(slug: string): Promise<Tenant | null> {
    const now = Date.now();
    const hit = this.bySlug.get(slug);
    if (hit && now - hit.at < this.ttlMs) return hit.tenant;
    const missed = this.unknown.get(slug);
    if (missed !== undefined && now - missed < this.ttlMs) return null;
    const tenant = await this.db.transaction(null, (tx) => findTenantBySlug(tx, slug));
    this.bySlug.delete(slug);
    this.unknown.delete(slug);
    // Maps keep insertion order: past the bound, the entry stored longest ago goes.
    if (tenant) {
      if (this.bySlug.size >= this.maxKnown) this.bySlug.delete(this.bySlug.keys().next().value!);
      this.bySlug.set(slug, { tenant, at: Date.now() });
    } else {
      if (this.unknown.size >= this.maxUnknown) this.unknown.delete(this.unknown.keys().next().value!);
      this.unknown.set(slug, Date.now());
    }
    return tenant;
  }
  /** Slugs held, found and unknown (tests). */
  get size(): { known: number; unknown: number } {
    return { known: this.bySlug.size, unknown: this.unknown.size };
  }
  clear(): void {
    this.bySlug.clear();
    this.unknown.clear();
  }
}

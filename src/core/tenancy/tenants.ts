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
     order by t.name`, [hostId]);
}

/** Tenants that may administer this one: its host and the EPCI it is a member of. */
export async function listHostsOf(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `select host_tenant_id as id from tenants where id = $1 and host_tenant_id is not null
     union select related_tenant_id from tenant_relations where tenant_id = $1 and kind in ('member_of', 'hosted_by')`, [tenantId]);
  return rows.map((r) => r.id);
}

/** A per-process cache of slug → tenant: tenants change rarely and every request resolves one. */
export class TenantCache {
  private bySlug = new Map<string, { tenant: Tenant | null; at: number }>();
  private db: Database;
  private ttlMs: number;
  constructor(db: Database, ttlMs = 5000) {
    this.db = db;
    this.ttlMs = ttlMs;
  }
  async get(slug: string): Promise<Tenant | null> {
    const hit = this.bySlug.get(slug);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.tenant;
    const tenant = await this.db.transaction(null, (tx) => findTenantBySlug(tx, slug));
    this.bySlug.set(slug, { tenant, at: Date.now() });
    return tenant;
  }
  clear(): void {
    this.bySlug.clear();
  }
}

// Creates a collectivité from its official code (COG): name and kind come from the data, never typed.
// Runs as the owner (tenants are global rows) in one transaction with its journal entry.
import type { Database } from '../db/database.ts';
import { journal } from '../audit/journal.ts';
import { findCommune, findDepartement, findEpci, findEpciOfCommune, findRegion, slugify } from '../territory/cog.ts';
import type { Tenant, TenantKind } from './tenants.ts';
import { isReservedRootPath } from './reserved-paths.ts';

export interface CreateTenantInput {
  kind: 'commune' | 'epci' | 'departement' | 'region' | 'syndicate' | 'network';
  /** INSEE code (commune, département, région) or SIREN (EPCI); a free name for syndicate/network. */
  code?: string;
  name?: string;
  slug?: string;
  hostSlug?: string;
  actor?: string;
}

export type CreateTenantResult =
  | { ok: true; tenant: Tenant }
  | { ok: false; error: 'unknown_code' | 'slug_taken' | 'already_exists' | 'unknown_host' | 'name_required' | 'invalid_slug'; message: string };

function officialName(kind: CreateTenantInput['kind'], code: string): { name: string; epciType?: string } | null {
  switch (kind) {
    case 'commune': {
      const c = findCommune(code);
      return c && { name: c.nom };
    }
    case 'epci': {
      const e = findEpci(code);
      return e && { name: e.nom, epciType: e.type };
    }
    case 'departement': {
      const d = findDepartement(code);
      return d && { name: d.nom };
    }
    case 'region': {
      const r = findRegion(code);
      return r && { name: r.nom };
    }
    default:
      return null;
  }
}

export async function createTenant(db: Database, input: CreateTenantInput): Promise<CreateTenantResult> {
  let name = input.name?.trim() ?? '';
  let epciType: string | null = null;
  const official = input.kind === 'syndicate' || input.kind === 'network' ? null : (input.code ?? '');
  if (official !== null) {
    const found = officialName(input.kind, official);
    if (!found) return { ok: false, error: 'unknown_code', message: `no ${input.kind} with code "${official}" in the COG` };
    name = input.name?.trim() || found.name;
    epciType = found.epciType ?? null;
  } else if (!name) {
    return { ok: false, error: 'name_required', message: `a ${input.kind} needs a name` };
  }
  const slug = input.slug ?? slugify(name);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 63) {
    return { ok: false, error: 'invalid_slug', message: `invalid slug "${slug}"` };
  }
  // Core's first segments and those the modules' manifests reserve (reserved-paths.ts): such a
  // collectivité's pages would be unreachable.
  if (isReservedRootPath(slug)) return { ok: false, error: 'invalid_slug', message: `the slug "${slug}" is reserved by the installation` };
  return db.ownerTransaction(async (tx) => {
    if (await tx.one('select 1 from tenants where slug = $1', [slug])) {
      return { ok: false, error: 'slug_taken', message: `the slug "${slug}" is already used` } as const;
    }
    if (official && (await tx.one('select 1 from tenants where kind = $1 and official_code = $2', [input.kind, official]))) {
      return { ok: false, error: 'already_exists', message: `this ${input.kind} (${official}) already exists` } as const;
    }
    let hostId: string | null = null;
    if (input.hostSlug) {
      const host = await tx.one<{ id: string }>('select id from tenants where slug = $1', [input.hostSlug]);
      if (!host) return { ok: false, error: 'unknown_host', message: `no tenant "${input.hostSlug}"` } as const;
      hostId = host.id;
    }
    const tenant = (await tx.one<Tenant>(
      `insert into tenants (slug, name, kind, official_code, epci_type, host_tenant_id) values ($1, $2, $3, $4, $5, $6)
       returning id, slug, name, kind, official_code, epci_type, host_tenant_id, settings, created_at`,
      [slug, name, input.kind as TenantKind, official, epciType, hostId],
    ))!;
    await linkMembership(tx, tenant);
    await journal(tx, {
      tenantId: tenant.id,
      actor: input.actor ?? 'cli',
      action: 'core.tenant.create',
      subjectType: 'tenant',
      subjectId: tenant.id,
      data: { slug, name, kind: input.kind, official_code: official, host: input.hostSlug ?? null },
    });
    return { ok: true, tenant } as const;
  });
}

/** Keeps commune → EPCI membership true whichever of the two was created first. */
async function linkMembership(tx: import('../db/database.ts').Tx, tenant: Tenant): Promise<void> {
  if (tenant.kind === 'commune' && tenant.official_code) {
    const epci = findEpciOfCommune(tenant.official_code);
    if (epci) {
      await tx.query(
        `insert into tenant_relations (tenant_id, related_tenant_id, kind)
         select $1, id, 'member_of' from tenants where kind = 'epci' and official_code = $2 on conflict do nothing`,
        [tenant.id, epci.code],
      );
    }
  }
  if (tenant.kind === 'epci' && tenant.official_code) {
    const members = findEpci(tenant.official_code)!.membres.map((m) => m.code);
    await tx.query(
      `insert into tenant_relations (tenant_id, related_tenant_id, kind)
       select id, $1, 'member_of' from tenants where kind = 'commune' and official_code = any($2) on conflict do nothing`,
      [tenant.id, members],
    );
  }
}

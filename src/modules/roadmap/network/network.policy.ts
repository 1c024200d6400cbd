// Who may see or do what in a network. Three kinds of people meet on its pages:
//   - the network's own administrators (tenant_admin of the network tenant): they edit bodies, seats,
//     meetings, contributions, events, programmes, solutions, invitations;
//   - the staff of its member collectivités (any staff role held in a member): they read what is kept for
//     members (minutes not yet public, contributions not yet public); the member's tenant_admin endorses and
//     leaves, from the member's own tenant;
//   - everyone else: the public pages only.
// A member's administrator is NOT an administrator of the network: roles never flow through a network.
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../core/base/context.ts';
import { forbidden, notFound, unauthorized } from '../../../core/base/errors.ts';
import { grants } from '../../../core/base/roles.ts';
import type { Database } from '../../../core/db/database.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { requireRoles } from '../../../core/auth/require.ts';

export interface NetworkViewer {
  network: Tenant;
  personId: string | null;
  admin: boolean;
  /** Member collectivités where the person holds a staff role, with those roles. */
  memberRoles: Map<string, string[]>;
  /** Reads what the network keeps for its members. */
  insider: boolean;
}

/** The request's tenant when it is a network; any other collectivité has no network pages (404). */
export function requireNetwork(ctx: RequestContext): Tenant {
  if (!ctx.tenant || ctx.tenant.kind !== 'network') throw notFound();
  return ctx.tenant;
}

export async function viewerOf(db: Database, ctx: RequestContext): Promise<NetworkViewer> {
  const network = requireNetwork(ctx);
  const personId = ctx.api ? ctx.api.personId : (ctx.person?.id ?? null);
  const admin = grants(ctx.roles, 'tenant_admin');
  const memberRoles = new Map<string, string[]>();
  if (personId) {
    const rows = await db.transaction(network.id, (tx) =>
      tx.query<{ member_tenant_id: string; role: string }>('select member_tenant_id, role from network_staff_of($1, $2)', [network.id, personId]),
    );
    for (const r of rows) memberRoles.set(r.member_tenant_id, [...(memberRoles.get(r.member_tenant_id) ?? []), r.role]);
  }
  return { network, personId, admin, memberRoles, insider: admin || memberRoles.size > 0 };
}

/** tenant_admin in the request's tenant: a bearer token's role on the API, a session's roles on pages. */
function requireAdminRole(request: FastifyRequest): void {
  if (request.ctx.api) {
    if (!grants(request.ctx.roles, 'tenant_admin')) throw forbidden();
    return;
  }
  if (request.url.startsWith('/api/')) throw unauthorized();
  requireRoles(request, 'tenant_admin');
}

/** The network's administrator, for its editing routes (a member's admin gets 403). */
export function requireNetworkAdmin(request: FastifyRequest): { network: Tenant; actor: string } {
  const network = requireNetwork(request.ctx);
  requireAdminRole(request);
  const ctx = request.ctx;
  return { network, actor: ctx.api ? (ctx.api.personId ? `person:${ctx.api.personId}` : `token:${ctx.api.tokenId}`) : `person:${ctx.person!.id}` };
}

/** The administrator of a member collectivité acting from its own tenant (path /<member>/…): a person, always. */
export function requireMemberAdmin(request: FastifyRequest): { tenant: Tenant; personId: string } {
  requireAdminRole(request);
  const ctx = request.ctx;
  const personId = ctx.api ? ctx.api.personId : (ctx.person?.id ?? null);
  if (!personId || !ctx.tenant || ctx.tenant.kind === 'network') throw forbidden();
  return { tenant: ctx.tenant, personId };
}

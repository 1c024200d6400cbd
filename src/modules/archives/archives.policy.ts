// Who may do what with the archives. The archivist (and the tenant_admin, who holds every role) ingests,
// searches everything, manages the rule library, places holds, runs eliminations. Other staff see only
// units that are communicable today (Code du patrimoine L213-1/L213-2, computed from the access rules):
// a unit not yet communicable does not exist for them (404), and is left out of their searches.
import type { RequestContext } from '../../core/base/context.ts';
import { actorOf } from '../../core/base/context.ts';
import { grants, STAFF_ROLES, type Role } from '../../core/base/roles.ts';
import { forbidden } from '../../core/base/errors.ts';
import type { Translate } from '../../core/i18n/i18n.ts';

export interface Principal {
  tenantId: string;
  /** Journal actor: `person:<id>`, `token:<id>`, `seed`, `system`, `cli`. */
  actor: string;
  personId: string | null;
  roles: Role[];
  t: Translate;
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.tenant) throw new Error('principalOf needs a tenant');
  return { tenantId: ctx.tenant.id, actor: actorOf(ctx), personId: ctx.api ? ctx.api.personId : (ctx.person?.id ?? null), roles: ctx.roles, t: ctx.t };
}

export function isArchivist(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, 'archivist');
}

/** Staff who produce records may search what is communicable. Citizens and anonymous visitors: nothing. */
export function isStaff(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, STAFF_ROLES);
}

export function requireArchivist(p: Principal): void {
  if (!isArchivist(p)) throw forbidden();
}

export function requireStaff(p: Principal): void {
  if (!isStaff(p)) throw forbidden();
}

/** Today as an ISO date (the communicability test compares dates, in UTC like the rest of the journal). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

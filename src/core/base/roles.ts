// Roles a person holds in a tenant. A tenant_admin may do what every other role may.
export const ROLES = ['citizen', 'mediator', 'agent', 'procedure_admin', 'data_steward', 'archivist', 'moderator', 'tenant_admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: Role[] = ['mediator', 'agent', 'procedure_admin', 'data_steward', 'archivist', 'moderator', 'tenant_admin'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `held` grants `wanted` (tenant_admin grants everything). */
export function grants(held: readonly Role[], wanted: Role | readonly Role[]): boolean {
  if (held.includes('tenant_admin')) return true;
  const list = typeof wanted === 'string' ? [wanted] : wanted;
  return list.some((role) => held.includes(role));
}

// Who may do what in the procedures module. Designers (procedure_admin, tenant_admin) create and publish;
// agents instruct the dossiers of their groups; a token without a person acts for the whole collectivité.
import type { Tx } from '../../core/db/database.ts';
import type { RequestContext } from '../../core/http/context.ts';
import { actorOf } from '../../core/http/context.ts';
import { grants, type Role } from '../../core/auth/roles.ts';
import type { Translate } from '../../core/i18n/i18n.ts';
import { forbidden } from '../../core/http/errors.ts';

/** Who acts, as the actions need it (built from a request, the CLI, a job or a test). */
export interface Principal {
  tenantId: string;
  /** Journal actor: `person:<id>`, `token:<id>`, `guest:<email>`, `system`. */
  actor: string;
  personId: string | null;
  /** An API token (with or without a person). */
  viaToken: boolean;
  roles: Role[];
  t: Translate;
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.tenant) throw new Error('principalOf needs a tenant');
  return {
    tenantId: ctx.tenant.id, actor: actorOf(ctx), personId: ctx.api ? ctx.api.personId : ctx.person?.id ?? null,
    viaToken: !!ctx.api, roles: ctx.roles, t: ctx.t,
  };
}

export function canDesign(p: Principal): boolean {
  return grants(p.roles, 'procedure_admin');
}

export function canInstruct(p: Principal): boolean {
  return grants(p.roles, ['agent', 'procedure_admin']);
}

export function requireDesigner(p: Principal): void {
  if (!canDesign(p)) throw forbidden();
}

export function requireAgent(p: Principal): void {
  if (!canInstruct(p)) throw forbidden();
}

/**
 * Which dossiers an agent sees: all of them for designers and for a token without a person (an
 * integration acts for the whole collectivité); otherwise those of the person's groups, and those no
 * rule routed to a group (a procedure without groups is instructed by every agent).
 */
export type DossierScope = { all: true } | { all: false; groupIds: string[] };

export async function dossierScope(tx: Tx, p: Principal): Promise<DossierScope> {
  if (canDesign(p) || (p.viaToken && !p.personId)) return { all: true };
  if (!p.personId) return { all: false, groupIds: [] };
  const rows = await tx.query<{ group_id: string }>('select group_id from agent_group_members where tenant_id = app_tenant() and person_id = $1', [p.personId]);
  return { all: false, groupIds: rows.map((r) => r.group_id) };
}

/** SQL condition for a scope on a dossiers alias; adds its parameter to `params`. */
export function scopeSql(scope: DossierScope, alias: string, params: unknown[]): string {
  if (scope.all) return 'true';
  params.push(scope.groupIds);
  return `(${alias}.group_id is null or ${alias}.group_id = any($${params.length}::uuid[]))`;
}

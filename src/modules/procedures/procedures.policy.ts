// Who may do what in the procedures module. Designers (procedure_admin, tenant_admin) create and publish;
// agents instruct the dossiers of their groups; a token without a person acts for the whole collectivité.
import type { Tx } from '../../core/db/database.ts';
import type { RequestContext } from '../../core/base/context.ts';
import { actorOf } from '../../core/base/context.ts';
import { grants, ROLES, type Role } from '../../core/base/roles.ts';
import type { Translate } from '../../core/i18n/i18n.ts';
import { forbidden, notFound } from '../../core/base/errors.ts';
import { findDossierByNumber, type DossierRow } from './dossiers.repository.ts';

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
    tenantId: ctx.tenant.id,
    actor: actorOf(ctx),
    personId: ctx.api ? ctx.api.personId : (ctx.person?.id ?? null),
    viaToken: !!ctx.api,
    roles: ctx.roles,
    t: ctx.t,
  };
}

const DESIGNS: Role = 'procedure_admin';
const INSTRUCTS: Role[] = ['agent', 'procedure_admin'];

export function canDesign(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, DESIGNS);
}

export function canInstruct(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, INSTRUCTS);
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
 *
 * This is the one access rule for dossiers of the instruction side. For a request it is dossierScope()
 * then scopeSql() (a list) or inScope() (one dossier): the inbox, the dossier page, the PDF, exports,
 * state changes, labels (one or in bulk). Work done without a request for many people at once (the
 * agents' daily digest) uses personScopeSql(), the same rule written over the stored roles and groups.
 */
export type DossierScope = { all: true } | { all: false; groupIds: string[] };

/** Roles that see every dossier (designers) and roles that instruct, from the role hierarchy itself. */
const SEES_ALL_ROLES: Role[] = ROLES.filter((r) => canDesign({ roles: [r] }));
const INSTRUCTING_ROLES: Role[] = ROLES.filter((r) => canInstruct({ roles: [r] }));

/** Whether a dossier routed to `groupId` (null: to no group) is within the scope. */
export function inScope(scope: DossierScope, groupId: string | null): boolean {
  return scope.all || groupId === null || scope.groupIds.includes(groupId);
}

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

/**
 * SQL condition: person `person` (an SQL expression) may see dossier `alias` on the instruction side —
 * dossierScope() and scopeSql() for that person signed in, from the database alone: roles that count
 * (effective_memberships: a staff role of an unverified account gives nothing), then the person's groups.
 * Adds its parameters to `params`.
 */
export function personScopeSql(alias: string, person: string, params: unknown[]): string {
  params.push(SEES_ALL_ROLES, INSTRUCTING_ROLES);
  const seesAll = `$${params.length - 1}::text[]`;
  const instructs = `$${params.length}::text[]`;
  const holds = (roles: string) =>
    `exists (select 1 from effective_memberships r where r.tenant_id = ${alias}.tenant_id and r.person_id = ${person} and r.role = any(${roles}))`;
  return `(${holds(seesAll)} or (${holds(instructs)} and (${alias}.group_id is null or exists (
    select 1 from agent_group_members m where m.tenant_id = ${alias}.tenant_id and m.person_id = ${person} and m.group_id = ${alias}.group_id))))`;
}

/**
 * One dossier of the instruction side: loaded (locked for update when asked) if the principal may
 * instruct it — an agent, and the dossier in its scope (inScope), never a draft; 404 otherwise (never
 * 403: no leak). The dossier page, its PDF, state changes, assignment, labels and messages go through it.
 */
export async function loadVisibleDossier(tx: Tx, p: Principal, number: number, options: { lock?: boolean } = {}): Promise<DossierRow> {
  requireAgent(p);
  const dossier = await findDossierByNumber(tx, number, options);
  if (!dossier || dossier.state === 'brouillon') throw notFound();
  if (!inScope(await dossierScope(tx, p), dossier.group_id)) throw notFound();
  return dossier;
}

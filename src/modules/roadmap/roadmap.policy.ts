// Who may see or do what on a collectivité's digital roadmap. The one rule pages, API, PDF and dataset share:
//   - everyone (anonymous included) reads the PUBLISHED projects and their indicators;
//   - the collectivité's staff (any staff role) read drafts too;
//   - only its tenant_admin (or a tenant_admin API token) creates and edits projects, partners, links,
//     indicators and values;
//   - a partner collectivité of a pooled project reads it (roadmap_pooled_projects()) and never edits it:
//     the owner carries the project; the partner's administrators ask the owner.
import type { RequestContext } from '../../core/base/context.ts';
import { actorOf } from '../../core/base/context.ts';
import { grants, STAFF_ROLES, type Role } from '../../core/base/roles.ts';
import type { Translate } from '../../core/i18n/i18n.ts';
import { forbidden } from '../../core/base/errors.ts';

export interface Principal {
  tenantId: string;
  /** Journal actor: `person:<id>`, `token:<id>`, `system`. */
  actor: string;
  roles: Role[];
  t: Translate;
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.tenant) throw new Error('principalOf needs a tenant');
  return { tenantId: ctx.tenant.id, actor: actorOf(ctx), roles: ctx.roles, t: ctx.t };
}

export function canEditRoadmap(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, 'tenant_admin');
}

/** Staff read draft projects; citizens and visitors only published ones. */
export function readsDrafts(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, STAFF_ROLES);
}

export function requireEditor(p: Principal): void {
  if (!canEditRoadmap(p)) throw forbidden(p.t('roadmap.error.forbidden'));
}

// Who may do what in a debate. The team (moderator, tenant_admin) creates debates and moderates them;
// signed-in people contribute, comment, support and report; a mediator may post with and for a person.
// Another collectivité's moderator holds no role here: every check reads the roles of this collectivité.
import type { RequestContext } from '../../core/base/context.ts';
import { actorOf } from '../../core/base/context.ts';
import { grants, type Role } from '../../core/base/roles.ts';
import type { Translate } from '../../core/i18n/i18n.ts';
import { forbidden, unauthorized } from '../../core/base/errors.ts';

/** Who acts, as the actions need it (built from a request, the CLI, a job, a seed or a test). */
export interface Principal {
  tenantId: string;
  /** Journal actor: `person:<id>`, `token:<id>`, `system`. */
  actor: string;
  personId: string | null;
  /** The name an account shows (a pseudonym may replace it on a contribution). */
  displayName: string | null;
  viaToken: boolean;
  roles: Role[];
  t: Translate;
  /** The client address key (core/base/rate-limit.ts clientAddressKey), for per-address limits; null from a job or seed. */
  address: string | null;
}

export function principalOf(ctx: RequestContext, address: string | null = null): Principal {
  if (!ctx.tenant) throw new Error('principalOf needs a tenant');
  return {
    tenantId: ctx.tenant.id,
    actor: actorOf(ctx),
    personId: ctx.api ? ctx.api.personId : (ctx.person?.id ?? null),
    displayName: ctx.api ? null : (ctx.person?.display_name ?? null),
    viaToken: !!ctx.api,
    roles: ctx.roles,
    t: ctx.t,
    address,
  };
}

const MODERATES: Role = 'moderator';

/** The debates team: creates debates, moderates them, reads what waits or was hidden. */
export function canModerate(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, MODERATES);
}

export function requireModerator(p: Principal): void {
  if (!canModerate(p)) throw forbidden();
}

/** Contributing takes a person: an account signed in (local or FranceConnect) or a token bound to one. */
export function requirePerson(p: Principal): string {
  if (!p.personId) throw unauthorized(p.t('debates.error.sign_in'));
  return p.personId;
}

export function isMediator(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, 'mediator');
}

// Who may do what in the catalogue. A data_steward prepares datasets (creates, edits, uploads, submits for
// review, archives); only a tenant_admin approves a publication or sends a dataset back. tenant_admin
// holds every role (core/base/roles.ts), so an administrator may prepare too. Everyone (anonymous
// included) sees published datasets only; a draft does not exist for them (404, not 403).
import type { RequestContext } from '../../core/base/context.ts';
import { actorOf } from '../../core/base/context.ts';
import { grants, type Role } from '../../core/base/roles.ts';
import { forbidden, notFound } from '../../core/base/errors.ts';
import type { Translate } from '../../core/i18n/i18n.ts';

export interface Principal {
  tenantId: string;
  /** Journal actor: `person:<id>`, `token:<id>`, `seed`. */
  actor: string;
  personId: string | null;
  roles: Role[];
  t: Translate;
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.tenant) throw new Error('principalOf needs a tenant');
  return { tenantId: ctx.tenant.id, actor: actorOf(ctx), personId: ctx.api ? ctx.api.personId : (ctx.person?.id ?? null), roles: ctx.roles, t: ctx.t };
}

export type DatasetState = 'draft' | 'in_review' | 'published' | 'archived';

export function canPrepare(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, 'data_steward');
}

export function canApprove(p: Pick<Principal, 'roles'>): boolean {
  return grants(p.roles, 'tenant_admin');
}

export function requirePreparer(p: Principal): void {
  if (!canPrepare(p)) throw forbidden();
}

export function requireApprover(p: Principal): void {
  if (!canApprove(p)) throw forbidden();
}

/** Whether the public (anyone, anonymous included) may see a dataset in this state. */
export function publiclyVisible(state: DatasetState): boolean {
  return state === 'published';
}

/** A dataset as the public sees it: a 404 when it is not published. */
export function requirePublic<T extends { state: DatasetState }>(dataset: T | null): T {
  if (!dataset || !publiclyVisible(dataset.state)) throw notFound();
  return dataset;
}

/** Metadata may change while a dataset is a draft or published (not while an administrator reviews it, nor archived). */
export function editable(state: DatasetState): boolean {
  return state === 'draft' || state === 'published';
}

/** New versions of a resource: in a draft, and for a published dataset (a monthly file needs no new review). */
export function uploadable(state: DatasetState): boolean {
  return state === 'draft' || state === 'published';
}

/** The governance transitions: who moves a dataset from one state to another. */
export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'in_review', who: 'preparer' },
  approve: { from: ['in_review'], to: 'published', who: 'approver' },
  send_back: { from: ['in_review'], to: 'draft', who: 'approver' },
  archive: { from: ['published', 'draft'], to: 'archived', who: 'preparer' },
} as const satisfies Record<string, { from: readonly DatasetState[]; to: DatasetState; who: 'preparer' | 'approver' }>;

export type Transition = keyof typeof TRANSITIONS;

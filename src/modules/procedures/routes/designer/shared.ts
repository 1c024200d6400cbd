// What the designer pages share: who may see them, the procedure of the path, a 422's reasons, and the
// draft's edit page (shown again by every edit that fails).
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { principalOf, type Principal } from '../../procedures.policy.ts';
import { findProcedure, findRevision, listRevisions, type ProcedureRow } from '../../procedures.repository.ts';
import type { ProcedureDefinition } from '../../fields/definition.ts';
import { readForm } from '../form-body.ts';
import { designerEditBody } from '../../views/designer.ts';
import { noticeFrom, sendPage } from '../../views/common.ts';

const ProcedurePath = Type.Object({ id: Type.String() });

export function designerOf(request: FastifyRequest): Principal {
  requireRoles(request, 'procedure_admin');
  return principalOf(request.ctx);
}

/** The reasons of a 422 (by field); any other error is thrown again. */
export function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

export interface LoadedProcedure {
  p: Principal;
  procedure: ProcedureRow;
  /** `/<slug>/admin/demarches/<id>`. */
  base: string;
}

/** The procedure of the path (`:id`), for a designer; 404 when there is none. */
export async function loadProcedure(deps: AppDeps, request: FastifyRequest): Promise<LoadedProcedure> {
  const tenant = requireTenant(request);
  const p = designerOf(request);
  const { id } = readForm(ProcedurePath, request.params);
  if (!isUuid(id)) throw notFound();
  const procedure = await deps.db.transaction(tenant.id, (tx) => findProcedure(tx, id));
  if (!procedure) throw notFound();
  return { p, procedure, base: `/${tenant.slug}/admin/demarches/${procedure.id}` };
}

/** The draft's edit page; with `errors` (422) and the `draft` as it was edited when an edit failed. */
export async function sendEditPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  errors?: Record<string, string[]>,
  draft?: ProcedureDefinition,
) {
  const { procedure, base } = await loadProcedure(deps, request);
  const tenant = requireTenant(request);
  const { revisions, published } = await deps.db.transaction(tenant.id, async (tx) => ({
    revisions: await listRevisions(tx, procedure.id),
    published: procedure.current_revision ? await findRevision(tx, procedure.id, procedure.current_revision) : null,
  }));
  const shown = draft ? { ...procedure, draft_definition: draft } : procedure;
  const changed = !published || JSON.stringify(published.definition) !== JSON.stringify(procedure.draft_definition);
  return sendPage(
    reply,
    request.ctx,
    {
      title: procedure.title,
      path: request.url,
      body: designerEditBody(request.ctx, { base, procedure: shown, revisions, changed, notice: noticeFrom(request.ctx, request.query), errors }),
    },
    errors ? 422 : 200,
  );
}

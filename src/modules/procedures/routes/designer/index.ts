// Designer pages (procedure_admin): the list of procedures (list.ts), a procedure's draft (draft.ts), one
// field (field.ts), groups and routing (groups.ts). The operations page (operations.ts) is registered by
// ops.ts with the other operations routes.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { registerProcedureListPages } from './list.ts';
import { registerDraftPages } from './draft.ts';
import { registerFieldPages } from './field.ts';
import { registerDesignerGroupPages } from './groups.ts';

export function registerDesignerPages(app: FastifyInstance, deps: AppDeps): void {
  registerProcedureListPages(app, deps);
  registerDraftPages(app, deps);
  registerFieldPages(app, deps);
  registerDesignerGroupPages(app, deps);
}

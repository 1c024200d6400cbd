// The procedures module's JSON API under /api/v1/<tenant>/ (docs/api.md is the contract).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { registerProcedureApi } from './api/procedures.ts';
import { registerDossierApi } from './api/dossiers.ts';
import { registerGroupApi } from './api/groups.ts';

export function registerProceduresApi(app: FastifyInstance, deps: AppDeps): void {
  registerProcedureApi(app, deps);
  registerDossierApi(app, deps);
  registerGroupApi(app, deps);
}

// API of dossiers: filing (filing.ts), the list and one dossier (dossier-list.ts), instruction (instruction.ts).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { registerFilingApi } from './filing.ts';
import { registerDossierListApi } from './dossier-list.ts';
import { registerInstructionApi } from './instruction.ts';

export function registerDossierApi(app: FastifyInstance, deps: AppDeps): void {
  registerFilingApi(app, deps);
  registerDossierListApi(app, deps);
  registerInstructionApi(app, deps);
}

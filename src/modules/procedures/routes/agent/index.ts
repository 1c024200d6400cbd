// Agent pages (agents and designers only): the inbox (inbox.ts) and the dossier page (dossier.ts).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { registerInboxPages } from './inbox.ts';
import { registerAgentDossierPages } from './dossier.ts';

export function registerAgentPages(app: FastifyInstance, deps: AppDeps): void {
  registerInboxPages(app, deps);
  registerAgentDossierPages(app, deps);
}

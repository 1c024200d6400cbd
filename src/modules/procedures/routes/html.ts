// The procedures module's HTML pages, by audience: citizen (list, form, receipt, tracking, corrections),
// agent (inbox, dossier) and designer (procedures, draft, fields, groups). The manifest's routes function
// calls this once; each folder's index.ts lists its pages.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { registerCitizenPages } from './citizen/index.ts';
import { registerAgentPages } from './agent/index.ts';
import { registerDesignerPages } from './designer/index.ts';

export async function registerProceduresHtml(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerCitizenPages(app, deps);
  registerAgentPages(app, deps);
  registerDesignerPages(app, deps);
}

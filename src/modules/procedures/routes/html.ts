// The procedures module's HTML pages: citizen (list, form, receipt, tracking), agent (inbox, dossier) and
// designer (procedures, fields, publication). The manifest's routes function calls this once.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { registerCitizenPages } from './citizen/form.ts';
import { registerTrackingPages } from './citizen/tracking.ts';
import { registerCitizenEditPages } from './citizen/edit.ts';
import { registerAgentPages } from './agent/index.ts';
import { registerDesignerPages } from './designer/pages.ts';
import { registerDesignerGroupPages } from './designer/groups.ts';

export async function registerProceduresHtml(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerCitizenPages(app, deps);
  registerTrackingPages(app, deps);
  registerCitizenEditPages(app, deps);
  registerAgentPages(app, deps);
  registerDesignerPages(app, deps);
  registerDesignerGroupPages(app, deps);
}

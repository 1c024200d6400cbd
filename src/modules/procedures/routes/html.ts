// The procedures module's HTML pages: citizen (list, form, receipt, tracking), agent (inbox, dossier) and
// designer (procedures, fields, publication). The manifest's routes function calls this once.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { registerCitizenPages } from './html-citizen.ts';
import { registerTrackingPages } from './html-tracking.ts';
import { registerCitizenEditPages } from './html-citizen-edit.ts';
import { registerAgentPages } from './html-agent.ts';
import { registerDesignerPages } from './html-designer.ts';
import { registerDesignerGroupPages } from './html-designer-groups.ts';

export async function registerProceduresHtml(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerCitizenPages(app, deps);
  registerTrackingPages(app, deps);
  registerCitizenEditPages(app, deps);
  registerAgentPages(app, deps);
  registerDesignerPages(app, deps);
  registerDesignerGroupPages(app, deps);
}

// The procedures module's HTML pages: citizen (list, form, receipt, tracking), agent (inbox, dossier) and
// designer (procedures, fields, publication). The manifest's routes function calls this once.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';

export async function registerProceduresHtml(_app: FastifyInstance, _deps: AppDeps): Promise<void> {
  // Pages are registered here as they land (routes/html-citizen.ts, html-agent.ts, html-designer.ts).
}

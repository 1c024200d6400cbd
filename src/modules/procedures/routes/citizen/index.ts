// Citizen pages: the procedures and their forms (form.ts), the receipt and tracking of a dossier
// (tracking.ts), and a draft or a dossier en construction corrected (edit.ts).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { registerCitizenFormPages } from './form.ts';
import { registerTrackingPages } from './tracking.ts';
import { registerCitizenEditPages } from './edit.ts';

export function registerCitizenPages(app: FastifyInstance, deps: AppDeps): void {
  registerCitizenFormPages(app, deps);
  registerTrackingPages(app, deps);
  registerCitizenEditPages(app, deps);
}

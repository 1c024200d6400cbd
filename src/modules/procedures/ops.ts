// The operations side of the procedures module, as the manifest (index.ts) wires it: job handlers,
// schedules, routes (exports, PDFs, operations settings), the RGPD register and the demo data.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/module.ts';
import type { JobHandlerEntry, ScheduledJob } from '../../core/jobs/runner.ts';
import { NOTIFY_JOB, WEBHOOK_JOB } from './dossier-events.ts';
import { createNotifyBatchHandler } from './notifications/notify.ts';
import { DIGEST_JOB, sendDailyDigests } from './notifications/digest.ts';
import { createWebhookHandler } from './webhooks/dispatch.ts';
import { RETENTION_JOB, sweepRetention } from './retention/sweep.ts';
import { registerExportRoutes } from './exports/routes.ts';
import { registerOperationsRoutes } from './routes/api/operations.ts';
import { registerOperationsPage } from './routes/designer/operations.ts';

export { proceduresPrivacyRegister } from './privacy.ts';
export { seedProceduresDemo } from './seed.ts';

export function proceduresJobs(deps: AppDeps): Record<string, JobHandlerEntry> {
  return {
    [NOTIFY_JOB]: { batch: createNotifyBatchHandler(deps) },
    [WEBHOOK_JOB]: createWebhookHandler({ allow: deps.config.outboundAllow }),
    [DIGEST_JOB]: async (_job, db) => {
      await sendDailyDigests(db, deps.config);
    },
    [RETENTION_JOB]: async (_job, db) => {
      await sweepRetention(db, deps);
    },
  };
}

/** Hourly: the digest sends once a day per agent (from 7:00), the sweep catches up on whatever is due. */
export const proceduresSchedules: ScheduledJob[] = [
  { kind: DIGEST_JOB, everySeconds: 3600 },
  { kind: RETENTION_JOB, everySeconds: 3600 },
];

export function registerProceduresOpsRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerExportRoutes(app, deps);
  registerOperationsRoutes(app, deps);
  registerOperationsPage(app, deps);
}

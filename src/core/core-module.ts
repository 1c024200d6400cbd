// The core's own manifest: its jobs (outgoing mail, the journal sealer, the daily clean-up of the blob
// store), its migrations and texts, and the demo collectivités and accounts.
import { fileURLToPath } from 'node:url';
import type { ModuleManifest } from './module.ts';
import { createMailHandler, MAIL_JOB } from './mail/mail.ts';
import { sealJournal } from './audit/seal.ts';
import { FILES_SWEEP_JOB, sweepFiles } from './files/sweep.ts';
import { purgeRecipientCounts, RECIPIENT_COUNTS_PURGE_JOB } from './mail/recipient-limit.ts';
import { seedCoreDemo } from './seed/demo.ts';
import { coreMessages } from './i18n/core-messages.ts';
import { validationMessages } from './http/validation.ts';
import { apiPageMessages } from './http/openapi-page.ts';
import { filesMessages } from './files/messages.ts';
import { exportJobHandler, registerExportApi, TENANT_EXPORT_JOB } from './transfer/export-api.ts';
import { registerUsageRoutes } from './usage/routes.ts';
import { usageMessages } from './usage/messages.ts';
import { grants } from './base/roles.ts';

export const SEAL_JOB = 'core.journal.seal';

export const coreModule: ModuleManifest = {
  name: 'core',
  jobs: (deps) => ({
    [MAIL_JOB]: createMailHandler({
      smtpUrl: deps.config.smtpUrl,
      dataDir: deps.config.dataDir,
      s3: deps.config.s3,
      from: `Bastide <no-reply@${new URL(deps.config.baseUrl).hostname}>`,
    }),
    [SEAL_JOB]: async (_job, db) => {
      await sealJournal(db);
    },
    [FILES_SWEEP_JOB]: async () => {
      await sweepFiles(deps);
    },
    // The per-recipient mail counters of windows long ended (the table stays small).
    [RECIPIENT_COUNTS_PURGE_JOB]: async (_job, db) => {
      await db.transaction(null, (tx) => purgeRecipientCounts(tx));
    },
    // A collectivité's archive asked for through the API (GET /api/v1/<slug>/export).
    [TENANT_EXPORT_JOB]: exportJobHandler(deps),
  }),
  routes: (app, deps) => {
    registerExportApi(app, deps);
    // The usage report of a collectivité and of those it hosts (sharing the bill: core/usage).
    registerUsageRoutes(app, deps);
  },
  staffNav: (ctx) => (ctx.tenant && grants(ctx.roles, 'tenant_admin') ? [{ href: `/${ctx.tenant.slug}/admin/usage`, label: ctx.t('core.usage.title') }] : []),
  openApiTags: [{ name: 'usage', description: 'Consommation par collectivité et par mois, pour répartir les coûts d’un hébergement (jeton administrateur).' }],
  schedules: [
    { kind: SEAL_JOB, everySeconds: 10 },
    { kind: FILES_SWEEP_JOB, everySeconds: 86_400 },
    { kind: RECIPIENT_COUNTS_PURGE_JOB, everySeconds: 3600 },
  ],
  // Tenants, people, journal, jobs, files: numbers 0001–0099.
  migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 1, last: 99 },
  messages: [coreMessages, validationMessages, apiPageMessages, filesMessages, usageMessages],
  tourPages: [
    { name: 'home', path: '/', kind: 'citizen' },
    { name: 'tenant home', path: '/{tenant}/', kind: 'citizen' },
    { name: 'API reference', path: '/api', kind: 'staff' },
    { name: 'usage per collectivité', path: '/{tenant}/admin/usage', as: 'tenant_admin', kind: 'staff' },
  ],
  // The demo collectivités and one account per role, which every module's demo data builds on.
  seedDemo: ({ db }, log) => seedCoreDemo(db, log),
};

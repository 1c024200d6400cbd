// The core's own jobs: outgoing mail and the journal sealer.
import type { ModuleManifest } from './module.ts';
import { createMailHandler, MAIL_JOB } from './mail/mail.ts';
import { sealJournal } from './audit/seal.ts';

export const SEAL_JOB = 'core.journal.seal';

export const coreModule: ModuleManifest = {
  name: 'core',
  jobs: (deps) => ({
    [MAIL_JOB]: createMailHandler({ smtpUrl: deps.config.smtpUrl, dataDir: deps.config.dataDir, from: `Bastide <no-reply@${new URL(deps.config.baseUrl).hostname}>` }),
    [SEAL_JOB]: async (_job, db) => {
      await sealJournal(db);
    },
  }),
  schedules: [{ kind: SEAL_JOB, everySeconds: 10 }],
};

// The procedures module (démarches and dossiers, "relation usagers"): its API, its pages, its jobs.
// Core (schema, validation, states, actions, API) in this folder; pages in routes/html*.ts and views/;
// notifications, receipts, exports, webhooks, retention and demo data in their own folders.
import { fileURLToPath } from 'node:url';
import type { ModuleManifest } from '../../core/module.ts';
import { proceduresUsage } from './usage.ts';
import { registerProceduresApi } from './routes/api.ts';
import { registerProceduresHtml } from './routes/html.ts';
import { proceduresStaffNav, proceduresTenantHome } from './views/navigation.ts';
import { proceduresJobs, proceduresSchedules, registerProceduresOpsRoutes, proceduresPrivacyRegister, seedProceduresDemo } from './ops.ts';
import { proceduresMessages } from './messages.ts';
import { proceduresWebMessages } from './messages-web.ts';
import { proceduresStaffMessages } from './messages-web-staff.ts';
import { proceduresDesignerMessages } from './messages-web-designer.ts';
import { proceduresOpsMessages } from './operations/messages-ops.ts';

export const proceduresModule: ModuleManifest = {
  name: 'procedures',
  async routes(app, deps) {
    registerProceduresApi(app, deps);
    await registerProceduresHtml(app, deps);
    registerProceduresOpsRoutes(app, deps);
  },
  tenantHome: proceduresTenantHome,
  staffNav: proceduresStaffNav,
  jobs: proceduresJobs,
  schedules: proceduresSchedules,
  privacyRegister: (deps, tenantId) => proceduresPrivacyRegister(deps, tenantId),
  seedDemo: seedProceduresDemo,
  // Its figures in the host's usage report (core/usage).
  usage: proceduresUsage,
  // Numbers 0300–0499 (docs/modules.md lists every module's range).
  migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 300, last: 499 },
  messages: [proceduresMessages, proceduresWebMessages, proceduresStaffMessages, proceduresDesignerMessages, proceduresOpsMessages],
  // Tags of routes/api-doc.ts's doc().
  openApiTags: [
    { name: 'procedures', description: 'Démarches : créer, modifier, publier, clore, exporter ; leur routage vers les groupes d’agents.' },
    { name: 'dossiers', description: 'Dossiers déposés : liste, détail, dépôt, instruction (changements d’état, messages, étiquettes).' },
    { name: 'groups', description: 'Groupes d’agents instructeurs et leurs membres.' },
  ],
  // Entry pages; the scripted paths of test/e2e/tours/ (designer, citizen, agent, mediator) go further.
  tourPages: [
    { name: 'procedures list', path: '/{tenant}/demarches', kind: 'citizen' },
    { name: 'my dossiers', path: '/{tenant}/mes-dossiers', as: 'citizen', kind: 'citizen' },
    { name: 'agent inbox', path: '/{tenant}/instruction', as: 'agent', kind: 'staff' },
    { name: 'designer: procedures', path: '/{tenant}/admin/demarches', as: 'procedure_admin', kind: 'staff' },
    // The API reference of its tags (one page per tag, /api lists them): dossiers is the largest.
    { name: 'API reference: dossiers', path: '/api/dossiers', kind: 'staff' },
    { name: 'API reference: procedures', path: '/api/procedures', kind: 'staff' },
  ],
};

// The document writer of receipts, for other modules' certificates (archives' elimination certificate):
// modules import each other's index.ts only.
export { renderPdf, type PdfBlock, type PdfDocumentInput } from './receipt/pdf-layout.ts';
// Aggregate figures of the dossiers (no personal data) for the catalogue's daily statistics dataset.
export { dossierStatistics, type DossierStatisticsRow } from './statistics.ts';
// Retention "archive" (issue 13): the archives module pulls the flagged dossiers, files each as an archive
// unit, and only then tells procedures, which applies its own `then` (archiving/package.ts).
export {
  dossiersAwaitingArchive,
  dossierArchivePackage,
  recordDossierArchived,
  type DossierArchivePackage,
  type DossierArchiveFile,
} from './archiving/package.ts';

// The archives module (issue 13, "archivage numérique"): archive units with SEDA descriptive metadata and
// management rules (library per collectivité, shared by a host, L213-2 delays shipped), objects kept with
// their SHA-256/SHA-512 and identified format, written once (the database refuses any change outside an
// approved elimination), fixity audits, elimination with the visa of the Archives départementales and a
// certificate. See docs/archives.md. The SEDA 2.3 library lives in seda/ (its own helper).
//
// For other modules and the SEDA import: `ingestUnits` takes a tree of units with their rules and objects
// and writes it in one transaction (actions/ingest.ts).
import { fileURLToPath } from 'node:url';
import type { ModuleManifest, NavItem } from '../../core/module.ts';
import { archivesUsage } from './usage.ts';
import type { RequestContext } from '../../core/base/context.ts';
import { grants, STAFF_ROLES } from '../../core/base/roles.ts';
import { archivesMessages } from './messages.ts';
import { registerArchivesApi } from './routes/api.ts';
import { registerArchivesPages } from './routes/pages.ts';
import { registerSipApi } from './routes/sip.ts';
import { registerTransferApi } from './routes/transfers.ts';
import { sedaMessages } from './seda/messages.ts';
import { AUDIT_JOB, auditJobHandler } from './actions/audit.ts';
import { seedArchivesDemo } from './seed.ts';
import { ARCHIVE_DOSSIERS_JOB, archiveDossiersJobHandler } from './actions/archive-dossiers.ts';
import { registerDatasetArchiveApi } from './routes/datasets.ts';
import { archivesRecordsMessages } from './messages-records.ts';
import { registerProofRoutes } from './routes/proof.ts';
import { registerTransferPages } from './routes/transfer-pages.ts';
import { archivesTransferMessages } from './messages-transfers.ts';
import { CHECKPOINT_JOB, checkpointJobHandler } from './proof/checkpoints.ts';

export { ingestUnits, type IngestInput, type IngestUnitInput, type IngestObjectInput, type IngestResult } from './actions/ingest.ts';
export { stageObject, type StagedObject } from './objects.ts';
export { auditTenant, tenantsWithArchives, type AuditReport } from './actions/audit.ts';
export { archiveDecidedDossiers, ARCHIVE_DOSSIERS_JOB, type ArchiveDossiersResult } from './actions/archive-dossiers.ts';
export { checkpointJournal } from './proof/checkpoints.ts';
export { buildProof } from './proof/report.ts';
export { archivesMetrics, type ArchivesMetrics, type ArchivesMonth } from './actions/metrics.ts';
export { identifyFile, type FormatIdentity } from './formats/identify.ts';
export type { Principal as ArchivesPrincipal } from './archives.policy.ts';
export type { UnitRule, RuleCategory } from './rules.ts';

function archivesStaffNav(ctx: RequestContext): NavItem[] {
  if (!ctx.tenant || !grants(ctx.roles, STAFF_ROLES)) return [];
  return [{ href: `/${ctx.tenant.slug}/admin/archives`, label: ctx.t('archives.title') }];
}

export const archivesModule: ModuleManifest = {
  name: 'archives',
  async routes(app, deps) {
    registerArchivesApi(app, deps);
    registerArchivesPages(app, deps);
    registerTransferPages(app, deps);
    await registerSipApi(app, deps);
    await registerTransferApi(app, deps);
    registerDatasetArchiveApi(app, deps);
    registerProofRoutes(app, deps);
  },
  jobs: (deps) => ({
    [AUDIT_JOB]: auditJobHandler(deps),
    [ARCHIVE_DOSSIERS_JOB]: archiveDossiersJobHandler(deps),
    [CHECKPOINT_JOB]: checkpointJobHandler(deps),
  }),
  // A rolling share of every collectivité's objects each night (BASTIDE_ARCHIVES_AUDIT_SHARE).
  // Decided dossiers the procedures' retention flagged "archive" are filed every hour (actions/archive-dossiers.ts).
  schedules: [
    { kind: AUDIT_JOB, everySeconds: 86_400 },
    { kind: ARCHIVE_DOSSIERS_JOB, everySeconds: 3600 },
    // Journal checkpoints for proofs of integrity (proof/checkpoints.ts).
    { kind: CHECKPOINT_JOB, everySeconds: 3600 },
  ],
  staffNav: archivesStaffNav,
  privacyRegister: (_deps, _tenantId) =>
    Promise.resolve([
      {
        name: 'Archives (versements, éliminations, journal)',
        purpose:
          "Conservation des documents d'archives de la collectivité pour leur durée d'utilité administrative et leur communicabilité (Code du patrimoine, L211-1 et suivants) ; les documents peuvent contenir des données personnelles, communicables selon les délais de l'article L213-2. Accès : archivistes ; autres agents pour les seules unités communicables.",
      },
    ]),
  seedDemo: seedArchivesDemo,
  // Its figures in the host's usage report (core/usage).
  usage: archivesUsage,
  // Numbers 0600–0699 (docs/modules.md lists every module's range; 0650–0659 are kept for the SEDA library).
  migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 600, last: 699 },
  messages: [archivesMessages, sedaMessages, archivesRecordsMessages, archivesTransferMessages],
  openApiTags: [{ name: 'archives', description: "Archivage numérique : versements, recherche d'unités d'archives, règles de gestion (jeton archiviste)." }],
  tourPages: [
    { name: 'archives: search', path: '/{tenant}/admin/archives', as: 'archivist', kind: 'staff' },
    { name: 'archives: deposit', path: '/{tenant}/admin/archives/verser', as: 'archivist', kind: 'staff' },
    { name: 'archives: rule library', path: '/{tenant}/admin/archives/regles', as: 'archivist', kind: 'staff' },
    { name: 'archives: eliminations', path: '/{tenant}/admin/archives/eliminations', as: 'archivist', kind: 'staff' },
    { name: 'archives: transfers', path: '/{tenant}/admin/archives/transferts', as: 'archivist', kind: 'staff' },
    // The demo deposit's root unit and its proof of integrity, by a stable address (routes/demo.ts finds it).
    { name: 'archives: unit', path: '/{tenant}/admin/archives/demonstration', as: 'archivist', kind: 'staff' },
    { name: 'archives: proof of integrity', path: '/{tenant}/admin/archives/demonstration/preuve', as: 'archivist', kind: 'staff' },
  ],
};

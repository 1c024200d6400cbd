// The catalogue module (issue 12, "gouvernance de la donnée"): datasets with DCAT-AP metadata, resources
// and their versions, review before publication, validation of CSV files against Table Schemas (the
// library in validation/), the public catalogue and the validation endpoint. See docs/catalogue.md.
import { fileURLToPath } from 'node:url';
import type { ModuleManifest } from '../../core/module.ts';
import { catalogueUsage } from './usage.ts';
import { catalogueMessages } from './messages.ts';
import { catalogueQualityMessages } from './quality/messages.ts';
import { registerStaffPages } from './routes/staff/index.ts';
import { registerPublicPages } from './routes/public/index.ts';
import { registerValidateApi } from './routes/api/validate.ts';
import { registerTabularApi } from './routes/api/tabular.ts';
import { registerTabularStaff } from './routes/staff/tabular.ts';
import { tabularMessages } from './tabular/messages.ts';
import { INDEX_JOB, LOAD_JOB, loadJobHandler } from './actions/load-version.ts';
import { indexJobHandler } from './tabular/indexes.ts';
import { registerFeeds } from './routes/publishing/feeds.ts';
import { registerCkanApi } from './routes/publishing/ckan.ts';
import { VALIDATE_JOB, validateJobHandler } from './actions/validate-version.ts';
import { STATISTICS_JOB, statisticsJobHandler } from './statistics/publish.ts';
import { catalogueStaffNav, catalogueTenantHome } from './views/navigation.ts';
import { seedCatalogueDemo } from './seed.ts';
import { requeueImportedLoads } from './tabular/requeue.ts';

export const catalogueModule: ModuleManifest = {
  name: 'catalogue',
  async routes(app, deps) {
    registerStaffPages(app, deps);
    registerPublicPages(app, deps);
    await registerValidateApi(app, deps);
    registerTabularApi(app, deps);
    registerTabularStaff(app, deps);
    registerFeeds(app, deps);
    registerCkanApi(app, deps);
  },
  jobs: (deps) => ({
    [VALIDATE_JOB]: validateJobHandler(deps),
    [LOAD_JOB]: loadJobHandler(deps),
    [INDEX_JOB]: indexJobHandler(deps),
    [STATISTICS_JOB]: statisticsJobHandler(deps),
  }),
  // The statistics of the procedures, published as a dataset of each collectivité (statistics/publish.ts).
  schedules: [{ kind: STATISTICS_JOB, everySeconds: 86_400 }],
  // The installation's DCAT-AP feeds at the root (/catalogue.jsonld, /catalogue.ttl; /api/catalogue.* too).
  reservedRootPaths: ['catalogue.jsonld', 'catalogue.ttl'],
  // The archive carries no loaded table: queue the tabular loads again (tabular/requeue.ts).
  afterTenantImport: async (deps, tenantId) => {
    await requeueImportedLoads(deps.db, tenantId);
  },
  tenantHome: catalogueTenantHome,
  staffNav: catalogueStaffNav,
  seedDemo: seedCatalogueDemo,
  // Its figures in the host's usage report (core/usage).
  usage: catalogueUsage,
  // Numbers 0500–0599 (docs/modules.md lists every module's range).
  migrations: { dir: fileURLToPath(new URL('./migrations/', import.meta.url)), first: 500, last: 599 },
  messages: [catalogueMessages, catalogueQualityMessages, tabularMessages],
  openApiTags: [{ name: 'catalogue', description: 'Catalogue de données : validation de fichiers CSV contre un schéma (Table Schema, SCDL).' }],
  tourPages: [
    { name: 'catalogue', path: '/{tenant}/donnees', kind: 'citizen' },
    { name: 'catalogue: dataset', path: '/{tenant}/donnees/subventions-attribuees', kind: 'citizen' },
    { name: 'catalogue: administration', path: '/{tenant}/admin/donnees', as: 'data_steward', kind: 'staff' },
  ],
};

// A dataset version with its DCAT metadata, for the archives module, which files it (issue 13).
export { datasetVersionPackage, type DatasetVersionPackage } from './archiving/version-package.ts';
// Datasets other modules generate (statistics, debates, roadmap) and the catalogue's figures for their indicators.
export { publishGeneratedDataset, type GeneratedDatasetInput, type GeneratedOutcome, type GeneratedResult } from './generated/publish.ts';
export { catalogueMetrics, type CatalogueMetrics } from './metrics.ts';
// The published datasets and a published dataset's first rows, for other modules' pages (a debate shows its linked datasets).
export { publishedDatasets, publishedDatasetPreview, type PublishedDatasetPreview } from './public-preview.ts';

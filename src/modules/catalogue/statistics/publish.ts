// The daily job `catalogue.statistics`: for each collectivité that has dossiers, the statistics of its
// procedures (dossierStatistics, procedures' index.ts) as a dataset of its catalogue — « Statistiques des
// démarches en ligne », schema bastide-statistiques-demarches — published and in the DCAT feeds.
//
// - A new version of the file is added only when its bytes changed (same figures, same bytes: table.ts).
// - The file goes the way of any upload: streamed to the blob store, typed from its content, recorded and
//   validated against the dataset's schema by addResourceVersion, journaled (actor `system`).
// - The dataset is created as a draft, then published once its first version is there: a run that fails
//   halfway leaves a draft nobody sees, which the next run completes. Each step is one transaction with
//   its journal entry.
// - The stewards keep the last word: an archived (or in-review) statistics dataset is left alone, and a
//   dataset of theirs that already has the slug is never written to.
// - Per tenant, in that tenant's transactions (row-level security): no figure of one collectivité can
//   reach another's file.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Job } from '../../../core/jobs/runner.ts';
import { journal } from '../../../core/audit/journal.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { storeUpload } from '../../../core/files/upload.ts';
import type { AppDeps } from '../../../core/module.ts';
import type { AdoptedBlob } from '../../../core/files/store.ts';
import { dossierStatistics } from '../../procedures/index.ts';
import { findDatasetBySlug, insertDataset, listResources, setDatasetState, type DatasetFields } from '../catalogue.repository.ts';
import type { Principal } from '../catalogue.policy.ts';
import { addResourceVersion, maxUploadBytes } from '../actions/upload-version.ts';
import { isCogCode } from '../vocabularies.ts';
import { firstMonth, statisticsCsv, STATISTICS_FILENAME, STATISTICS_SCHEMA } from './table.ts';

export const STATISTICS_JOB = 'catalogue.statistics';
export const STATISTICS_SLUG = 'statistiques-demarches';
const ACTOR = 'system';

type Deps = Pick<AppDeps, 'db' | 'config'>;

export interface StatisticsTenant {
  id: string;
  slug: string;
  name: string;
  official_code: string | null;
}

export type StatisticsOutcome = 'none' | 'unchanged' | 'created' | 'updated' | 'skipped';

function fieldsOf(tenant: StatisticsTenant, since: string | null): DatasetFields {
  return {
    title: 'Statistiques des démarches en ligne',
    description:
      `Nombre de dossiers déposés en ligne auprès de ${tenant.name}, par démarche, mois de dépôt et état actuel, ` +
      'et délai médian entre le dépôt et la décision pour les dossiers décidés. Les brouillons ne sont pas comptés. ' +
      'Données agrégées, recalculées chaque jour par Bastide ; une case de moins de 5 dossiers est masquée (secret statistique).',
    keywords: ['démarches', 'dossiers', 'statistiques', 'relation usagers'],
    themes: ['GOVE'],
    licence: 'etalab-2.0',
    // Continuous: the file follows the dossiers (checked daily, a new version only when a figure changed).
    frequency: 'CONT',
    spatial: tenant.official_code && isCogCode(tenant.official_code) ? [tenant.official_code] : [],
    temporal_start: since ? `${since}-01` : null,
    temporal_end: null,
    publisher: '',
    contact_point: '',
    personal_data: false,
    schema_name: STATISTICS_SCHEMA,
    custom_schema: null,
  };
}

/** Publishes (or refreshes) one collectivité's statistics dataset; says what it did. */
export async function publishStatistics(deps: Deps, tenant: StatisticsTenant): Promise<StatisticsOutcome> {
  const { db } = deps;
  const rows = await db.transaction(tenant.id, (tx) => dossierStatistics(tx));
  const existing = await db.transaction(tenant.id, (tx) => findDatasetBySlug(tx, STATISTICS_SLUG));
  if (!existing && rows.length === 0) return 'none';
  // A steward's own dataset under this slug, or one they archived or sent to review: not ours to write.
  if (existing && (existing.schema_name !== STATISTICS_SCHEMA || existing.steward_person_id !== null)) return 'skipped';
  if (existing && existing.state !== 'draft' && existing.state !== 'published') return 'skipped';

  let datasetId = existing?.id;
  if (!datasetId) {
    datasetId = await db.transaction(tenant.id, async (tx) => {
      const id = await insertDataset(tx, STATISTICS_SLUG, fieldsOf(tenant, firstMonth(rows)), null);
      await journal(tx, {
        actor: ACTOR,
        action: 'catalogue.dataset.create',
        subjectType: 'dataset',
        subjectId: id,
        data: { slug: STATISTICS_SLUG, automatic: STATISTICS_JOB },
      });
      return id;
    });
  }
  const resources = await db.transaction(tenant.id, (tx) => listResources(tx, datasetId));
  const resource = resources.find((r) => r.versions[0]?.filename === STATISTICS_FILENAME) ?? resources.find((r) => r.versions.length === 0);

  const csv = Buffer.from(statisticsCsv(tenant.name, rows), 'utf8');
  const sha256 = createHash('sha256').update(csv).digest('hex');
  let outcome: StatisticsOutcome = existing ? 'unchanged' : 'created';
  if (resource?.versions[0]?.sha256 !== sha256) {
    const created: AdoptedBlob[] = [];
    try {
      const stored = await storeUpload(deps, tenant.id, Readable.from([csv]), {
        filename: STATISTICS_FILENAME,
        allowedTypes: ['text/csv'],
        maxBytes: maxUploadBytes(),
        onCreated: (b) => created.push(b),
      });
      const system: Principal = { tenantId: tenant.id, actor: ACTOR, personId: null, roles: ['data_steward'], t: translator('fr') };
      await addResourceVersion(
        deps,
        system,
        datasetId,
        resource
          ? { resourceId: resource.id }
          : {
              title: 'Statistiques des démarches (CSV)',
              description:
                'Une ligne par démarche, mois de dépôt et état ; colonnes décrites par le schéma bastide-statistiques-demarches. Encodage UTF-8, séparateur virgule.',
            },
        stored,
      );
    } catch (error) {
      // Nothing recorded refers to bytes this run stored: take them back (the daily file sweep would, later).
      const recorded = await db.transaction(tenant.id, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = $1', [sha256]));
      if (recorded.length === 0) for (const b of created) await b.discard();
      throw error;
    }
    if (existing) outcome = 'updated';
  }
  // Published once the first version is there (the draft of a run that stopped halfway, too).
  const state = existing?.state ?? 'draft';
  if (state === 'draft') {
    await db.transaction(tenant.id, async (tx) => {
      await setDatasetState(tx, datasetId, 'published');
      await journal(tx, {
        actor: ACTOR,
        action: 'catalogue.dataset.approve',
        subjectType: 'dataset',
        subjectId: datasetId,
        data: { automatic: STATISTICS_JOB },
      });
    });
  }
  return outcome;
}

/** Every collectivité, one after the other; one that fails does not stop the others (the job fails after, to be retried). */
export async function publishAllStatistics(deps: Deps): Promise<Record<string, StatisticsOutcome>> {
  const tenants = await deps.db.transaction(null, (tx) => tx.query<StatisticsTenant>('select id, slug, name, official_code from tenants order by slug'));
  const outcomes: Record<string, StatisticsOutcome> = {};
  const failures: string[] = [];
  for (const tenant of tenants) {
    try {
      outcomes[tenant.slug] = await publishStatistics(deps, tenant);
    } catch (error) {
      failures.push(`${tenant.slug}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length) throw new Error(`statistics not published for ${failures.join('; ')}`);
  return outcomes;
}

export function statisticsJobHandler(deps: Deps) {
  return async (_job: Job): Promise<void> => {
    await publishAllStatistics(deps);
  };
}

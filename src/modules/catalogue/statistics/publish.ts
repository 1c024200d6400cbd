// The daily job `catalogue.statistics`: for each collectivité that has dossiers, the statistics of its
// procedures (dossierStatistics, procedures' index.ts) as a dataset of its catalogue — « Statistiques des
// démarches en ligne », schema bastide-statistiques-demarches — published and in the DCAT feeds.
//
// The way to the catalogue is publishGeneratedDataset (generated/publish.ts), as for every dataset Bastide
// writes: a version only when the bytes change (same figures, same bytes: table.ts), validated like any
// upload, journaled as `system`, the stewards' datasets and decisions (review, archive) left alone.
// - Per tenant, in that tenant's transactions (row-level security): no figure of one collectivité can
//   reach another's file.
import type { Job } from '../../../core/jobs/runner.ts';
import type { AppDeps } from '../../../core/module.ts';
import { dossierStatistics } from '../../procedures/index.ts';
import { slugTaken } from '../catalogue.repository.ts';
import { publishGeneratedDataset } from '../generated/publish.ts';
import { isCogCode } from '../vocabularies.ts';
import { firstMonth, statisticsCsv, STATISTICS_FILENAME, STATISTICS_SCHEMA } from './table.ts';

export const STATISTICS_JOB = 'catalogue.statistics';
export const STATISTICS_SLUG = 'statistiques-demarches';

type Deps = Pick<AppDeps, 'db' | 'config'>;

export interface StatisticsTenant {
  id: string;
  slug: string;
  name: string;
  official_code: string | null;
}

export type StatisticsOutcome = 'none' | 'unchanged' | 'created' | 'updated' | 'skipped';

/** Publishes (or refreshes) one collectivité's statistics dataset; says what it did. */
export async function publishStatistics(deps: Deps, tenant: StatisticsTenant): Promise<StatisticsOutcome> {
  const rows = await deps.db.transaction(tenant.id, (tx) => dossierStatistics(tx));
  if (rows.length === 0 && !(await deps.db.transaction(tenant.id, (tx) => slugTaken(tx, STATISTICS_SLUG)))) return 'none';
  const since = firstMonth(rows);
  const { outcome } = await publishGeneratedDataset(deps, {
    tenantId: tenant.id,
    slug: STATISTICS_SLUG,
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
    temporalStart: since ? `${since}-01` : null,
    schema: STATISTICS_SCHEMA,
    fileName: STATISTICS_FILENAME,
    csv: Buffer.from(statisticsCsv(tenant.name, rows), 'utf8'),
    actor: 'system',
    generator: STATISTICS_JOB,
    resourceTitle: 'Statistiques des démarches (CSV)',
    resourceDescription:
      'Une ligne par démarche, mois de dépôt et état ; colonnes décrites par le schéma bastide-statistiques-demarches. Encodage UTF-8, séparateur virgule.',
  });
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

// The roadmap as an open dataset of the collectivité's catalogue: one row per PUBLISHED project (never a
// draft), with its budgets, partners and the latest value of each of its indicators' — through the
// catalogue's publishGeneratedDataset (its index.ts) with the Table Schema below, so the file is validated
// like any upload and a new version appears only when a figure changes. Run by the daily measurement job
// and by the staff's "publish" button.
import type { AppDeps } from '../../core/module.ts';
import { publishGeneratedDataset, type GeneratedOutcome } from '../catalogue/index.ts';
import { listPartners, listProjects } from './projects.repository.ts';
import { listIndicators, valuesOf } from './indicators/indicators.repository.ts';

export const ROADMAP_DATASET_SLUG = 'feuille-de-route-numerique';
const GENERATOR = 'roadmap.dataset';
// The catalogue's rule for a COG code (a 9-digit EPCI SIREN, a 5-character commune code…), for `spatial`.
const COG = /^(FR|\d{2}|2[AB]|97\d|\d[\dAB]\d{3}|\d{9})$/;

const field = (name: string, type: string, description: string, extra: Record<string, unknown> = {}) => ({ name, type, description, ...extra });

/** Table Schema of the file (frictionless specs, as the catalogue validates it). */
export const ROADMAP_SCHEMA = {
  name: 'bastide-feuille-de-route-numerique',
  title: 'Feuille de route numérique d’une collectivité',
  fields: [
    field('collectivite', 'string', 'Nom de la collectivité porteuse', { constraints: { required: true } }),
    field('projet', 'string', 'Adresse (slug) du projet', { constraints: { required: true, unique: true } }),
    field('intitule', 'string', 'Intitulé du projet', { constraints: { required: true } }),
    field('theme', 'string', 'Thème', {
      constraints: {
        required: true,
        enum: ['data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g'],
      },
    }),
    field('etape', 'string', 'Étape', { constraints: { required: true, enum: ['idea', 'study', 'running', 'delivered', 'dropped'] } }),
    field('date_debut', 'date', 'Date de début'),
    field('date_fin', 'date', 'Date de fin'),
    field('budget_investissement', 'integer', 'Budget d’investissement en euros', { constraints: { required: true, minimum: 0, maximum: 1000000000 } }),
    field('budget_fonctionnement', 'integer', 'Budget de fonctionnement en euros', { constraints: { required: true, minimum: 0, maximum: 1000000000 } }),
    field('partenaires', 'string', 'Collectivités partenaires d’un projet mutualisé, séparées par « ; »'),
    field('indicateurs', 'string', 'Indicateurs du projet : « nom = dernière valeur unité (date) », séparés par « ; »'),
  ],
  primaryKey: ['projet'],
};

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function roadmapCsv(deps: Pick<AppDeps, 'db'>, tenantId: string, tenantName: string): Promise<{ csv: string; rows: number }> {
  return deps.db.transaction(tenantId, async (tx) => {
    const projects = await listProjects(tx, { publishedOnly: true });
    const indicators = await listIndicators(tx, { publicOnly: true });
    const values = await valuesOf(
      tx,
      indicators.map((i) => i.id),
    );
    const lines = [ROADMAP_SCHEMA.fields.map((f) => f.name).join(',')];
    for (const p of projects) {
      const partners = (await listPartners(tx, p.id)).map((x) => x.name).join(' ; ');
      const measures = indicators
        .filter((i) => i.project_id === p.id)
        .map((i) => {
          const last = values.filter((v) => v.indicator_id === i.id).at(-1);
          return last ? `${i.name} = ${last.value} ${i.unit} (${last.measured_on})` : `${i.name} = -`;
        })
        .join(' ; ');
      lines.push(
        [tenantName, p.slug, p.title, p.theme, p.stage, p.start_on, p.end_on, p.budget_investment, p.budget_operation, partners, measures]
          .map(csvCell)
          .join(','),
      );
    }
    return { csv: `${lines.join('\r\n')}\r\n`, rows: projects.length };
  });
}

/** Publishes (or refreshes) the dataset; 'none' while no project is published and no dataset exists yet. */
export async function publishRoadmapDataset(
  deps: Pick<AppDeps, 'db' | 'config'>,
  tenant: { id: string; name: string; official_code: string | null },
  actor = 'system',
): Promise<GeneratedOutcome | 'none'> {
  const { csv, rows } = await roadmapCsv(deps, tenant.id, tenant.name);
  if (rows === 0) return 'none';
  const { outcome } = await publishGeneratedDataset(deps, {
    tenantId: tenant.id,
    slug: ROADMAP_DATASET_SLUG,
    title: `Feuille de route numérique – ${tenant.name}`.slice(0, 200),
    description:
      `Les projets numériques publiés de ${tenant.name} : thème, étape, période, budgets d’investissement et de fonctionnement, ` +
      'collectivités partenaires des projets mutualisés et dernière valeur de leurs indicateurs. Mis à jour chaque jour par Bastide.',
    keywords: ['feuille de route', 'numérique', 'projets', 'budget'],
    themes: ['GOVE'],
    licence: 'etalab-2.0',
    frequency: 'CONT',
    spatial: tenant.official_code && COG.test(tenant.official_code) ? [tenant.official_code] : [],
    schema: ROADMAP_SCHEMA,
    fileName: 'feuille-de-route-numerique.csv',
    csv: Buffer.from(csv, 'utf8'),
    actor,
    generator: GENERATOR,
    resourceTitle: 'Projets de la feuille de route (CSV)',
    resourceDescription: 'Une ligne par projet publié ; colonnes décrites par le schéma joint. Encodage UTF-8, séparateur virgule.',
  });
  return outcome;
}

/** Every collectivité with a published project; one that fails does not stop the others (the job fails after). */
export async function publishAllRoadmapDatasets(deps: Pick<AppDeps, 'db' | 'config'>): Promise<void> {
  const tenants = await deps.db.ownerTransaction((tx) =>
    tx.query<{ id: string; name: string; official_code: string | null }>(
      'select t.id, t.name, t.official_code from tenants t where exists (select 1 from roadmap_projects p where p.tenant_id = t.id and p.published) order by t.slug',
    ),
  );
  const failures: string[] = [];
  for (const tenant of tenants) {
    try {
      await publishRoadmapDataset(deps, tenant);
    } catch (error) {
      failures.push(`${tenant.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length) throw new Error(`roadmap dataset not published for ${failures.join('; ')}`);
}

// Demo data of the catalogue (`bastide seed demo`): in each demo EPCI, the data steward prepares a
// published subsidies dataset (a valid SCDL file, then a second version), a draft with a file that has
// errors (to show a report), and a dataset in review holding personal data. Built with the module's own
// actions, so the demo goes through the same checks, journal and validation as real use.
// Idempotent: a collectivité that already has the subsidies dataset is left as it is.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../core/module.ts';
import type { Database } from '../../core/db/database.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { storeUpload } from '../../core/files/upload.ts';
import { DEMO_DOMAIN, DEMO_TENANTS } from '../../core/seed/demo.ts';
import type { Role } from '../../core/base/roles.ts';
import type { Principal } from './catalogue.policy.ts';
import { createDataset, transitionDataset, updateDataset } from './actions/datasets.ts';
import { addResourceVersion, LEGACY_TEXT, RESOURCE_TYPES } from './actions/upload-version.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;
const FIXTURES = new URL('./seed-fixtures/', import.meta.url);

async function personId(db: Database, email: string): Promise<string | null> {
  return (await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [email])))?.id ?? null;
}

function principal(tenantId: string, id: string | null, roles: Role[]): Principal {
  return { tenantId, actor: id ? `person:${id}` : 'seed', personId: id, roles, t: translator('fr') };
}

async function upload(deps: Seed, p: Principal, datasetId: string, file: string, target: { resourceId?: string; title?: string; description?: string }) {
  const bytes = readFileSync(new URL(file, FIXTURES));
  const stored = await storeUpload({ config: deps.config }, p.tenantId, Readable.from([bytes]), {
    maxBytes: 10_000_000,
    allowedTypes: RESOURCE_TYPES,
    legacyText: LEGACY_TEXT,
    filename: file,
  });
  return addResourceVersion(deps, p, datasetId, target, stored);
}

export async function seedCatalogueDemo(deps: Seed, log: (line: string) => void = () => {}): Promise<void> {
  const stewardId = await personId(deps.db, `donnees@${DEMO_DOMAIN}`);
  const adminId = await personId(deps.db, `admin@${DEMO_DOMAIN}`);
  for (const t of DEMO_TENANTS.filter((x) => x.kind === 'epci')) {
    const tenant = await deps.db.transaction(null, (tx) =>
      tx.one<{ id: string; name: string; official_code: string }>('select id, name, official_code from tenants where slug = $1', [t.slug]),
    );
    if (!tenant) continue;
    const done = await deps.db.transaction(tenant.id, (tx) => tx.one(`select 1 from catalogue_datasets where slug = 'subventions-attribuees'`));
    if (done) continue;
    const steward = principal(tenant.id, stewardId, ['data_steward']);
    const admin = principal(tenant.id, adminId, ['tenant_admin']);
    const common = { licence: 'etalab-2.0', spatial: tenant.official_code, publisher: tenant.name, contact_point: `opendata@${t.slug}.example.fr` };

    const subsidies = await createDataset(deps.db, steward, { title: 'Subventions attribuées' });
    await updateDataset(deps.db, steward, subsidies.id, {
      ...common,
      title: 'Subventions attribuées',
      description: `Subventions versées par ${tenant.name} aux associations et autres organismes, au format SCDL (données essentielles des conventions de subvention).`,
      keywords: 'subventions, associations, budget',
      themes: ['ECON', 'GOVE'],
      frequency: 'ANNUAL',
      temporal_start: '2016-01-01',
      temporal_end: '2016-12-31',
      schema: 'scdl-subventions',
    });
    const first = await upload(deps, steward, subsidies.id, 'subventions-valide.csv', {
      title: 'Subventions 2016',
      description: 'Conventions signées en 2016.',
    });
    await upload(deps, steward, subsidies.id, 'subventions-valide.csv', { resourceId: first.resourceId });
    await transitionDataset(deps.db, steward, subsidies.id, 'submit');
    await transitionDataset(deps.db, admin, subsidies.id, 'approve');

    const draft = await createDataset(deps.db, steward, { title: 'Subventions 2017 (à corriger)' });
    await updateDataset(deps.db, steward, draft.id, {
      ...common,
      title: 'Subventions 2017 (à corriger)',
      description: 'Premier export du logiciel financier : le rapport de validation dit quoi corriger avant publication.',
      keywords: 'subventions, associations',
      themes: ['ECON'],
      frequency: 'ANNUAL',
      schema: 'scdl-subventions',
    });
    await upload(deps, steward, draft.id, 'subventions-erreurs.csv', { title: 'Subventions 2017' });

    const personal = await createDataset(deps.db, steward, { title: 'Élus du conseil communautaire' });
    await updateDataset(deps.db, steward, personal.id, {
      ...common,
      title: 'Élus du conseil communautaire',
      description: 'Nom, commune et délégations des conseillers communautaires.',
      keywords: 'élus, gouvernance',
      themes: ['GOVE'],
      frequency: 'IRREG',
      personal_data: 'true',
    });
    await transitionDataset(deps.db, steward, personal.id, 'submit');
    log(`catalogue de ${tenant.name} : 3 jeux de données (/${t.slug}/donnees)`);
  }
}

// Demo data of the catalogue (`bastide seed demo`): in each demo EPCI, the data steward prepares a
// published subsidies dataset (a valid SCDL file, then a second version), a draft with a file that has
// errors (to show a report), a dataset in review holding personal data, and published délibérations,
// équipements and budget datasets (SCDL files filled in with the collectivité's name and SIRET). Built
// with the module's own actions, so the demo goes through the same checks, journal and validation as real
// use. Idempotent per dataset (by its slug): a second run adds only what is missing.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../core/module.ts';
import type { Database } from '../../core/db/database.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { storeUpload } from '../../core/files/upload.ts';
import { DEMO_DOMAIN, DEMO_TENANTS } from '../../core/seed/demo.ts';
import { luhnValid } from '../../core/territory/luhn.ts';
import type { Role } from '../../core/base/roles.ts';
import type { Principal } from './catalogue.policy.ts';
import { createDataset, transitionDataset, updateDataset } from './actions/datasets.ts';
import { addResourceVersion, LEGACY_TEXT, RESOURCE_TYPES } from './actions/upload-version.ts';
import { publishStatistics, STATISTICS_SLUG } from './statistics/publish.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;
const FIXTURES = new URL('./seed-fixtures/', import.meta.url);

async function personId(db: Database, email: string): Promise<string | null> {
  return (await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = lower($1)', [email])))?.id ?? null;
}

function principal(tenantId: string, id: string | null, roles: Role[]): Principal {
  return { tenantId, actor: id ? `person:${id}` : 'seed', personId: id, roles, t: translator('fr') };
}

async function upload(
  deps: Seed,
  p: Principal,
  datasetId: string,
  file: string,
  target: { resourceId?: string; title?: string; description?: string },
  vars?: Record<string, string>,
) {
  let bytes = readFileSync(new URL(file, FIXTURES));
  if (vars) bytes = Buffer.from(fill(bytes.toString('utf8'), vars));
  const stored = await storeUpload({ config: deps.config }, p.tenantId, Readable.from([bytes]), {
    maxBytes: 10_000_000,
    allowedTypes: RESOURCE_TYPES,
    legacyText: LEGACY_TEXT,
    filename: file,
  });
  return addResourceVersion(deps, p, datasetId, target, stored);
}

/** A template's `{{NAME}}` replaced by its value, quoted as a CSV field when it needs to be. */
function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`seed template: no value for {{${name}}}`);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  });
}

/** The collectivité's SIREN with the first establishment number (NIC) that makes a SIRET Luhn accepts. */
export function demoSiret(siren: string): string {
  for (let nic = 10; nic < 100_000; nic++) {
    const siret = `${siren}${String(nic).padStart(5, '0')}`;
    if (luhnValid(siret)) return siret;
  }
  throw new Error(`no SIRET for ${siren}`);
}

/** Where each demo EPCI's equipment stands: its seat (commune, postcode, INSEE code, street, coordinates). */
const SEATS: Record<string, { commune: string; cp: string; insee: string; voie: string; lat: number; lon: number }> = {
  'nantes-metropole': { commune: 'Nantes', cp: '44000', insee: '44109', voie: 'Cours du Champ de Mars', lat: 47.2133, lon: -1.5456 },
  'toulouse-metropole': { commune: 'Toulouse', cp: '31000', insee: '31555', voie: 'Rue René Leduc', lat: 43.6108, lon: 1.4559 },
  sicoval: { commune: 'Labège', cp: '31670', insee: '31254', voie: 'Rue du Chêne Vert', lat: 43.5436, lon: 1.5125 },
  'cc-lacq-orthez': { commune: 'Mourenx', cp: '64150', insee: '64410', voie: 'Rond-point des Chênes', lat: 43.3802, lon: -0.6267 },
};

function templateVars(slug: string, name: string, siren: string): Record<string, string> {
  const seat = SEATS[slug] ?? SEATS['nantes-metropole']!;
  const at = (k: number) => ({ [`LAT${k || ''}`]: (seat.lat + k * 0.011).toFixed(6), [`LON${k || ''}`]: (seat.lon - k * 0.013).toFixed(6) });
  return {
    COLL_NOM: name,
    COLL_SIRET: demoSiret(siren),
    PREF: `0${seat.insee.slice(0, 2)}-${siren}`,
    BASE: `https://www.${slug}.example.fr`,
    SLUG: slug,
    COMMUNE: seat.commune,
    CP: seat.cp,
    INSEE: seat.insee,
    VOIE: seat.voie,
    ...at(0),
    ...at(2),
    ...at(3),
    ...at(4),
  };
}

export async function seedCatalogueDemo(deps: Seed, log: (line: string) => void = () => {}): Promise<void> {
  const stewardId = await personId(deps.db, `donnees@${DEMO_DOMAIN}`);
  const adminId = await personId(deps.db, `admin@${DEMO_DOMAIN}`);
  for (const t of DEMO_TENANTS.filter((x) => x.kind === 'epci')) {
    const tenant = await deps.db.transaction(null, (tx) =>
      tx.one<{ id: string; name: string; official_code: string }>('select id, name, official_code from tenants where slug = $1', [t.slug]),
    );
    if (!tenant) continue;
    const existing = new Set(
      (await deps.db.transaction(tenant.id, (tx) => tx.query<{ slug: string }>('select slug from catalogue_datasets'))).map((r) => r.slug),
    );
    const steward = principal(tenant.id, stewardId, ['data_steward']);
    const admin = principal(tenant.id, adminId, ['tenant_admin']);
    const common = { licence: 'etalab-2.0', spatial: tenant.official_code, publisher: tenant.name, contact_point: `opendata@${t.slug}.example.fr` };

    const vars = templateVars(t.slug, tenant.name, tenant.official_code);
    let added = 0;
    /** Each dataset once (by its slug): an installation seeded before a dataset was added gets it on the next run. */
    const once = async (slug: string, build: () => Promise<void>) => {
      if (existing.has(slug)) return;
      await build();
      added++;
    };

    await once('subventions-attribuees', async () => {
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
    });

    await once('subventions-2017-a-corriger', async () => {
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
    });

    await once('elus-du-conseil-communautaire', async () => {
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
    });

    // Three more published SCDL datasets, written for the demo from each schema's documentation (the SCDL
    // repositories ship no example for them): the collectivité's name and a SIRET of its SIREN filled in.
    const published = async (title: string, fields: Record<string, string | string[]>, file: string, resource: { title: string; description: string }) => {
      const d = await createDataset(deps.db, steward, { title });
      await updateDataset(deps.db, steward, d.id, { ...common, title, ...fields });
      await upload(deps, steward, d.id, file, resource, vars);
      await transitionDataset(deps.db, steward, d.id, 'submit');
      await transitionDataset(deps.db, admin, d.id, 'approve');
    };
    await once('deliberations-du-conseil-communautaire', () =>
      published(
        'Délibérations du conseil communautaire',
        {
          description: `Les délibérations adoptées par le conseil communautaire de ${tenant.name} : objet, matière (nomenclature Actes), votes et transmission au contrôle de légalité.`,
          keywords: 'délibérations, conseil communautaire, actes',
          themes: ['GOVE', 'JUST'],
          frequency: 'MONTHLY',
          temporal_start: '2024-01-01',
          temporal_end: '2024-12-31',
          schema: 'scdl-deliberations',
        },
        'deliberations.csv',
        { title: 'Délibérations 2024', description: 'Séances de février à octobre 2024.' },
      ),
    );
    await once('equipements-collectifs', () =>
      published(
        'Équipements collectifs',
        {
          description: `Les équipements publics gérés par ${tenant.name} (siège, piscine, médiathèque, déchèterie) : adresse, coordonnées, horaires et contacts.`,
          keywords: 'équipements, piscine, médiathèque, déchèterie',
          themes: ['SOCI', 'REGI'],
          frequency: 'ANNUAL',
          schema: 'scdl-equipements',
        },
        'equipements.csv',
        { title: 'Équipements collectifs', description: 'Un équipement par ligne, géolocalisé.' },
      ),
    );
    await once('budget-primitif-2024', () =>
      published(
        'Budget primitif 2024',
        {
          description: `Le budget primitif 2024 du budget principal de ${tenant.name}, par chapitre, nature et fonction (extrait), au format SCDL budget.`,
          keywords: 'budget, finances, budget primitif',
          themes: ['ECON', 'GOVE'],
          frequency: 'ANNUAL',
          temporal_start: '2024-01-01',
          temporal_end: '2024-12-31',
          schema: 'scdl-budget',
        },
        'budget-primitif.csv',
        { title: 'Budget primitif 2024 — budget principal', description: 'Prévisions votées, en euros.' },
      ),
    );
    if (added) log(`catalogue de ${tenant.name} : ${added} jeu(x) de données ajouté(s) (/${t.slug}/donnees)`);
    // The statistics of the demo's dossiers (procedures seeds them first): what the daily job publishes.
    const stats = await publishStatistics(deps, { id: tenant.id, slug: t.slug, name: tenant.name, official_code: tenant.official_code });
    if (stats === 'created') log(`catalogue de ${tenant.name} : statistiques des démarches publiées (/${t.slug}/donnees/${STATISTICS_SLUG})`);
  }
}

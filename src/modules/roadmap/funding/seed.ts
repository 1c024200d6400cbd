// Demo data of funding (`bastide seed demo`, after the projects' seed): the programmes the seed names, then
// applications for the demo projects. Idempotent: programmes by slug, applications by project and programme.
import type { AppDeps } from '../../../core/module.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { readProgrammeInput } from './programme-input.ts';
import { insertProgramme, recordProgrammeChange } from './programmes.repository.ts';
import { SEED_PROGRAMMES } from './seed-programmes.ts';
import { createApplication } from './actions/applications.ts';
import type { ApplicationInput } from './application-input.ts';
import { HttpError } from '../../../core/base/errors.ts';

type Seed = Pick<AppDeps, 'db' | 'config'>;

export async function seedProgrammes(deps: Seed): Promise<number> {
  const t = translator('fr');
  let added = 0;
  for (const { slug, input } of SEED_PROGRAMMES) {
    const read = readProgrammeInput(input, t);
    if (!read.ok) throw new Error(`seed programme ${slug}: ${JSON.stringify(read.errors)}`);
    await deps.db.ownerTransaction(async (tx) => {
      if (await tx.one('select 1 from roadmap_programmes where slug = $1', [slug])) return;
      const id = await insertProgramme(tx, slug, read.fields);
      await recordProgrammeChange(tx, id, 'seed', 'create', { slug, name: read.fields.name, funder: read.fields.funder });
      added += 1;
    });
  }
  return added;
}

// Demo applications of the co-chairing collectivités' projects (slugs of roadmap/seed-data.ts). Amounts and
// dates are illustrative, not the real files of these collectivités.
const DEMO_APPLICATIONS: Array<{ tenant: string; project: string; programme: string; input: ApplicationInput }> = [
  {
    tenant: 'nantes-metropole',
    project: 'plateforme-relation-usagers',
    programme: 'france-relance-transformation-numerique-des-collectivites',
    input: {
      status: 'granted',
      amount_asked: 400000,
      amount_granted: 320000,
      amount_paid: 160000,
      submitted_on: '2021-03-15',
      decided_on: '2021-07-08',
      paid_on: '2021-10-01',
    },
  },
  {
    tenant: 'nantes-metropole',
    project: 'gouvernance-donnee-territoriale',
    programme: 'feder-2021-2027',
    input: { status: 'submitted', amount_asked: 180000, submitted_on: '2022-05-02' },
  },
  {
    tenant: 'nantes-metropole',
    project: 'numerique-responsable-ecoconception',
    programme: 'france-relance-transformation-numerique-des-collectivites',
    input: { status: 'planned', amount_asked: 60000 },
  },
  {
    tenant: 'toulouse-metropole',
    project: 'portail-services-en-ligne',
    programme: 'france-relance-transformation-numerique-des-collectivites',
    input: {
      status: 'granted',
      amount_asked: 300000,
      amount_granted: 250000,
      amount_paid: 250000,
      submitted_on: '2021-03-01',
      decided_on: '2021-06-15',
      paid_on: '2022-01-20',
    },
  },
  {
    tenant: 'cc-lacq-orthez',
    project: 'zones-blanches-mobiles',
    programme: 'detr-dotation-d-equipement-des-territoires-ruraux',
    input: { status: 'granted', amount_asked: 120000, amount_granted: 90000, submitted_on: '2022-01-31', decided_on: '2022-04-12' },
  },
  {
    tenant: 'sicoval',
    project: 'france-services-itinerant',
    programme: 'dsil-dotation-de-soutien-a-l-investissement-local',
    input: { status: 'submitted', amount_asked: 75000, submitted_on: '2022-02-15' },
  },
];

export async function seedFundingDemo(deps: Seed, log: (line: string) => void): Promise<void> {
  const added = await seedProgrammes(deps);
  const t = translator('fr');
  let applications = 0;
  for (const a of DEMO_APPLICATIONS) {
    const tenant = await deps.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [a.tenant]));
    if (!tenant) continue;
    const project = await deps.db.transaction(tenant.id, (tx) => tx.one('select 1 from roadmap_projects where slug = $1', [a.project]));
    if (!project) continue;
    try {
      await createApplication(deps.db, { tenantId: tenant.id, actor: 'seed', roles: ['tenant_admin'], t }, a.project, a.programme, a.input);
      applications += 1;
    } catch (error) {
      // Already there (a second run): nothing doubles.
      if (!(error instanceof HttpError && error.statusCode === 409)) throw error;
    }
  }
  log(`roadmap funding: ${added} programme(s), ${applications} application(s) added`);
}

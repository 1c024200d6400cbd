// Demo: Les Interconnectés (shared/seed, the commission "Numérique" of 4 February 2021), its four co-chairing
// members, the commission and the board, the meeting, the adopted Cité+ contribution with its document and
// two endorsements, the forum of 17–18 March 2021, Territoir'Prod, and a few solutions with their users.
// Idempotent: the network's content is written once (the commission is the marker); members and the
// network's administrator are upserted.
import { Readable } from 'node:stream';
import type { AppDeps } from '../../../core/module.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import { hashPassword } from '../../../core/auth/passwords.ts';
import { journal } from '../../../core/audit/journal.ts';
import { DEMO_DOMAIN, DEMO_PASSWORD } from '../../../core/seed/demo.ts';
import { storeUpload } from '../../../core/files/upload.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { renderPdf } from '../../procedures/index.ts';
import * as act from './actions.ts';
import { createSolution } from './solutions.ts';
import { declareSolutionUse, endorse } from './member-actions.ts';
import { DOCUMENT_TYPES } from './upload.ts';

export const DEMO_NETWORK = 'les-interconnectes';
const MEMBERS = ['nantes-metropole', 'toulouse-metropole', 'sicoval', 'cc-lacq-orthez'];
export const NETWORK_ADMIN_EMAIL = `reseau@${DEMO_DOMAIN}`;

async function tenantId(deps: Pick<AppDeps, 'db'>, slug: string): Promise<string | null> {
  return (await deps.db.transaction(null, (tx) => tx.one<{ id: string }>('select id from tenants where slug = $1', [slug])))?.id ?? null;
}

export async function seedNetworkDemo(deps: Pick<AppDeps, 'db' | 'config'>, log: (line: string) => void): Promise<void> {
  const { db } = deps;
  let networkId = await tenantId(deps, DEMO_NETWORK);
  if (!networkId) {
    const created = await createTenant(db, { kind: 'network', name: 'Les Interconnectés', slug: DEMO_NETWORK, actor: 'seed' });
    if (!created.ok) throw new Error(`demo network: ${created.message}`);
    networkId = created.tenant.id;
    log(`réseau Les Interconnectés (/${DEMO_NETWORK}/reseau)`);
  }
  // Founding members: written as the owner, as the host would when setting the network up.
  for (const slug of MEMBERS) {
    const id = await tenantId(deps, slug);
    if (!id) continue;
    await db.ownerTransaction(async (tx) => {
      const added = await tx.execute(
        `insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, 'network_member') on conflict do nothing`,
        [id, networkId],
      );
      if (added)
        await journal(tx, { tenantId: networkId, actor: 'seed', action: 'roadmap.network.member.join', subjectType: 'tenant', subjectId: id, data: { slug } });
    });
  }
  const adminId = await db.transaction(
    null,
    async (tx) =>
      (await tx.one<{ id: string }>(
        `insert into people (email, display_name, password_hash, email_verified_at) values ($1, 'Secrétariat des Interconnectés', $2, now())
       on conflict ((lower(email))) do update set display_name = excluded.display_name returning id`,
        [NETWORK_ADMIN_EMAIL, await hashPassword(DEMO_PASSWORD)],
      ))!.id,
  );
  await db.transaction(networkId, (tx) =>
    tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'tenant_admin') on conflict do nothing`, [adminId]),
  );
  // The demo's administrator (admin@…, Nantes Métropole's) also sits in the network's secretariat, so that
  // the browser tour, which signs in with the demo accounts, reaches the secretariat's pages (staff-forms.ts).
  // Being a member's administrator gives nothing in the network: this is a membership of its own.
  const tourAdmin = await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = $1', [`admin@${DEMO_DOMAIN}`]));
  if (tourAdmin)
    await db.transaction(networkId, (tx) =>
      tx.query(`insert into memberships (tenant_id, person_id, role) values (app_tenant(), $1, 'tenant_admin') on conflict do nothing`, [tourAdmin.id]),
    );

  const done = await db.transaction(networkId, (tx) => tx.one(`select 1 from network_bodies where slug = 'numerique'`));
  if (done) return;
  const a = { networkId, actor: 'seed', t: translator('fr') };
  await act.createBody(db, a, {
    slug: 'numerique',
    kind: 'commission',
    name: 'Commission « Numérique »',
    description:
      'Commune à France urbaine, à l’AdCF et aux Interconnectés : les orientations politiques du numérique des grandes villes et des intercommunalités.',
  });
  await act.createBody(db, a, {
    slug: 'conseil-d-administration',
    kind: 'board',
    name: 'Conseil d’administration',
    description: 'Douze élus, pour les orientations générales de l’association.',
  });
  const seats = [
    ['nantes-metropole', 'Francky Trichet', 'vice-président de Nantes Métropole en charge de l’Innovation et du Numérique'],
    ['toulouse-metropole', 'Bertrand Serp', 'vice-président de Toulouse Métropole en charge du Numérique'],
    ['sicoval', 'Jacques Oberti', 'président du Sicoval'],
    ['cc-lacq-orthez', 'Marlène le Dieu de Ville', 'vice-présidente déléguée à l’économie numérique de la CC de Lacq-Orthez'],
  ];
  for (const [member, holder_name, holder_title] of seats) {
    await act.addSeat(db, a, 'numerique', { member: member!, seat_role: 'Co-présidence', holder_name, holder_title, since: '2021-02-04' });
  }
  await act.addMeeting(db, a, 'numerique', {
    held_on: '2021-02-04',
    title: 'Réunion de la commission « Numérique »',
    place: 'Visioconférence',
    agenda: [
      'Renouvellement des co-présidences',
      'Feuille de route de la commission et statuts des Interconnectés',
      'Plan de relance : transformation numérique des collectivités',
      'Numérique responsable et durable, CRTE, fonds européens 2021-2027',
      'Débats locaux sur la 5G',
    ],
    minutes:
      'Les co-présidences sont renouvelées.\n\nLa commission retient trois priorités pour les prochains mois : la data, le numérique responsable et durable, l’aménagement numérique du territoire.\n\nElle entérine la contribution du groupe Cité+ au Plan de relance.',
    minutes_public: true,
  });
  await act.createContribution(db, a, {
    slug: 'contribution-cite-plus',
    title: 'Contribution du groupe Cité+ au Plan de relance',
    summary:
      'Les DSI des grandes villes et métropoles proposent de financer, sur l’enveloppe de 88 M€ du Plan de relance, des dispositifs existants que les coopérations territoriales peuvent reprendre.',
    topics: ['Cloud souverain', 'Plateforme de services de relation aux usagers', 'Gouvernance territoriale de la donnée', 'Archivage numérique'],
    visibility: 'public',
  });
  const pdf = renderPdf({
    title: 'Contribution Cité+',
    blocks: [
      { type: 'title', text: 'Contribution du groupe Cité+ au Plan de relance' },
      {
        type: 'paragraph',
        text: 'Cloud souverain ; plateforme de services de relation aux usagers ; gouvernance territoriale de la donnée ; archivage numérique.',
      },
    ],
  });
  const stored = await storeUpload(deps, networkId, Readable.from([pdf]), {
    maxBytes: 1024 * 1024,
    allowedTypes: DOCUMENT_TYPES,
    filename: 'contribution-cite-plus.pdf',
  });
  await act.addVersion(db, a, 'contribution-cite-plus', stored, 'Version entérinée par la commission');
  await act.adoptContribution(db, a, 'contribution-cite-plus', { body: 'numerique', adopted_on: '2021-02-04' });
  const contribution = (await db.transaction(networkId, (tx) =>
    tx.one<{ id: string }>(`select id from network_contributions where slug = 'contribution-cite-plus'`),
  ))!;
  const demoAdmin = await db.transaction(null, (tx) => tx.one<{ id: string }>('select id from people where lower(email) = $1', [`admin@${DEMO_DOMAIN}`]));
  for (const slug of ['toulouse-metropole', 'sicoval']) {
    const id = await tenantId(deps, slug);
    if (id && demoAdmin) await endorse(db, { tenantId: id, personId: demoAdmin.id }, DEMO_NETWORK, contribution.id, 'Nous portons ces propositions.');
  }
  await act.createEvent(db, a, {
    slug: 'forum-2021',
    kind: 'forum',
    title: 'Forum des Interconnectés 2021',
    description: 'Le temps fort de l’année, dans un format dématérialisé.',
    starts_on: '2021-03-17',
    ends_on: '2021-03-18',
    online: true,
    sessions: [
      {
        starts_at: '2021-03-17T09:30:00+01:00',
        ends_at: '2021-03-17T10:30:00+01:00',
        title: 'Ouverture : le numérique dans le Plan de relance',
        speakers: 'Co-présidents de la commission « Numérique »',
      },
      {
        starts_at: '2021-03-17T14:00:00+01:00',
        ends_at: '2021-03-17T15:30:00+01:00',
        title: 'Gouvernance territoriale de la donnée',
        speakers: 'DSI du groupe Cité+',
      },
      { starts_at: '2021-03-18T09:30:00+01:00', ends_at: '2021-03-18T11:00:00+01:00', title: 'Numérique responsable et CRTE', speakers: '' },
      { starts_at: '2021-03-18T14:00:00+01:00', ends_at: '2021-03-18T15:00:00+01:00', title: 'Débats locaux sur la 5G : partager les kits', speakers: '' },
    ],
  });
  await act.createProgramme(db, a, {
    slug: 'territoir-prod',
    name: 'Territoir’Prod',
    description: 'Programme d’accompagnement thématisé au bénéfice des collectivités : ateliers, retours d’expérience, productions communes.',
  });
  const solutions = [
    {
      slug: 'bastide',
      name: 'Bastide',
      kind: 'software',
      theme: 'relation aux usagers',
      licence: 'AGPL-3.0-or-later',
      description: 'Démarches, données, archives, débats et feuille de route.',
    },
    {
      slug: 'publik',
      name: 'Publik',
      kind: 'software',
      theme: 'relation aux usagers',
      licence: 'AGPL-3.0',
      link: 'https://publik.entrouvert.com',
      description: 'Gestion de la relation usagers.',
    },
    {
      slug: 'as-alae',
      name: 'As@lae',
      kind: 'software',
      theme: 'archivage',
      licence: 'AGPL-3.0',
      link: 'https://adullact.net',
      description: 'Système d’archivage électronique.',
    },
    {
      slug: 'udata',
      name: 'udata',
      kind: 'software',
      theme: 'données',
      licence: 'AGPL-3.0',
      link: 'https://github.com/opendatateam/udata',
      description: 'Portail de données ouvertes.',
    },
  ] as const;
  for (const s of solutions) await createSolution(db, a, s);
  const uses: Array<[string, string, string, string]> = [
    ['nantes-metropole', 'udata', 'Service données de la métropole', 'Portail stable, moissonné par data.gouv.fr.'],
    ['toulouse-metropole', 'publik', 'Direction du numérique', 'Bonne couverture des démarches courantes.'],
    ['sicoval', 'as-alae', 'Archives intercommunales', 'Mutualisé avec le centre de gestion.'],
    ['cc-lacq-orthez', 'publik', 'Service informatique', 'Déploiement en cours.'],
  ];
  for (const [member, solution, referent, opinion] of uses) {
    const id = await tenantId(deps, member);
    if (id && demoAdmin)
      await declareSolutionUse(db, { tenantId: id, personId: demoAdmin.id }, DEMO_NETWORK, solution, { referent, opinion, since: '2020-01-01' });
  }
  log(`réseau : commission « Numérique », contribution Cité+, forum 2021, Territoir’Prod, ${solutions.length} solutions`);
}

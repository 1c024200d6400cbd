// The demo roadmaps of the four collectivités co-chairing the commission « Numérique » (seed: 4 February
// 2021), built from its priorities: sovereign cloud, citizen-relations platform, territorial data
// governance, digital archiving (the Cité+ contribution), responsible digital, digital coverage of the
// territory, inclusion against illectronism, and the 5G debates.
//
// PROJECT SLUGS (for funding/ H7 and network/ H8, whose demo seeds run after this one):
//   nantes-metropole:   cloud-souverain-mutualise (POOLED: partners toulouse-metropole, sicoval, cc-lacq-orthez),
//                       plateforme-relation-usagers, gouvernance-donnee-territoriale, archivage-numerique-mutualise,
//                       conseillers-numeriques-inclusion, numerique-responsable-ecoconception, debat-local-5g,
//                       fibre-batiments-publics (DRAFT, not published)
//   toulouse-metropole: portail-services-en-ligne, donnees-ouvertes-metropolitaines, charte-5g-concertation,
//                       couverture-tres-haut-debit, sobriete-numerique-dsi
//   sicoval:            france-services-itinerant, archivage-electronique-sicoval, observatoire-donnees-territoire
//   cc-lacq-orthez:     zones-blanches-mobiles, illectronisme-ateliers, guichet-unique-en-ligne
import type { ProjectBodyT } from './roadmap.schema.ts';
import type { Source, Unit } from './roadmap.schema.ts';

export interface DemoIndicator {
  name: string;
  unit: Unit;
  target?: number;
  target_on?: string;
  source?: Source;
  /** Manual values [date, value]. */
  values?: Array<[string, number]>;
}

export interface DemoProject {
  slug: string;
  body: ProjectBodyT;
  indicators?: DemoIndicator[];
}

const q = (year: number, values: number[]): Array<[string, number]> =>
  values.map((v, i) => [`${year + Math.floor((i * 3) / 12)}-${String(((i * 3) % 12) + 1).padStart(2, '0')}-01`, v]);

/** Indicators Bastide measures itself, on every demo roadmap. */
export const MEASURED: DemoIndicator[] = [
  { name: 'Dossiers déposés en ligne par mois', unit: 'count', source: 'dossiers_online' },
  { name: 'Jeux de données publiés', unit: 'count', source: 'datasets_published', target: 20, target_on: '2026-12-31' },
  { name: 'Qualité moyenne des jeux de données', unit: 'percent', source: 'dataset_quality', target: 80, target_on: '2026-12-31' },
  { name: 'Volume archivé', unit: 'megabyte', source: 'archive_volume' },
  { name: 'Participation aux concertations', unit: 'count', source: 'debate_participation' },
  { name: 'EcoIndex des pages publiques Bastide', unit: 'score', source: 'ecoindex', target: 75, target_on: '2026-12-31' },
];

const P = (b: Partial<ProjectBodyT> & Pick<ProjectBodyT, 'title' | 'theme'>): ProjectBodyT => ({ published: true, ...b });

export const DEMO_ROADMAPS: Record<string, DemoProject[]> = {
  'nantes-metropole': [
    {
      slug: 'cloud-souverain-mutualise',
      body: P({
        title: 'Cloud souverain mutualisé',
        theme: 'hosting',
        stage: 'running',
        description:
          'Héberger les applications métier des collectivités partenaires dans un cloud qualifié SecNumCloud, opéré en France, sous une gouvernance commune (contribution Cité+ à la commission « Numérique », 4 février 2021).\n\nNantes Métropole porte le marché ; Toulouse Métropole, le Sicoval et la CC de Lacq-Orthez y contribuent.',
        start_on: '2021-03-01',
        end_on: '2024-12-31',
        budget_investment: 2400000,
        budget_operation: 350000,
        partners: [
          { tenant: 'toulouse-metropole', contribution: 400000 },
          { tenant: 'sicoval', contribution: 80000 },
          { tenant: 'cc-lacq-orthez', contribution: 40000 },
        ],
      }),
      indicators: [
        {
          name: 'Applications hébergées dans le cloud souverain',
          unit: 'count',
          target: 40,
          target_on: '2024-12-31',
          values: q(2021, [0, 3, 7, 12, 16, 21, 24, 29]),
        },
      ],
    },
    {
      slug: 'plateforme-relation-usagers',
      body: P({
        title: 'Plateforme de relation usagers',
        theme: 'citizen_relations',
        stage: 'running',
        description:
          'Toutes les démarches de la métropole et des communes en ligne, avec un suivi du dossier, un accueil par les médiateurs numériques pour qui ne peut pas le faire seul, et les statistiques publiées en données ouvertes.',
        start_on: '2021-01-15',
        end_on: '2023-06-30',
        budget_investment: 1100000,
        budget_operation: 180000,
        links: [
          { kind: 'procedure', ref: 'demande-de-subvention-associative' },
          { kind: 'dataset', ref: 'statistiques-demarches' },
        ],
      }),
      indicators: [
        {
          name: 'Part des démarches accessibles en ligne',
          unit: 'percent',
          target: 80,
          target_on: '2023-06-30',
          values: q(2021, [22, 30, 41, 48, 57, 63, 70, 74, 78]),
        },
      ],
    },
    {
      slug: 'gouvernance-donnee-territoriale',
      body: P({
        title: 'Gouvernance territoriale de la donnée',
        theme: 'data',
        stage: 'study',
        description:
          'Un référent données par direction, un catalogue unique des jeux publiés avec les communes, des schémas nationaux (SCDL) pour chaque publication obligatoire.',
        start_on: '2021-04-01',
        end_on: '2022-12-31',
        budget_investment: 450000,
        budget_operation: 120000,
        links: [
          { kind: 'dataset', ref: 'subventions-attribuees' },
          { kind: 'dataset', ref: 'deliberations-du-conseil-communautaire' },
        ],
      }),
    },
    {
      slug: 'archivage-numerique-mutualise',
      body: P({
        title: 'Archivage numérique mutualisé',
        theme: 'archiving',
        stage: 'running',
        description:
          'Un système d’archivage électronique commun, des versements SEDA 2.3 depuis les démarches closes, le contrôle d’intégrité et les éliminations visées par les Archives départementales.',
        start_on: '2021-06-01',
        end_on: '2023-12-31',
        budget_investment: 800000,
        budget_operation: 90000,
      }),
    },
    {
      slug: 'conseillers-numeriques-inclusion',
      body: P({
        title: 'Conseillers numériques et lutte contre l’illectronisme',
        theme: 'inclusion',
        stage: 'running',
        description:
          'Douze conseillers numériques dans les pôles de proximité, des ateliers et l’accompagnement des démarches en ligne avec le consentement de la personne aidée.',
        start_on: '2021-02-01',
        end_on: '2022-12-31',
        budget_investment: 150000,
        budget_operation: 400000,
      }),
      indicators: [
        { name: 'Personnes accompagnées', unit: 'count', target: 6000, target_on: '2022-12-31', values: q(2021, [310, 980, 1720, 2540, 3390, 4300, 5120]) },
      ],
    },
    {
      slug: 'numerique-responsable-ecoconception',
      body: P({
        title: 'Numérique responsable : écoconception des services',
        theme: 'responsible_digital',
        stage: 'running',
        description:
          'Mesurer l’empreinte des services en ligne (EcoIndex mesuré chaque mois par Bastide), allonger la durée de vie des équipements, un référentiel d’écoconception dans les marchés.',
        start_on: '2021-09-01',
        end_on: '2023-12-31',
        budget_investment: 120000,
        budget_operation: 60000,
      }),
    },
    {
      slug: 'debat-local-5g',
      body: P({
        title: 'Débat local sur la 5G',
        theme: 'new_tech_5g',
        stage: 'delivered',
        description:
          'Concertation du 1er au 27 mars 2021 en six thèmes (usages, environnement, santé, économie, aménagement, sécurité et libertés) avec un kit de décryptage ; synthèse le 31 mars.',
        start_on: '2021-03-01',
        end_on: '2021-03-31',
        budget_investment: 0,
        budget_operation: 60000,
      }),
    },
    {
      slug: 'fibre-batiments-publics',
      body: {
        title: 'Fibre optique dans les bâtiments publics',
        theme: 'infrastructure',
        stage: 'idea',
        description: 'Projet en préparation, non publié.',
        budget_investment: 900000,
        budget_operation: 30000,
        published: false,
      },
    },
  ],
  'toulouse-metropole': [
    {
      slug: 'portail-services-en-ligne',
      body: P({
        title: 'Portail des services en ligne',
        theme: 'citizen_relations',
        stage: 'running',
        start_on: '2021-02-01',
        end_on: '2023-12-31',
        budget_investment: 1300000,
        budget_operation: 220000,
        description: 'Un compte usager unique pour les démarches de la métropole et de ses 37 communes.',
      }),
    },
    {
      slug: 'donnees-ouvertes-metropolitaines',
      body: P({
        title: 'Données ouvertes métropolitaines',
        theme: 'data',
        stage: 'running',
        start_on: '2021-01-01',
        end_on: '2022-12-31',
        budget_investment: 300000,
        budget_operation: 150000,
      }),
    },
    {
      slug: 'charte-5g-concertation',
      body: P({
        title: 'Charte de la téléphonie mobile et 5G',
        theme: 'new_tech_5g',
        stage: 'study',
        start_on: '2021-04-01',
        end_on: '2021-12-31',
        budget_investment: 0,
        budget_operation: 45000,
      }),
    },
    {
      slug: 'couverture-tres-haut-debit',
      body: P({
        title: 'Couverture très haut débit des zones d’activité',
        theme: 'infrastructure',
        stage: 'running',
        start_on: '2021-01-01',
        end_on: '2024-06-30',
        budget_investment: 3500000,
        budget_operation: 100000,
      }),
    },
    {
      slug: 'sobriete-numerique-dsi',
      body: P({ title: 'Sobriété numérique de la DSI', theme: 'responsible_digital', stage: 'idea', budget_investment: 80000, budget_operation: 20000 }),
    },
  ],
  sicoval: [
    {
      slug: 'france-services-itinerant',
      body: P({
        title: 'France Services itinérant',
        theme: 'inclusion',
        stage: 'running',
        start_on: '2021-05-01',
        end_on: '2023-04-30',
        budget_investment: 120000,
        budget_operation: 160000,
        description: 'Un bus France Services dans les 36 communes, avec un conseiller numérique.',
      }),
    },
    {
      slug: 'archivage-electronique-sicoval',
      body: P({
        title: 'Archivage électronique intercommunal',
        theme: 'archiving',
        stage: 'study',
        start_on: '2021-09-01',
        end_on: '2023-06-30',
        budget_investment: 200000,
        budget_operation: 40000,
      }),
    },
    {
      slug: 'observatoire-donnees-territoire',
      body: P({ title: 'Observatoire des données du territoire', theme: 'data', stage: 'idea', budget_investment: 60000, budget_operation: 25000 }),
    },
  ],
  'cc-lacq-orthez': [
    {
      slug: 'zones-blanches-mobiles',
      body: P({
        title: 'Résorption des zones blanches mobiles',
        theme: 'infrastructure',
        stage: 'running',
        start_on: '2021-01-01',
        end_on: '2023-12-31',
        budget_investment: 650000,
        budget_operation: 15000,
        description: 'Pylônes du dispositif de couverture ciblée et relevés de couverture partagés avec les opérateurs.',
      }),
    },
    {
      slug: 'illectronisme-ateliers',
      body: P({
        title: 'Ateliers contre l’illectronisme',
        theme: 'inclusion',
        stage: 'running',
        start_on: '2021-03-01',
        end_on: '2022-12-31',
        budget_investment: 20000,
        budget_operation: 70000,
      }),
    },
    {
      slug: 'guichet-unique-en-ligne',
      body: P({
        title: 'Guichet unique en ligne',
        theme: 'citizen_relations',
        stage: 'study',
        start_on: '2021-06-01',
        end_on: '2022-12-31',
        budget_investment: 90000,
        budget_operation: 20000,
      }),
    },
  ],
};

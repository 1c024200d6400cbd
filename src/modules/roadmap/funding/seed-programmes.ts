// The programmes the seed names (the 2021 roadmap of the commission « Numérique »), with their public facts.
// Shipped as demo data; the host edits them afterwards like any other programme. Sources: the ministries'
// announcements of 25 January 2021 (88 M€, three axes of 30, 24 and 34 M€, until 2022), the Prime
// Minister's circular of 20 November 2020 (CRTE), Regulation (EU) 2021/1060 art. 112 (co-financing caps of
// 40/60/85 % by category of region), the CGCT (DSIL art. L2334-42, DETR art. L2334-33, and the project
// owner's minimum 20 % share, art. L1111-10 — hence a rate of 80 % at most).
import type { ProgrammeInput } from './programme-input.ts';

const ALL_THEMES = ['data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g'];
const LOCAL = ['commune', 'epci', 'departement', 'region'];

export const SEED_PROGRAMMES: Array<{ slug: string; input: ProgrammeInput }> = [
  {
    slug: 'france-relance-transformation-numerique-des-collectivites',
    input: {
      name: 'France Relance — Transformation numérique des collectivités territoriales',
      funder: 'État — ministère de la Transformation et de la Fonction publiques (DINUM, DITP, ANCT)',
      nature: 'grant',
      description:
        'Fonds de 88 M€ du plan France Relance annoncé le 25 janvier 2021, jusqu’en 2022, en trois axes : co-construction de solutions numériques communes (30 M€, ANCT), guichet national pour les projets d’ampleur des métropoles, départements et régions (24 M€), guichets territoriaux des préfectures pour les projets de toutes tailles (34 M€). Démarches en ligne, données, relation aux usagers, inclusion.',
      audiences: LOCAL,
      territory: ['FR'],
      themes: ['data', 'citizen_relations', 'inclusion', 'responsible_digital', 'hosting', 'archiving'],
      max_rate: 80,
      opens_on: '2021-01-25',
      closes_on: '2022-12-31',
      recurrence: 'one_off',
      url: 'https://www.numerique.gouv.fr/actualites/france-relance-88-millions-deuros-pour-la-transformation-numerique-des-collectivites-territoriales/',
    },
  },
  {
    slug: 'crte-contrat-de-relance-et-de-transition-ecologique',
    input: {
      name: 'Contrat de relance et de transition écologique (CRTE)',
      funder: 'État — préfectures et Agence nationale de la cohésion des territoires (ANCT)',
      nature: 'engineering',
      description:
        'Contrat pluriannuel signé entre l’État et un territoire (à l’échelle intercommunale) pour la durée du mandat, créé par la circulaire du Premier ministre du 20 novembre 2020. Il rassemble les projets du territoire et les crédits de l’État (DSIL, DETR…) et porte la transition écologique, dont le numérique responsable.',
      audiences: ['epci', 'commune'],
      territory: ['FR'],
      themes: ALL_THEMES,
      opens_on: '2020-11-20',
      closes_on: '2026-12-31',
      recurrence: 'permanent',
      url: 'https://agence-cohesion-territoires.gouv.fr/crte',
    },
  },
  {
    slug: 'feder-2021-2027',
    input: {
      name: 'FEDER 2021-2027 — Europe plus intelligente et plus connectée',
      funder: 'Union européenne (Fonds européen de développement régional), géré par les conseils régionaux',
      nature: 'grant',
      description:
        'Programmes régionaux du FEDER pour 2021-2027 : objectif stratégique 1 (tirer parti de la numérisation au bénéfice des citoyens et des administrations) et connectivité numérique. Cofinancement de l’Union plafonné à 40 % dans les régions les plus développées, 60 % dans les régions en transition, 85 % dans les régions moins développées (règlement (UE) 2021/1060, art. 112).',
      audiences: ['commune', 'epci', 'departement', 'region', 'syndicate'],
      territory: ['FR'],
      themes: ['data', 'infrastructure', 'citizen_relations', 'responsible_digital', 'inclusion', 'new_tech_5g'],
      max_rate: 85,
      opens_on: '2021-01-01',
      closes_on: '2027-12-31',
      recurrence: 'permanent',
      url: 'https://www.europe-en-france.gouv.fr/fr/programmes-europeens-2021-2027',
    },
  },
  {
    slug: 'dsil-dotation-de-soutien-a-l-investissement-local',
    input: {
      name: 'Dotation de soutien à l’investissement local (DSIL)',
      funder: 'État — préfet de région',
      nature: 'grant',
      description:
        'Dotation annuelle de l’État (article L2334-42 du CGCT) pour les investissements des communes et EPCI à fiscalité propre, dont le développement du numérique et de la téléphonie mobile. Le maître d’ouvrage garde au moins 20 % du financement (article L1111-10).',
      audiences: ['commune', 'epci'],
      territory: ['FR'],
      themes: ['infrastructure', 'responsible_digital', 'new_tech_5g', 'citizen_relations', 'inclusion'],
      max_rate: 80,
      recurrence: 'annual',
      url: 'https://www.collectivites-locales.gouv.fr/finances-locales/dotation-de-soutien-linvestissement-local-dsil',
    },
  },
  {
    slug: 'detr-dotation-d-equipement-des-territoires-ruraux',
    input: {
      name: 'Dotation d’équipement des territoires ruraux (DETR)',
      funder: 'État — préfet de département',
      nature: 'grant',
      description:
        'Dotation annuelle de l’État (articles L2334-32 et suivants du CGCT) pour les investissements des communes rurales et de leurs groupements : communes de 2 000 habitants au plus, ou jusqu’à 20 000 sous condition de potentiel financier, EPCI de 75 000 habitants au plus. Taux fixé chaque année par la commission départementale, dans la limite de 80 %.',
      audiences: ['commune', 'epci'],
      territory: ['FR'],
      themes: ALL_THEMES,
      population_max: 75000,
      max_rate: 80,
      recurrence: 'annual',
      url: 'https://www.collectivites-locales.gouv.fr/finances-locales/dotation-dequipement-des-territoires-ruraux-detr',
    },
  },
];

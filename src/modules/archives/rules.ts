// Management rules (SEDA 2.3 ManagementMetadata): the rule library shipped to every collectivité, and the
// computation of a unit's effective rules from its own and its ancestors' (SEDA inheritance, as Vitam
// computes it): each category is inherited from the parent unless the unit sets PreventInheritance for it;
// RefNonRuleId removes named inherited rules. A rule's end is its start date plus its duration.
// Pure functions, no database.

export const RULE_CATEGORIES = ['appraisal', 'access', 'dissemination', 'reuse', 'storage', 'classification', 'hold'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export function isRuleCategory(value: unknown): value is RuleCategory {
  return typeof value === 'string' && (RULE_CATEGORIES as readonly string[]).includes(value);
}

export type FinalAction = 'keep' | 'destroy' | 'restrict_access' | 'transfer' | 'copy';

export interface LibraryRule {
  code: string;
  category: RuleCategory;
  label: string;
  /** Years; null = unlimited. */
  duration_years: number | null;
  final_action: FinalAction | null;
  legal_ground: string;
}

/**
 * Communicability delays of public archives, Code du patrimoine art. L213-1 and L213-2 (as amended by
 * law 2008-696 and law 2016-925), shipped to every collectivité. The codes are Bastide's; the legal
 * ground says which paragraph each one applies, so that an archivist can check it.
 */
export const ACCESS_LIBRARY: LibraryRule[] = [
  {
    code: 'ACC-00',
    category: 'access',
    label: 'Communicable immédiatement',
    duration_years: 0,
    final_action: null,
    legal_ground: 'Code du patrimoine, art. L213-1 : les archives publiques sont communicables de plein droit.',
  },
  {
    code: 'ACC-25',
    category: 'access',
    label: '25 ans à compter de la date du document le plus récent',
    duration_years: 25,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, I, 1° : secret des délibérations du pouvoir exécutif, conduite des relations extérieures, monnaie et crédit public, secret des affaires, recherche des infractions fiscales et douanières, secret statistique ; documents mentionnés à l'art. L311-5 du CRPA (hors secret de la défense nationale, sûreté de l'État, sécurité publique, vie privée).",
  },
  {
    code: 'ACC-25-DECES',
    category: 'access',
    label: "25 ans à compter du décès de l'intéressé",
    duration_years: 25,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, I, 2° : secret médical (date de départ : le décès ; si elle n'est pas connue, 120 ans à compter de la naissance, règle ACC-120-NAISSANCE).",
  },
  {
    code: 'ACC-50',
    category: 'access',
    label: '50 ans à compter de la date du document le plus récent',
    duration_years: 50,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, I, 3° : secret de la défense nationale, intérêts fondamentaux de l'État, sécurité publique, sécurité des personnes, protection de la vie privée, appréciation ou jugement de valeur sur une personne physique nommément désignée ou facilement identifiable.",
  },
  {
    code: 'ACC-75',
    category: 'access',
    label: '75 ans à compter de la date du document ou de la clôture du dossier',
    duration_years: 75,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, I, 4° : enquêtes de police judiciaire, affaires portées devant les juridictions, minutes et répertoires des notaires, registres de naissance et de mariage de l'état civil (à compter de leur clôture), données d'ordre privé des enquêtes statistiques.",
  },
  {
    code: 'ACC-100',
    category: 'access',
    label: '100 ans à compter de la date du document ou de la clôture du dossier',
    duration_years: 100,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, I, 5° : documents des 4° lorsqu'ils se rapportent à une personne mineure, ou à des violences sexuelles ; documents couverts par le secret de la défense nationale dont la communication porte atteinte à la sécurité de personnes nommément désignées.",
  },
  {
    code: 'ACC-120-NAISSANCE',
    category: 'access',
    label: "120 ans à compter de la naissance de l'intéressé",
    duration_years: 120,
    final_action: null,
    legal_ground: "Code du patrimoine, art. L213-2, I, 2° : secret médical lorsque la date du décès de l'intéressé n'est pas connue.",
  },
  {
    code: 'ACC-INCOMMUNICABLE',
    category: 'access',
    label: 'Incommunicable',
    duration_years: null,
    final_action: null,
    legal_ground:
      "Code du patrimoine, art. L213-2, II : archives dont la communication est susceptible d'entraîner la diffusion d'informations permettant de concevoir, fabriquer, utiliser ou localiser des armes nucléaires, biologiques, chimiques ou toute autre arme de destruction massive.",
  },
];

/** A few appraisal rules collectivités use for their own records (Instruction DAF/DPACI/RES/2009/018 and the like). */
export const APPRAISAL_LIBRARY: LibraryRule[] = [
  {
    code: 'APP-DOSSIER-10-D',
    category: 'appraisal',
    label: 'Dossier de demande instruit : 10 ans puis destruction',
    duration_years: 10,
    final_action: 'destroy',
    legal_ground:
      'Durée d’utilité administrative fixée par la collectivité (tableau de gestion), visa des Archives départementales requis avant élimination (Code du patrimoine, art. R212-14).',
  },
  {
    code: 'APP-DELIB-C',
    category: 'appraisal',
    label: 'Délibérations et arrêtés : conservation définitive',
    duration_years: 0,
    final_action: 'keep',
    legal_ground: 'Instruction DAF/DPACI/RES/2009/018 (archives des communes) : registres des délibérations et des arrêtés conservés.',
  },
  {
    code: 'APP-COMPTA-10-D',
    category: 'appraisal',
    label: 'Pièces comptables : 10 ans puis destruction',
    duration_years: 10,
    final_action: 'destroy',
    legal_ground: 'Pièces justificatives comptables après jugement des comptes ; élimination sous visa (Code du patrimoine, art. R212-14).',
  },
  {
    code: 'HOLD-CONTENTIEUX',
    category: 'hold',
    label: 'Gel : contentieux en cours',
    duration_years: null,
    final_action: null,
    legal_ground: 'Contentieux ou demande d’une autorité : aucune élimination tant que le gel n’est pas levé.',
  },
];

export const SHIPPED_LIBRARY: LibraryRule[] = [...ACCESS_LIBRARY, ...APPRAISAL_LIBRARY];

/** A rule attached to a unit, with the date from which its duration runs. */
export interface UnitRule {
  category: RuleCategory;
  rule_code: string;
  start_date: string | null;
}

/** What inheritance needs of a unit: its own rules and its blocks. */
export interface RuleNode {
  id: string;
  rules: UnitRule[];
  prevent_inheritance: RuleCategory[];
  /** Rule codes of inherited rules this unit does not take, per category. */
  ref_non_rule_ids: Partial<Record<RuleCategory, string[]>>;
}

export interface EffectiveRule {
  category: RuleCategory;
  code: string;
  label: string;
  start_date: string | null;
  /** null: unknown (no start date); 'infinity': never ends (unlimited duration). */
  end_date: string | null;
  final_action: FinalAction | null;
  legal_ground: string;
  /** The unit the rule is attached to (the unit itself, or the ancestor it is inherited from). */
  origin: string;
  /** The code is not in the library visible to the collectivité (should not happen: ingest checks it). */
  unknown: boolean;
}

/** `start + years` as an ISO date ('infinity' for an unlimited rule, null without a start date). */
export function endOf(start: string | null, years: number | null): string | null {
  if (years === null) return 'infinity';
  if (!start) return null;
  const d = new Date(`${start}T00:00:00Z`);
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0); // 29 February + n years: 28 February
  return d.toISOString().slice(0, 10);
}

/**
 * Effective rules of the last node of `chain` (root first). Each category: the parent's effective rules
 * unless the node prevents inheritance, minus its RefNonRuleIds, plus (or replacing, for the same code)
 * its own rules.
 */
export function effectiveRules(chain: RuleNode[], library: Map<string, LibraryRule>): EffectiveRule[] {
  let inherited: EffectiveRule[] = [];
  for (const node of chain) {
    const next: EffectiveRule[] = [];
    for (const category of RULE_CATEGORIES) {
      const blocked = new Set(node.ref_non_rule_ids[category] ?? []);
      const own = node.rules.filter((r) => r.category === category);
      const ownCodes = new Set(own.map((r) => r.rule_code));
      if (!node.prevent_inheritance.includes(category)) {
        next.push(...inherited.filter((r) => r.category === category && !blocked.has(r.code) && !ownCodes.has(r.code)));
      }
      for (const r of own) {
        const lib = library.get(r.rule_code);
        next.push({
          category,
          code: r.rule_code,
          label: lib?.label ?? r.rule_code,
          start_date: r.start_date,
          end_date: lib ? endOf(r.start_date, lib.duration_years) : null,
          final_action: lib?.final_action ?? null,
          legal_ground: lib?.legal_ground ?? '',
          origin: node.id,
          unknown: !lib || lib.category !== category,
        });
      }
    }
    inherited = next;
  }
  return inherited;
}

/** The latest of the end dates (null when one is unknown: the latest cannot be known either). */
function latest(ends: Array<string | null>): string | null {
  if (ends.some((e) => e === null)) return null;
  if (ends.includes('infinity')) return 'infinity';
  return ends.reduce<string | null>((max, e) => (max === null || e! > max ? e : max), null);
}

export interface RuleSummary {
  /** When the unit becomes communicable: null = no access rule (free); 'infinity' = never or unknown. */
  access_end: string | null;
  /** End of the appraisal period (the latest DUA), null without appraisal rule; 'infinity' if unknown. */
  appraisal_end: string | null;
  /** Keep wins over destroy (SEDA: Keep by default when none is given). */
  appraisal_final: 'keep' | 'destroy' | null;
}

export function summarize(rules: EffectiveRule[]): RuleSummary {
  const access = rules.filter((r) => r.category === 'access');
  const appraisal = rules.filter((r) => r.category === 'appraisal');
  // An access rule whose start is unknown keeps the unit closed: 'infinity', never "free".
  const accessEnd = access.length ? (latest(access.map((r) => r.end_date)) ?? 'infinity') : null;
  const appraisalEnd = appraisal.length ? (latest(appraisal.map((r) => r.end_date)) ?? 'infinity') : null;
  const final = appraisal.length ? (appraisal.every((r) => r.final_action === 'destroy') ? 'destroy' : 'keep') : null;
  return { access_end: accessEnd, appraisal_end: appraisalEnd, appraisal_final: final };
}

/** Communicable on `today` (ISO date): no access rule, or every one ended. */
export function communicable(accessEnd: string | null, today: string): boolean {
  return accessEnd === null || (accessEnd !== 'infinity' && accessEnd <= today);
}

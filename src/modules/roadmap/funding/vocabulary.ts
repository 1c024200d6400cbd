// The words of funding programmes, as Aides-territoires uses them, with the codes stored in the database
// (0820_roadmap_funding_programmes.sql checks the same lists).
export const NATURES = ['grant', 'loan', 'engineering', 'other'] as const;
export type Nature = (typeof NATURES)[number];

/** Kinds of collectivité a programme is open to (tenants.kind, without networks). */
export const AUDIENCES = ['commune', 'epci', 'departement', 'region', 'syndicate'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The roadmap project themes (0800_roadmap_projects.sql). */
export const THEMES = ['data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g'] as const;
export type Theme = (typeof THEMES)[number];

export const RECURRENCES = ['permanent', 'annual', 'one_off'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

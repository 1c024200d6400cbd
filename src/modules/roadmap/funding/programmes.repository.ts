// SQL of funding programmes (installation-wide: no tenant, no row-level security; the application role may
// only read them). Dates come back as 'YYYY-MM-DD' text and amounts as numbers on both engines.
import type { Tx } from '../../../core/db/database.ts';
import type { ProgrammeFields } from './programme-input.ts';
import type { Audience, Nature, Recurrence, Theme } from './vocabulary.ts';

export interface ProgrammeRow {
  id: string;
  slug: string;
  name: string;
  funder: string;
  nature: Nature;
  description: string;
  audiences: Audience[];
  territory: string[];
  themes: Theme[];
  population_min: number | null;
  population_max: number | null;
  max_rate: number | null;
  max_amount: number | null;
  opens_on: string | null;
  closes_on: string | null;
  recurrence: Recurrence;
  url: string;
  created_at: Date;
  updated_at: Date;
}

export const PROGRAMME_COLUMNS = `id, slug, name, funder, nature, description, audiences, territory, themes, population_min, population_max,
  max_rate, max_amount::float8 as max_amount, opens_on::text as opens_on, closes_on::text as closes_on, recurrence, url, created_at, updated_at`;

export interface ProgrammeSearch {
  /** Words of the name, funder or description. */
  q?: string;
  theme?: Theme;
  audience?: Audience;
  nature?: Nature;
  /** Only programmes not closed on this date. */
  openOn?: string;
  limit: number;
  offset: number;
}

export async function searchProgrammes(tx: Tx, s: ProgrammeSearch): Promise<{ rows: ProgrammeRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (s.q) add(`(name || ' ' || funder || ' ' || description) ilike ?`, `%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (s.theme) add('themes && array[?]::text[]', s.theme);
  if (s.audience) add('audiences && array[?]::text[]', s.audience);
  if (s.nature) add('nature = ?', s.nature);
  if (s.openOn) add('(closes_on is null or closes_on >= ?::date)', s.openOn);
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const total = await tx.one<{ n: number }>(`select count(*)::int as n from roadmap_programmes ${clause}`, params);
  const rows = await tx.query<ProgrammeRow>(
    `select ${PROGRAMME_COLUMNS} from roadmap_programmes ${clause} order by closes_on nulls last, name limit ${s.limit} offset ${s.offset}`,
    params,
  );
  return { rows, total: total?.n ?? 0 };
}

export async function findProgramme(tx: Tx, slug: string): Promise<ProgrammeRow | null> {
  return tx.one<ProgrammeRow>(`select ${PROGRAMME_COLUMNS} from roadmap_programmes where slug = $1`, [slug]);
}

export async function findProgrammeById(tx: Tx, id: string): Promise<ProgrammeRow | null> {
  return tx.one<ProgrammeRow>(`select ${PROGRAMME_COLUMNS} from roadmap_programmes where id = $1`, [id]);
}

export async function programmeSlugTaken(tx: Tx, slug: string): Promise<boolean> {
  return (await tx.one('select 1 from roadmap_programmes where slug = $1', [slug])) !== null;
}

const VALUES = (f: ProgrammeFields) => [
  f.name,
  f.funder,
  f.nature,
  f.description,
  f.audiences,
  f.territory,
  f.themes,
  f.population_min,
  f.population_max,
  f.max_rate,
  f.max_amount,
  f.opens_on,
  f.closes_on,
  f.recurrence,
  f.url,
];

/** Owner transaction only (the application role cannot write programmes). */
export async function insertProgramme(tx: Tx, slug: string, f: ProgrammeFields): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into roadmap_programmes (slug, name, funder, nature, description, audiences, territory, themes, population_min, population_max,
       max_rate, max_amount, opens_on, closes_on, recurrence, url)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
    [slug, ...VALUES(f)],
  );
  return row!.id;
}

export async function updateProgrammeFields(tx: Tx, id: string, f: ProgrammeFields): Promise<void> {
  await tx.query(
    `update roadmap_programmes set name = $2, funder = $3, nature = $4, description = $5, audiences = $6, territory = $7, themes = $8,
       population_min = $9, population_max = $10, max_rate = $11, max_amount = $12, opens_on = $13, closes_on = $14, recurrence = $15,
       url = $16, updated_at = now()
     where id = $1`,
    [id, ...VALUES(f)],
  );
}

export async function recordProgrammeChange(
  tx: Tx,
  programmeId: string,
  actor: string,
  action: 'create' | 'update',
  data: Record<string, unknown>,
): Promise<void> {
  await tx.query(`insert into roadmap_programme_changes (programme_id, actor, action, data) values ($1, $2, $3, $4)`, [
    programmeId,
    actor,
    action,
    JSON.stringify(data),
  ]);
}

/** The columns matching reads (no description: a candidate list is read for every project). */
export const MATCH_COLUMNS = `id, slug, name, funder, nature, audiences, territory, themes, population_min, population_max, max_rate,
  max_amount::float8 as max_amount, opens_on::text as opens_on, closes_on::text as closes_on, recurrence`;

export type CandidateRow = Omit<ProgrammeRow, 'description' | 'url' | 'created_at' | 'updated_at'>;

/**
 * The programmes a project may claim, before scoring: its collectivité's territory and kind and its theme
 * overlap the programme's (GIN indexes on the three arrays), and the programme is not closed on `today`.
 * Population, dates to come and amounts are scored afterwards (matching.ts), with reasons.
 */
export async function candidateProgrammes(
  tx: Tx,
  codes: string[],
  audience: string,
  theme: string,
  today: string,
  alsoIds: string[] = [],
): Promise<CandidateRow[]> {
  const prefilter = `territory && $1::text[] and audiences && array[$2]::text[] and themes && array[$3]::text[] and (closes_on is null or closes_on >= $4::date)`;
  if (alsoIds.length === 0)
    return tx.query<CandidateRow>(`select ${MATCH_COLUMNS} from roadmap_programmes where ${prefilter}`, [codes, audience, theme, today]);
  // And the programmes the project already applied to, whatever their state (closed since, say): scored with their reasons.
  return tx.query<CandidateRow>(`select ${MATCH_COLUMNS} from roadmap_programmes where (${prefilter}) or id = any($5::uuid[])`, [
    codes,
    audience,
    theme,
    today,
    alsoIds,
  ]);
}

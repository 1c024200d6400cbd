// SQL of funding programmes (installation-wide: no tenant, no row-level security; the application role may
// only read them). Dates come back as 'YYYY-MM-DD' text and amounts as numbers on both engines.
import type { Tx } from '../../../core/db/database.ts';
import { PROGRAMME_FIELDS, type ProgrammeField, type ProgrammeFields } from './programme-input.ts';
import type { Audience, Nature, Theme } from './vocabulary.ts';

export interface ProgrammeRow extends ProgrammeFields {
  id: string;
  slug: string;
  created_at: Date;
  updated_at: Date;
}

/** How a field reads back when it is not the bare column: dates as text, amounts (bigint) as numbers. */
const READ_AS: Partial<Record<ProgrammeField, string>> = {
  max_amount: 'max_amount::float8 as max_amount',
  opens_on: 'opens_on::text as opens_on',
  closes_on: 'closes_on::text as closes_on',
};
const selected = (fields: readonly ProgrammeField[]) => fields.map((f) => READ_AS[f] ?? f).join(', ');

export const PROGRAMME_COLUMNS = `id, slug, ${selected(PROGRAMME_FIELDS)}, created_at, updated_at`;

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

const VALUES = (f: ProgrammeFields) => PROGRAMME_FIELDS.map((k) => f[k]);
/** $2, $3…: $1 is the slug (insert) or the id (update). */
const PARAM = (i: number) => `$${i + 2}`;

/** Owner transaction only (the application role cannot write programmes). */
export async function insertProgramme(tx: Tx, slug: string, f: ProgrammeFields): Promise<string> {
  const row = await tx.one<{ id: string }>(
    `insert into roadmap_programmes (slug, ${PROGRAMME_FIELDS.join(', ')}) values ($1, ${PROGRAMME_FIELDS.map((_, i) => PARAM(i)).join(', ')}) returning id`,
    [slug, ...VALUES(f)],
  );
  return row!.id;
}

export async function updateProgrammeFields(tx: Tx, id: string, f: ProgrammeFields): Promise<void> {
  await tx.query(`update roadmap_programmes set ${PROGRAMME_FIELDS.map((k, i) => `${k} = ${PARAM(i)}`).join(', ')}, updated_at = now() where id = $1`, [
    id,
    ...VALUES(f),
  ]);
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

export interface ProgrammeChangeRow {
  id: string;
  at: Date;
  /** `person:<id>`, `token:<id>`, or `seed` (demo data). */
  actor: string;
  action: 'create' | 'update';
  /** create: `{ slug, name, funder }`; update: `{ changed: [field…], before: {field: value}, after: {field: value} }` (before and after since 0860's time; older updates name the fields only). */
  data: { changed?: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> } & Record<string, unknown>;
}

/** A programme's trail, newest first (the application role may read it; only the owner writes it, 0820). */
export async function listProgrammeChanges(tx: Tx, programmeId: string, limit = 200): Promise<ProgrammeChangeRow[]> {
  return tx.query<ProgrammeChangeRow>(
    `select id, at, actor, action, data from roadmap_programme_changes where programme_id = $1 order by at desc, id desc limit ${Math.max(1, Math.min(limit, 1000))}`,
    [programmeId],
  );
}

/** The fields matching reads (no description nor link: a candidate list is read for every project). */
const MATCH_FIELDS = PROGRAMME_FIELDS.filter((f) => f !== 'description' && f !== 'url');
export const MATCH_COLUMNS = `id, slug, ${selected(MATCH_FIELDS)}`;

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

// SQL of the archives: the rule library a collectivité sees, a unit's ancestry (for inheritance), the
// search, a unit with its rules, objects and history. Every query runs in a tenant transaction (RLS).
import type { Tx } from '../../core/db/database.ts';
import { isUuid } from '../../core/db/ids.ts';
import { SHIPPED_LIBRARY, type FinalAction, type LibraryRule, type RuleCategory, type RuleNode, type UnitRule } from './rules.ts';

export interface LibraryRow extends LibraryRule {
  /** 'shipped': Bastide's library (L213-2…); 'own': the collectivité's; 'host': shared by its host. */
  origin: 'shipped' | 'own' | 'host';
  shared: boolean;
}

/** Shipped rules, then the collectivité's own and those its host shares (archives_visible_rules()). */
export async function listLibrary(tx: Tx): Promise<LibraryRow[]> {
  const rows = await tx.query<{
    owner_tenant: string;
    code: string;
    category: RuleCategory;
    label: string;
    duration_years: number | null;
    final_action: FinalAction | null;
    legal_ground: string;
    shared: boolean;
  }>('select * from archives_visible_rules() order by category, code');
  const out: LibraryRow[] = SHIPPED_LIBRARY.map((r) => ({ ...r, origin: 'shipped', shared: false }));
  const taken = new Set(out.map((r) => r.code));
  for (const r of rows) {
    if (taken.has(r.code)) continue; // the collectivité's own code wins over the host's (own rows sort as any other)
    const origin = r.owner_tenant === tx.tenantId ? 'own' : 'host';
    if (origin === 'host' && rows.some((o) => o.code === r.code && o.owner_tenant === tx.tenantId)) continue;
    taken.add(r.code);
    out.push({
      code: r.code,
      category: r.category,
      label: r.label,
      duration_years: r.duration_years,
      final_action: r.final_action,
      legal_ground: r.legal_ground,
      origin,
      shared: r.shared,
    });
  }
  return out;
}

export async function visibleLibrary(tx: Tx): Promise<Map<string, LibraryRule>> {
  return new Map((await listLibrary(tx)).map((r) => [r.code, r]));
}

export interface AncestryNode extends RuleNode {
  title: string;
}

/** The unit and its ancestors (root first) with their rules; null when the unit does not exist. */
export async function loadAncestry(tx: Tx, unitId: string): Promise<{ nodes: AncestryNode[]; eliminated: boolean } | null> {
  if (!isUuid(unitId)) return null;
  const units = await tx.query<{
    id: string;
    title: string;
    depth: number;
    prevent_inheritance: RuleCategory[];
    ref_non_rule_ids: Partial<Record<RuleCategory, string[]>>;
    eliminated_at: Date | null;
  }>(
    `with recursive up as (
       select id, parent_id, title, prevent_inheritance, ref_non_rule_ids, eliminated_at, 0 as depth from archives_units where id = $1
       union all
       select u.id, u.parent_id, u.title, u.prevent_inheritance, u.ref_non_rule_ids, u.eliminated_at, up.depth + 1
       from archives_units u join up on u.id = up.parent_id where up.depth < 60)
     select id, title, depth, prevent_inheritance, ref_non_rule_ids, eliminated_at from up order by depth desc`,
    [unitId],
  );
  if (!units.length) return null;
  const rules = await tx.query<UnitRule & { unit_id: string; start_date: string | null }>(
    `select unit_id, category, rule_code, to_char(start_date, 'YYYY-MM-DD') as start_date from archives_unit_rules where unit_id = any($1) order by category, rule_code`,
    [units.map((u) => u.id)],
  );
  return {
    eliminated: units[units.length - 1]!.eliminated_at !== null,
    nodes: units.map((u) => ({
      id: u.id,
      title: u.title,
      prevent_inheritance: u.prevent_inheritance,
      ref_non_rule_ids: u.ref_non_rule_ids ?? {},
      rules: rules.filter((r) => r.unit_id === u.id).map((r) => ({ category: r.category, rule_code: r.rule_code, start_date: r.start_date })),
    })),
  };
}

export interface UnitRow {
  id: string;
  parent_id: string | null;
  ingest_id: string;
  level: string;
  title: string;
  description: string;
  start_date: string | null;
  end_date: string | null;
  originating_agency: string;
  submission_agency: string;
  archival_agency: string;
  transferring_agency: string;
  keywords: string[];
  access_end: string | null;
  appraisal_end: string | null;
  appraisal_final: 'keep' | 'destroy' | null;
  created_at: Date;
  eliminated_at: Date | null;
  elimination_id: string | null;
  object_count: number;
}

const UNIT_COLUMNS = `u.id, u.parent_id, u.ingest_id, u.level, u.title, u.description, to_char(u.start_date, 'YYYY-MM-DD') as start_date,
  to_char(u.end_date, 'YYYY-MM-DD') as end_date, u.originating_agency, u.submission_agency, u.archival_agency, u.transferring_agency, u.keywords,
  case when u.access_end = 'infinity' then 'infinity' else to_char(u.access_end, 'YYYY-MM-DD') end as access_end,
  case when u.appraisal_end = 'infinity' then 'infinity' else to_char(u.appraisal_end, 'YYYY-MM-DD') end as appraisal_end,
  u.appraisal_final, u.created_at, u.eliminated_at, u.elimination_id,
  (select count(*)::int from archives_objects o where o.unit_id = u.id) as object_count`;

export interface UnitSearch {
  q?: string;
  /** Only units communicable on this date (staff who are not archivists). */
  communicableOn?: string;
  /** A rule code the unit carries itself. */
  rule?: string;
  /** Units whose dates overlap [from, to]. */
  from?: string;
  to?: string;
  /** A parent unit id, or 'root' for units without parent. */
  parent?: string;
  limit: number;
  offset: number;
}

/** Search: French full text on title, keywords and description, filters; newest first (or by rank with q). */
export async function searchUnits(tx: Tx, s: UnitSearch): Promise<{ rows: UnitRow[]; total: number }> {
  const where: string[] = ['u.eliminated_at is null'];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  let rank = '';
  if (s.q) {
    const q = param(s.q);
    where.push(`u.search @@ websearch_to_tsquery('french', ${q})`);
    rank = `ts_rank(u.search, websearch_to_tsquery('french', ${q})) desc, `;
  }
  if (s.communicableOn) where.push(`(u.access_end is null or (u.access_end <> 'infinity' and u.access_end <= ${param(s.communicableOn)}::date))`);
  if (s.rule) where.push(`exists (select 1 from archives_unit_rules r where r.unit_id = u.id and r.rule_code = ${param(s.rule)})`);
  if (s.from) where.push(`coalesce(u.end_date, u.start_date) >= ${param(s.from)}::date`);
  if (s.to) where.push(`coalesce(u.start_date, u.end_date) <= ${param(s.to)}::date`);
  if (s.parent === 'root') where.push('u.parent_id is null');
  else if (s.parent) where.push(`u.parent_id = ${param(s.parent)}`);
  const clause = where.join(' and ');
  const total = (await tx.one<{ n: number }>(`select count(*)::int as n from archives_units u where ${clause}`, params))!.n;
  const rows = await tx.query<UnitRow>(
    `select ${UNIT_COLUMNS} from archives_units u where ${clause} order by ${rank}u.created_at desc, u.id limit ${param(s.limit)} offset ${param(s.offset)}`,
    params,
  );
  return { rows, total };
}

export async function findUnit(tx: Tx, id: string): Promise<UnitRow | null> {
  if (!isUuid(id)) return null;
  return tx.one<UnitRow>(`select ${UNIT_COLUMNS} from archives_units u where u.id = $1`, [id]);
}

export async function listChildren(tx: Tx, id: string, limit = 200): Promise<Array<{ id: string; title: string; level: string }>> {
  return tx.query(`select id, title, level from archives_units where parent_id = $1 order by created_at, id limit $2`, [id, limit]);
}

export interface ObjectRow {
  id: string;
  unit_id: string;
  filename: string;
  sha256: string;
  sha512: string;
  size: number;
  format_id: string | null;
  mime: string;
  format_name: string;
  usage: string;
  created_at: Date;
  eliminated_at: Date | null;
  last_check: Date | null;
  last_outcome: string | null;
}

const OBJECT_COLUMNS = `o.id, o.unit_id, o.filename, o.sha256, o.sha512, o.size::float8 as size, o.format_id, o.mime, o.format_name, o.usage, o.created_at,
  o.eliminated_at, f.checked_at as last_check, f.outcome as last_outcome`;

/** A unit's objects, the first `limit` of them (a deposit may hold thousands: pages and answers stay bounded). */
export async function listObjects(tx: Tx, unitId: string, limit = 200): Promise<ObjectRow[]> {
  return tx.query<ObjectRow>(
    `select ${OBJECT_COLUMNS} from archives_objects o left join archives_fixity f on f.object_id = o.id where o.unit_id = $1 order by o.created_at, o.id limit $2`,
    [unitId, limit],
  );
}

export async function findObject(tx: Tx, unitId: string, objectId: string): Promise<ObjectRow | null> {
  if (!isUuid(objectId)) return null;
  return tx.one<ObjectRow>(
    `select ${OBJECT_COLUMNS} from archives_objects o left join archives_fixity f on f.object_id = o.id where o.unit_id = $1 and o.id = $2`,
    [unitId, objectId],
  );
}

export interface HistoryRow {
  at: Date;
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

/** The journal entries about a unit: its ingest, holds placed and lifted, its elimination. */
export async function unitHistory(tx: Tx, unit: Pick<UnitRow, 'id' | 'ingest_id' | 'elimination_id'>): Promise<HistoryRow[]> {
  return tx.query<HistoryRow>(
    `select at, actor, action, data from journal_entries
     where (subject_type = 'archive_ingest' and subject_id = $1) or (subject_type = 'archive_unit' and subject_id = $2)
        or (subject_type = 'archive_elimination' and subject_id = $3)
     order by at, id limit 200`,
    [unit.ingest_id, unit.id, unit.elimination_id ?? ''],
  );
}

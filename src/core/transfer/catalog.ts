// What a collectivité owns, read from the database catalogue rather than from a list: every table of the
// public schema with a `tenant_id` column (the same set src/core/db/tenant-tables.test.ts holds under
// row-level security), its columns, its primary key and its foreign keys. A module added later is then
// exported, imported and moved with no change here. The order of tables is a topological sort of their
// foreign keys, so that importing them in that order never refers to a row not yet written.
import type { Tx } from '../db/database.ts';

export interface Column {
  name: string;
  type: string;
  notNull: boolean;
  /** `generated always as identity` or a generated column: its value cannot be given on insert. */
  generated: 'identity' | 'stored' | null;
}

export interface ForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Foreign keys of this table (to any table). */
  foreignKeys: ForeignKey[];
  /** Columns filled by a sequence (`default nextval(…)`): the sequence is moved past imported values. */
  sequences: Array<{ column: string; sequence: string }>;
  /**
   * For an installation-wide reference table (no tenant_id; e.g. the roadmap's funding programmes, shipped
   * with the product and edited by the host): the unique column that names a row on every installation.
   * Declared by the table's comment `bastide:reference key=<column>`. A collectivité's rows may point to
   * such rows: the archive names them by this key and the import finds them here by it.
   */
  referenceKey?: string;
}

const REFERENCE_COMMENT = /^bastide:reference key=([a-z_][a-z0-9_]{0,62})\b/;

/** Table names are checked against this before they reach SQL (they are quoted too). */
export const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Every ordinary table of the public schema, with its columns, keys and sequences. */
export async function readCatalog(tx: Tx): Promise<Map<string, TableInfo>> {
  const columns = await tx.query<{ table: string; name: string; type: string; not_null: boolean; identity: string; generated: string }>(
    `select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
            a.attidentity::text as identity, a.attgenerated::text as generated
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  const keys = await tx.query<{ table: string; kind: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null }>(
    `select con.conrelid::regclass::text as table, con.contype::text as kind,
            array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as columns,
            case when con.contype = 'f' then con.confrelid::regclass::text end as ref_table,
            case when con.contype = 'f' then array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) end as ref_columns
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and con.contype in ('p', 'f')
      order by con.conname`,
  );
  const sequences = await tx.query<{ table: string; column: string; sequence: string }>(
    `select c.relname as table, a.attname as column, s.relname as sequence
       from pg_attrdef d
       join pg_class c on c.oid = d.adrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
       join pg_depend dep on dep.classid = 'pg_attrdef'::regclass and dep.objid = d.oid and dep.refclassid = 'pg_class'::regclass
       join pg_class s on s.oid = dep.refobjid and s.relkind = 'S'
      where n.nspname = 'public'`,
  );
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    let t = tables.get(c.table);
    if (!t) tables.set(c.table, (t = { name: c.table, columns: [], primaryKey: [], foreignKeys: [], sequences: [] }));
    t.columns.push({ name: c.name, type: c.type, notNull: c.not_null, generated: c.identity === 'a' ? 'identity' : c.generated === 's' ? 'stored' : null });
  }
  for (const k of keys) {
    const t = tables.get(k.table);
    if (!t) continue;
    if (k.kind === 'p') t.primaryKey = k.columns;
    else t.foreignKeys.push({ table: k.table, columns: k.columns, refTable: k.ref_table!, refColumns: k.ref_columns! });
  }
  for (const s of sequences) tables.get(s.table)?.sequences.push({ column: s.column, sequence: s.sequence });
  const comments = await tx.query<{ table: string; comment: string }>(
    `select c.relname as table, obj_description(c.oid, 'pg_class') as comment
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') like 'bastide:reference %'`,
  );
  for (const c of comments) {
    const t = tables.get(c.table);
    const key = REFERENCE_COMMENT.exec(c.comment)?.[1];
    if (t && key && !hasTenantId(t) && t.columns.some((col) => col.name === key)) t.referenceKey = key;
  }
  return tables;
}

export function hasTenantId(t: TableInfo): boolean {
  return t.columns.some((c) => c.name === 'tenant_id');
}

/** A foreign key of a collectivité's table to an installation-wide reference table, by one column. */
export function referenceKeys(t: TableInfo, catalog: Map<string, TableInfo>): Array<ForeignKey & { key: string }> {
  return t.foreignKeys.flatMap((fk) => {
    const key = catalog.get(fk.refTable)?.referenceKey;
    return key && fk.columns.length === 1 && fk.refColumns.length === 1 ? [{ ...fk, key }] : [];
  });
}

/**
 * The tables in an order where every table comes after the tables its foreign keys point to (a table
 * pointing to itself is handled by ordering its rows, see `selfReference`). Ties are broken by name so
 * the order is the same on every installation.
 */
export function dependencyOrder(tables: TableInfo[]): string[] {
  const names = new Set(tables.map((t) => t.name));
  const pending = new Map(tables.map((t) => [t.name, new Set(t.foreignKeys.map((f) => f.refTable).filter((r) => r !== t.name && names.has(r)))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (ready.length === 0) throw new Error(`foreign keys form a cycle between ${[...pending.keys()].join(', ')}`);
    for (const name of ready.sort()) {
      order.push(name);
      pending.delete(name);
      for (const deps of pending.values()) deps.delete(name);
    }
  }
  return order;
}

/** The foreign key of a table to itself (archives_units.parent_id), if any. */
export function selfReference(t: TableInfo): ForeignKey | null {
  return t.foreignKeys.find((f) => f.refTable === t.name) ?? null;
}

/** Columns of `t` that point to people (their rows must come along, and may be mapped on import). */
export function personColumns(t: TableInfo): string[] {
  return t.foreignKeys.filter((f) => f.refTable === 'people' && f.columns.length === 1).map((f) => f.columns[0]!);
}

/**
 * Secrets that let someone in or act as the collectivité: password hashes, TOTP seeds, token digests,
 * OpenID Connect client secrets. Left out of an export unless asked for (`--with-credentials`): by name,
 * so that a column added later under one of these names is covered.
 */
export function isCredentialColumn(name: string): boolean {
  return /password|secret|totp|(^|_)token_hash$/.test(name);
}

// Rows of a collectivité that point to installation-wide reference rows (catalog.ts `referenceKey`: the
// roadmap's funding programmes, shipped with the product and kept by the host). The archive does not carry
// those rows — they are not the collectivité's — but names each one it points to by its key (a programme's
// slug), in the manifest's `references`. The import finds them here by that key and rewrites the ids; a row
// this installation does not have refuses the import, naming it, before anything is written.
import type { Database, Tx } from '../db/database.ts';
import { isUuid } from '../db/ids.ts';
import { quoteIdent, referenceKeys, type TableInfo } from './catalog.ts';
import { TransferError } from './format.ts';

export interface ReferencePart {
  table: string;
  /** The reference table's key column (its comment `bastide:reference key=…`). */
  key: string;
  /** The rows the archive's tables point to: their id on the source installation and their key. */
  rows: Array<{ id: string; key: string }>;
}

/** Old id → id here, per reference table. */
export type ReferenceMap = Map<string, Map<string, string>>;

/** The reference rows the tenant's rows point to, for the manifest (in the export's transaction). */
export async function exportReferences(tx: Tx, catalog: Map<string, TableInfo>, tables: TableInfo[], tenantId: string): Promise<ReferencePart[]> {
  const byTable = new Map<string, { key: string; sources: string[] }>();
  for (const t of tables)
    for (const fk of referenceKeys(t, catalog)) {
      const entry = byTable.get(fk.refTable) ?? { key: fk.key, sources: [] };
      entry.sources.push(`select ${quoteIdent(fk.columns[0]!)} as id from ${quoteIdent(t.name)} where tenant_id = $1`);
      byTable.set(fk.refTable, entry);
    }
  const parts: ReferencePart[] = [];
  for (const [table, { key, sources }] of [...byTable].sort(([a], [b]) => a.localeCompare(b))) {
    const rows = await tx.query<{ id: string; key: string }>(
      `select r.id::text as id, r.${quoteIdent(key)}::text as key from ${quoteIdent(table)} r
        where r.id in (${sources.join(' union ')}) order by r.id`,
      [tenantId],
    );
    if (rows.length) parts.push({ table, key, rows });
  }
  return parts;
}

function refuse(message: string): never {
  throw new TransferError(message);
}

/**
 * The manifest's references checked against this installation: each named row must exist here under the
 * same key (a host creates a missing programme first, then imports again).
 */
export async function planReferences(db: Database, catalog: Map<string, TableInfo>, value: unknown): Promise<ReferenceMap> {
  const map: ReferenceMap = new Map();
  if (value === undefined) return map;
  if (!Array.isArray(value) || value.length > 1000) refuse('the manifest’s references are not a list');
  for (const part of value as ReferencePart[]) {
    const table = part && typeof part.table === 'string' ? catalog.get(part.table) : undefined;
    if (!table?.referenceKey) refuse(`the manifest names ${JSON.stringify(part?.table)?.slice(0, 80)} as a reference table, which it is not here`);
    if (part.key !== table.referenceKey) refuse(`${table.name}: rows are named by ${table.referenceKey} here, not ${String(part.key).slice(0, 80)}`);
    if (!Array.isArray(part.rows) || map.has(table.name)) refuse(`${table.name}: references listed twice or without rows`);
    const rows = part.rows.filter((r) => r && isUuid(r.id) && typeof r.key === 'string' && r.key.length <= 500);
    if (rows.length !== part.rows.length) refuse(`${table.name}: a reference without a valid id and key`);
    const here = await db.ownerTransaction((tx) =>
      tx.query<{ id: string; key: string }>(
        `select id::text as id, ${quoteIdent(table.referenceKey!)}::text as key from ${quoteIdent(table.name)} where ${quoteIdent(table.referenceKey!)}::text = any($1::text[])`,
        [rows.map((r) => r.key)],
      ),
    );
    const byKey = new Map(here.map((r) => [r.key, r.id]));
    const ids = new Map<string, string>();
    for (const r of rows) {
      const local = byKey.get(r.key);
      if (!local)
        refuse(
          `the collectivité’s rows point to ${table.name} "${r.key.slice(0, 80)}", which this installation does not have: create it first; nothing was imported`,
        );
      ids.set(r.id, local);
    }
    map.set(table.name, ids);
  }
  return map;
}

/** A table's columns that point to reference rows, with the id map of each. */
export function referenceColumns(
  t: TableInfo,
  catalog: Map<string, TableInfo>,
  map: ReferenceMap,
): Array<{ column: string; table: string; ids: Map<string, string> }> {
  return referenceKeys(t, catalog).map((fk) => ({ column: fk.columns[0]!, table: fk.refTable, ids: map.get(fk.refTable) ?? new Map<string, string>() }));
}

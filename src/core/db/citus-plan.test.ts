// Citus readiness (issue 14): the migrated schema, read from the catalog, against the placement of every
// table in citus-plan.ts. Fails for a table without a decision, a key of a distributed table without
// tenant_id, a foreign key Citus would refuse, and a docs/deployment.md plan that no longer matches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { CITUS_PLAN, DISTRIBUTION_COLUMN, citusPlanSql, type CitusPlacement } from './citus-plan.ts';
import type { Tx } from './database.ts';

interface Table {
  name: string;
  tenant_column: boolean;
  tenant_not_null: boolean;
}
interface Key {
  table: string;
  name: string;
  type: 'p' | 'u' | 'f' | 'x' | 'i';
  columns: string[];
  ref_table: string | null;
  ref_columns: string[] | null;
  /** ON DELETE / ON UPDATE SET NULL or SET DEFAULT. */
  sets_null: boolean;
  definition: string;
}

interface Catalog {
  tables: Table[];
  keys: Key[];
}

async function readCatalog(tx: Tx): Promise<Catalog> {
  const [tables, keys] = [
    await tx.query<Table>(
      `select c.relname as name,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = $1 and not a.attisdropped) as tenant_column,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = $1 and not a.attisdropped and a.attnotnull) as tenant_not_null
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        order by c.relname`,
      [DISTRIBUTION_COLUMN],
    ),
    await tx.query<Key>(
      `select c.relname as table, k.conname as name, k.contype as type,
              array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i)
                      join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as columns,
              -- SET NULL / SET DEFAULT that reaches tenant_id: on update, or on delete without a column
              -- list (PostgreSQL 15's ON DELETE SET NULL (col) that leaves tenant_id alone is fine).
              coalesce(k.contype = 'f' and (k.confupdtype in ('n', 'd') or (k.confdeltype in ('n', 'd') and (
                coalesce(cardinality(k.confdelsetcols), 0) = 0
                or exists (select 1 from pg_attribute a where a.attrelid = k.conrelid and a.attname = 'tenant_id' and a.attnum = any(k.confdelsetcols))))), false) as sets_null,
              case when k.contype = 'f' then (select r.relname::text from pg_class r where r.oid = k.confrelid) end as ref_table,
              case when k.contype = 'f' then array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i)
                      join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) end as ref_columns,
              pg_get_constraintdef(k.oid) as definition
         from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and k.contype in ('p', 'u', 'f', 'x')
       union all
       -- Unique indexes that back no constraint (partial or expression ones included).
       select c.relname, ic.relname, 'i',
              array(select a.attname::text from unnest(i.indkey::int2[]) u(n) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.n),
              false, null, null, pg_get_indexdef(i.indexrelid)
         from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and i.indisunique
          and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)
       order by 1, 2`,
    ),
  ];
  return { tables, keys };
}

let t: TestDatabase;
let catalog: Catalog;
before(async () => {
  t = await createTestDatabase();
  catalog = await t.db.ownerTransaction(readCatalog);
});
after(() => t.cleanup());

const HINT = 'decide in src/core/db/citus-plan.ts (distributed by tenant_id, or reference / coordinator with the reason)';

type Plan = Readonly<Record<string, CitusPlacement>>;

function placementIn(plan: Plan, name: string): CitusPlacement | undefined {
  return Object.hasOwn(plan, name) ? plan[name] : undefined;
}

/** Distributed tables, each after the distributed tables its foreign keys point to; ties alphabetical. */
function distributionOrder({ tables, keys }: Catalog): string[] {
  const placement = (name: string) => placementIn(CITUS_PLAN, name);
  const names = tables.map((x) => x.name).filter((n) => placement(n)?.kind === 'distributed');
  const deps = new Map(names.map((n) => [n, new Set<string>()]));
  for (const k of keys)
    if (k.type === 'f' && k.ref_table && k.ref_table !== k.table && deps.has(k.table) && deps.has(k.ref_table)) deps.get(k.table)!.add(k.ref_table);
  const order: string[] = [];
  const left = new Set(names);
  while (left.size) {
    const ready = [...left].filter((n) => [...deps.get(n)!].every((d) => !left.has(d))).sort();
    if (ready.length === 0) throw new Error(`foreign keys in a cycle among ${[...left].join(', ')}`);
    for (const n of ready) {
      order.push(n);
      left.delete(n);
    }
  }
  return order;
}

/** Tables without a placement, listed tables that do not exist, distributed tables without a NOT NULL tenant_id. */
function placementProblems({ tables }: Catalog, plan: Plan, complete = true): string[] {
  const problems: string[] = [];
  const names = new Set(tables.map((x) => x.name));
  for (const table of tables) {
    const p = placementIn(plan, table.name);
    if (!p) problems.push(`${table.name}: no placement — ${HINT}`);
    else if (p.kind === 'distributed' && !table.tenant_column) problems.push(`${table.name}: listed as distributed but has no ${DISTRIBUTION_COLUMN} column`);
    else if (p.kind === 'distributed' && !table.tenant_not_null) problems.push(`${table.name}: ${DISTRIBUTION_COLUMN} must be NOT NULL to distribute by it`);
    else if (p.kind !== 'distributed' && !p.why.trim()) problems.push(`${table.name}: a ${p.kind} table needs its reason`);
  }
  if (complete)
    for (const name of Object.keys(plan))
      if (!names.has(name)) problems.push(`${name}: listed in citus-plan.ts but no such table after the migrations (renamed or dropped?)`);
  return problems;
}

const KINDS = { p: 'primary key', u: 'unique constraint', x: 'exclusion constraint', i: 'unique index', f: 'foreign key' } as const;

/** Uniqueness that Citus cannot enforce across shards. */
function keyProblems({ keys }: Catalog, plan: Plan): string[] {
  return keys
    .filter((k) => k.type !== 'f' && placementIn(plan, k.table)?.kind === 'distributed' && !k.columns.includes(DISTRIBUTION_COLUMN))
    .map(
      (k) => `${k.table}: ${KINDS[k.type]} ${k.name} (${k.definition}) lacks ${DISTRIBUTION_COLUMN}: put ${DISTRIBUTION_COLUMN} first in it (a new migration)`,
    );
}

/** Foreign keys Citus refuses. */
function foreignKeyProblems({ keys }: Catalog, plan: Plan): string[] {
  const problems: string[] = [];
  for (const k of keys.filter((x) => x.type === 'f')) {
    const from = placementIn(plan, k.table)?.kind;
    const to = k.ref_table ? placementIn(plan, k.ref_table)?.kind : undefined;
    if (!from || !to) continue; // reported by the placement check
    const where = `${k.table}: foreign key ${k.name} (${k.definition})`;
    if (from === 'distributed' && to === 'distributed') {
      const i = k.columns.indexOf(DISTRIBUTION_COLUMN);
      if (i < 0 || k.ref_columns?.[i] !== DISTRIBUTION_COLUMN) {
        problems.push(
          `${where} joins two distributed tables without ${DISTRIBUTION_COLUMN} on both sides: make it (${DISTRIBUTION_COLUMN}, …) references ${k.ref_table} (${DISTRIBUTION_COLUMN}, …)`,
        );
      }
    } else if (from === 'distributed' && to === 'coordinator') {
      problems.push(`${where}: a distributed table cannot refer to a coordinator table; make ${k.ref_table} a reference table or drop the key`);
    } else if (from !== 'distributed' && to === 'distributed') {
      problems.push(`${where}: a ${from} table cannot refer to a distributed table`);
    } else if (from === 'reference' && to === 'coordinator') {
      problems.push(`${where}: a reference table cannot refer to a coordinator table`);
    }
    if (from === 'distributed' && k.sets_null && k.columns.includes(DISTRIBUTION_COLUMN)) {
      problems.push(`${where}: SET NULL / SET DEFAULT on a key that holds ${DISTRIBUTION_COLUMN} would change a row's shard`);
    }
  }
  return problems;
}

test('every table has a Citus placement, and every listed table exists', () => {
  const problems = placementProblems(catalog, CITUS_PLAN);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}\n`);
});

test('every primary key, unique constraint, unique index and exclusion constraint of a distributed table includes tenant_id', () => {
  const problems = keyProblems(catalog, CITUS_PLAN);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}\n`);
});

test('foreign keys are ones Citus accepts: tenant_id on both sides between distributed tables, none into a distributed table from elsewhere', () => {
  const problems = foreignKeyProblems(catalog, CITUS_PLAN);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}\n`);
});

test('the checks find what they look for: a schema with each mistake, made and rolled back', async () => {
  const probe = await t.db
    .ownerTransaction(async (tx) => {
      await tx.query(
        `create table citus_probe_parent (tenant_id uuid not null references tenants (id), id uuid not null, code text, primary key (tenant_id, id))`,
      );
      await tx.query(`create table citus_probe_child (
        tenant_id uuid not null references tenants (id), id uuid primary key, parent_id uuid, code text,
        unique (code),
        foreign key (tenant_id, parent_id) references citus_probe_parent (tenant_id, id) on delete set null)`);
      await tx.query(`create unique index citus_probe_parent_code on citus_probe_parent (lower(code))`);
      // tenant_id refers to the parent's id: the rows of one collectivité would point into another's shard.
      await tx.query(
        `create table citus_probe_loose (tenant_id uuid, parent_id uuid, foreign key (tenant_id, parent_id) references citus_probe_parent (id, tenant_id))`,
      );
      // Correct: PostgreSQL 15's column list leaves tenant_id alone.
      await tx.query(`create table citus_probe_fine (tenant_id uuid not null, parent_id uuid,
        foreign key (tenant_id, parent_id) references citus_probe_parent (tenant_id, id) on delete set null (parent_id))`);
      await tx.query(`create table citus_probe_undecided (tenant_id uuid not null)`);
      await tx.query(`alter table tenants add column probe_parent_tenant uuid, add column probe_parent_id uuid,
        add foreign key (probe_parent_tenant, probe_parent_id) references citus_probe_parent (tenant_id, id)`);
      const read = await readCatalog(tx);
      throw Object.assign(new Error('rollback'), { read });
    })
    .catch((e: { read?: Catalog }) => {
      if (!e.read) throw e;
      return e.read;
    });
  const plan: Plan = {
    ...CITUS_PLAN,
    citus_probe_parent: { kind: 'distributed' },
    citus_probe_child: { kind: 'distributed' },
    citus_probe_loose: { kind: 'distributed' },
    citus_probe_fine: { kind: 'distributed' },
  };
  // Only what the probe made (a module's table added meanwhile is the other tests' business).
  const found = [...placementProblems(probe, plan), ...keyProblems(probe, plan), ...foreignKeyProblems(probe, plan)].filter((p) => p.includes('probe'));
  const expect = [
    /^citus_probe_undecided: no placement/,
    /^citus_probe_loose: tenant_id must be NOT NULL/,
    /^citus_probe_child: primary key citus_probe_child_pkey \(PRIMARY KEY \(id\)\) lacks tenant_id/,
    /^citus_probe_child: unique constraint .*UNIQUE \(code\).* lacks tenant_id/,
    /^citus_probe_parent: unique index citus_probe_parent_code .* lacks tenant_id/,
    /^citus_probe_loose: foreign key .* joins two distributed tables without tenant_id on both sides/,
    /^citus_probe_child: foreign key .*SET NULL \/ SET DEFAULT on a key that holds tenant_id/,
    /^tenants: foreign key .*: a reference table cannot refer to a distributed table/,
  ];
  for (const pattern of expect)
    assert.ok(
      found.some((p) => pattern.test(p)),
      `${pattern} among:\n${found.join('\n')}`,
    );
  assert.equal(found.length, expect.length, found.join('\n'));
});

test('docs/deployment.md gives the plan generated from citus-plan.ts', () => {
  const expected = citusPlanSql(distributionOrder(catalog));
  const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'deployment.md'), 'utf8');
  const m = /<!-- citus-plan: generated by src\/core\/db\/citus-plan\.test\.ts -->\n```sql\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(m, 'docs/deployment.md has the citus-plan block');
  assert.equal(m[1], expected, `docs/deployment.md §4.1: replace the SQL block with:\n\`\`\`sql\n${expected}\n\`\`\``);
});

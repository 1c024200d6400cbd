// Archives at the SQL level: tenant-first keys and RLS on every table, and IMMUTABILITY — objects, units,
// ingests and rules of a unit cannot be updated or deleted, neither by the application role (no
// privilege) nor by the schema owner (triggers), except the tombstone written under an approved
// elimination that covers the unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest } from '../../../test/support/archives/archives.ts';

const TABLES = [
  'archives_ingests',
  'archives_rules',
  'archives_units',
  'archives_unit_rules',
  'archives_objects',
  'archives_fixity',
  'archives_eliminations',
  'archives_elimination_units',
];

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('every archives table: tenant_id first in the primary key, row-level security with a policy', async () => {
  const rows = await t.db.ownerTransaction((tx) =>
    tx.query<{ table: string; rls: boolean; first: string; policies: number }>(
      `select c.relname as table, c.relrowsecurity as rls,
       (select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = c.oid and i.indisprimary) as first,
       (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
     from pg_class c where c.relname = any($1::text[]) and c.relkind = 'r' order by c.relname`,
      [TABLES],
    ),
  );
  assert.equal(rows.length, TABLES.length);
  for (const r of rows) assert.deepEqual([r.table, r.rls, r.first, r.policies > 0], [r.table, true, 'tenant_id', true]);
});

async function oneObject(tenantId: string) {
  const result = await ingest(t, tenantId, [
    {
      title: 'Registre',
      end_date: '2000-01-01',
      rules: [{ category: 'appraisal', rule_code: 'APP-DOSSIER-10-D', start_date: '2000-01-01' }],
      objects: [{ filename: 'a.txt', source: bytes('contenu original\n') }],
    },
  ]);
  return { unit: result.units[0]!.id, object: result.objects[0]!.id, ingest: result.id };
}

const ATTACKS = (ids: { unit: string; object: string; ingest: string }) => [
  `update archives_objects set sha512 = repeat('0', 128) where id = '${ids.object}'`,
  `update archives_objects set filename = 'autre.txt' where id = '${ids.object}'`,
  `delete from archives_objects where id = '${ids.object}'`,
  `update archives_units set title = 'Réécrit' where id = '${ids.unit}'`,
  `delete from archives_units where id = '${ids.unit}'`,
  `update archives_ingests set actor = 'personne' where id = '${ids.ingest}'`,
  `delete from archives_unit_rules where unit_id = '${ids.unit}'`,
  `update archives_unit_rules set start_date = '2999-01-01' where unit_id = '${ids.unit}'`,
  `truncate archives_objects cascade`,
];

test('attack: the application role cannot UPDATE, DELETE or TRUNCATE an object, a unit, an ingest or a unit rule', async () => {
  const a = await archivesTenant(t);
  const ids = await oneObject(a.tenant.id);
  for (const sql of ATTACKS(ids)) {
    await assert.rejects(
      t.db.transaction(a.tenant.id, (tx) => tx.query(sql)),
      /permission denied|immutable/,
      sql,
    );
  }
  const row = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ filename: string; title: string }>('select o.filename, u.title from archives_objects o join archives_units u on u.id = o.unit_id'),
  );
  assert.deepEqual(row, { filename: 'a.txt', title: 'Registre' });
});

test('attack: even the schema owner is refused by the triggers, and naming a proposed (not approved) elimination does not help', async () => {
  const a = await archivesTenant(t);
  const ids = await oneObject(a.tenant.id);
  for (const sql of ATTACKS(ids)) {
    await assert.rejects(
      t.db.ownerTransaction((tx) => tx.query(sql)),
      /immutable/,
      `owner: ${sql}`,
    );
  }
  // A proposed elimination covering the unit, named by the transaction: still refused.
  const elimination = await t.db.transaction(a.tenant.id, async (tx) => {
    const e = (await tx.one<{ id: string }>(`insert into archives_eliminations (tenant_id, created_by) values (app_tenant(), 'x') returning id`))!;
    await tx.query(`insert into archives_elimination_units (tenant_id, elimination_id, unit_id) values (app_tenant(), $1, $2)`, [e.id, ids.unit]);
    return e.id;
  });
  await assert.rejects(
    t.db.transaction(a.tenant.id, async (tx) => {
      await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [elimination]);
      await tx.query('select archives_tombstone($1)', [elimination]);
    }),
    /immutable/,
  );
  await assert.rejects(
    t.db.ownerTransaction(async (tx) => {
      await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [elimination]);
      await tx.query(`update archives_objects set eliminated_at = now(), elimination_id = $1, blob_sha256 = null where id = $2`, [elimination, ids.object]);
    }),
    /immutable/,
  );
  // Approved (visa recorded directly here): the tombstone is allowed, and nothing else — not a digest.
  await t.db.transaction(a.tenant.id, (tx) =>
    tx.query(
      `update archives_eliminations set state = 'approved', visa_authority = 'AD', visa_signatory = 'X', visa_date = current_date, visa_reference = 'R', approved_at = now() where id = $1`,
      [elimination],
    ),
  );
  await assert.rejects(
    t.db.ownerTransaction(async (tx) => {
      await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [elimination]);
      await tx.query(`update archives_objects set sha512 = repeat('0', 128), eliminated_at = now(), elimination_id = $1, blob_sha256 = null where id = $2`, [
        elimination,
        ids.object,
      ]);
    }),
    /immutable/,
    'the tombstone may not carry another change',
  );
  // Another unit, not in the elimination, stays untouchable under the same setting.
  const other = await oneObject(a.tenant.id);
  await assert.rejects(
    t.db.ownerTransaction(async (tx) => {
      await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [elimination]);
      await tx.query(`update archives_objects set eliminated_at = now(), elimination_id = $1, blob_sha256 = null where id = $2`, [elimination, other.object]);
    }),
    /immutable/,
  );
  const n = await t.db.transaction(a.tenant.id, async (tx) => {
    await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [elimination]);
    return (await tx.one<{ n: number }>('select archives_tombstone($1) as n', [elimination]))!.n;
  });
  assert.equal(n, 1);
  const after = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ id: string; eliminated: boolean; blob: string | null; sha512: string }>(
      'select id, eliminated_at is not null as eliminated, blob_sha256 as blob, sha512 from archives_objects order by created_at',
    ),
  );
  assert.deepEqual(
    after.map((o) => [o.id, o.eliminated, o.blob === null, o.sha512.length]),
    [
      [ids.object, true, true, 128],
      [other.object, false, false, 128],
    ],
  );
});

test('attack: the tombstone door refuses a transaction that does not name the elimination, and another collectivité', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const ids = await oneObject(a.tenant.id);
  const e = await t.db.transaction(a.tenant.id, async (tx) => {
    const row = (await tx.one<{ id: string }>(
      `insert into archives_eliminations (tenant_id, created_by, state, visa_authority, visa_signatory, visa_date, visa_reference, approved_at)
       values (app_tenant(), 'x', 'approved', 'AD', 'X', current_date, 'R', now()) returning id`,
    ))!;
    await tx.query(`insert into archives_elimination_units (tenant_id, elimination_id, unit_id) values (app_tenant(), $1, $2)`, [row.id, ids.unit]);
    return row.id;
  });
  await assert.rejects(
    t.db.transaction(a.tenant.id, (tx) => tx.query('select archives_tombstone($1)', [e])),
    /does not name/,
  );
  // B's transaction naming A's approved elimination: the function only touches B's rows, which are none.
  const n = await t.db.transaction(b.tenant.id, async (tx) => {
    await tx.query(`select set_config('bastide.archives_elimination', $1, true)`, [e]);
    return (await tx.one<{ n: number }>('select archives_tombstone($1) as n', [e]))!.n;
  });
  assert.equal(n, 0);
  const kept = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ n: number }>('select count(*)::int as n from archives_objects where eliminated_at is null'),
  );
  assert.equal(kept!.n, 1);
});

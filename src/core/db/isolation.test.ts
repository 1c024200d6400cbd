// Tenant isolation at the SQL level: the application role sees and changes only the rows of the tenant
// set for its transaction, and nothing when none is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { createTenant } from '../tenancy/create-tenant.ts';

let t: TestDatabase;
let a: string;
let b: string;

before(async () => {
  t = await createTestDatabase();
  const ra = await createTenant(t.db, { kind: 'commune', code: '44109' });
  const rb = await createTenant(t.db, { kind: 'commune', code: '31555' });
  assert.ok(ra.ok && rb.ok);
  a = ra.tenant.id;
  b = rb.tenant.id;
  const person = await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`insert into people (email) values ('x@example.org') returning id`));
  await t.db.transaction(a, (tx) => tx.query(`insert into memberships (tenant_id, person_id, role) values ($1, $2, 'agent')`, [a, person!.id]));
  await t.db.transaction(b, (tx) => tx.query(`insert into memberships (tenant_id, person_id, role) values ($1, $2, 'archivist')`, [b, person!.id]));
});
after(() => t.cleanup());

test('a transaction sees only its own tenant rows', async () => {
  const rowsA = await t.db.transaction(a, (tx) => tx.query<{ role: string }>('select role from memberships'));
  assert.deepEqual(
    rowsA.map((r) => r.role),
    ['agent'],
  );
  const rowsB = await t.db.transaction(b, (tx) => tx.query<{ role: string }>('select role from memberships'));
  assert.deepEqual(
    rowsB.map((r) => r.role),
    ['archivist'],
  );
});

test('a transaction that forgot the tenant sees nothing', async () => {
  const rows = await t.db.transaction(null, (tx) => tx.query('select * from memberships'));
  assert.equal(rows.length, 0);
});

test('writing a row of another tenant is refused by the policy', async () => {
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query(`insert into memberships (tenant_id, person_id, role) select $1, id, 'moderator' from people limit 1`, [b])),
    /row-level security/,
  );
  const changed = await t.db.transaction(a, (tx) => tx.execute(`update memberships set role = 'citizen' where tenant_id = $1`, [b]));
  assert.equal(changed, 0);
  const rowsB = await t.db.transaction(b, (tx) => tx.query<{ role: string }>('select role from memberships'));
  assert.deepEqual(
    rowsB.map((r) => r.role),
    ['archivist'],
  );
});

test('business transactions run as an application role that owns nothing and cannot bypass RLS', async () => {
  const role = await t.db.transaction(a, (tx) =>
    tx.one<{ current_user: string; rolbypassrls: boolean; rolsuper: boolean }>(
      'select current_user, rolbypassrls, rolsuper from pg_roles where rolname = current_user',
    ),
  );
  assert.deepEqual(role, { current_user: 'bastide_app', rolbypassrls: false, rolsuper: false });
  const owned = await t.db.transaction(a, (tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = current_user`),
  );
  assert.equal(owned!.n, 0);
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query('alter table memberships disable row level security')),
    /must be owner/,
  );
  await assert.rejects(
    t.db.transaction(a, (tx) => tx.query('delete from journal_entries')),
    /permission denied/,
  );
});

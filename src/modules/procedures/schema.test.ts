// The procedures tables at the SQL level: tenant first in every primary key, row-level security on each,
// and a transaction of one collectivité seeing none of another's rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, fileDossier, published } from '../../../test/support/procedures/api.ts';

const TABLES = [
  'procedures',
  'procedure_revisions',
  'agent_groups',
  'agent_group_members',
  'routing_rules',
  'dossiers',
  'dossier_transitions',
  'dossier_messages',
  'dossier_attachments',
];

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('every procedures table: tenant_id first in the primary key, row-level security enabled with a policy', async () => {
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

test('after filing, routing and messaging in A, a transaction of B sees no row of any procedures table', async () => {
  const a = await apiTenant(t);
  const b = await apiTenant(t);
  const slug = await published(t, a);
  const group = (await call(t, 'POST', `/api/v1/${a.tenant.slug}/groups`, a.admin, { name: 'Accueil' })).json().id;
  await call(t, 'PUT', `/api/v1/${a.tenant.slug}/procedures/${slug}/routing`, a.admin, { rules: [{ condition: { all: [] }, group }] });
  const { number } = await fileDossier(t, a, slug);
  await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/messages`, a.agent, { body: 'Bonjour' });
  for (const table of TABLES.filter((x) => x !== 'agent_group_members' && x !== 'dossier_attachments')) {
    const inA = await t.db.transaction(a.tenant.id, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`));
    const inB = await t.db.transaction(b.tenant.id, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`));
    const none = await t.db.transaction(null, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`));
    assert.ok(inA!.n > 0, `${table} has rows in A`);
    assert.deepEqual([table, inB!.n, none!.n], [table, 0, 0]);
  }
  await assert.rejects(
    t.db.transaction(b.tenant.id, (tx) => tx.query(`insert into agent_groups (tenant_id, name) values ($1, 'intrus')`, [a.tenant.id])),
    /row-level security/,
  );
});

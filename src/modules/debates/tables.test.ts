// The debates tables at the SQL level: tenant first in every key, row-level security, and the rules the
// database itself holds whatever the way in — one support per person per proposal, supports on proposals
// only, comments one level deep on the same contribution, a reason on every hidden text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { translator } from '../../core/i18n/i18n.ts';
import { createDebateIn } from './actions/create-debate.ts';
import type { Tx } from '../../core/db/database.ts';

const TABLES = [
  'debates',
  'debate_phases',
  'debate_contributions',
  'debate_comments',
  'debate_supports',
  'debate_reports',
  'debate_blocks',
  'debate_charter_acceptances',
];

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('every debates table: tenant_id first in the primary key, row-level security enabled with a policy', async () => {
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

async function setup(tx: Tx, person: string) {
  const { debate, phases } = await createDebateIn(tx, 'system', translator('fr'), {
    title: 'Débat',
    status: 'published',
    phases: [{ kind: 'contributions', starts_on: '2026-01-01', ends_on: '2026-12-31' }],
  });
  const insert = (kind: string, stance: string | null = null) =>
    tx.one<{ id: string }>(
      `insert into debate_contributions (tenant_id, debate_id, phase_id, kind, stance, title, body, author_person_id, display_name, moderation)
       values (app_tenant(), $1, $2, $3, $4, 'T', 'B', $5, 'Nom', 'visible') returning id`,
      [debate.id, phases[0]!.id, kind, stance, person],
    );
  return { debate, proposal: (await insert('proposal'))!.id, question: (await insert('question'))!.id, insert };
}

test('the database holds the rules: one support, proposals only, one level of comments, reasons, stances', async () => {
  const tenant = await createTestTenant(t.db);
  const person = await createPerson(t.db);
  const fails = (sql: string, params: unknown[], pattern: RegExp) =>
    assert.rejects(
      t.db.transaction(tenant.id, async (tx) => {
        const s = await setup(tx, person.id);
        await tx.query(
          sql,
          params.map((p) => (p === '$proposal' ? s.proposal : p === '$question' ? s.question : p === '$debate' ? s.debate.id : p)),
        );
      }),
      pattern,
    );
  // Two supports by one person on one proposal.
  await fails(
    `insert into debate_supports (tenant_id, contribution_id, person_id) values (app_tenant(), $1, $2), (app_tenant(), $1, $2)`,
    ['$proposal', person.id],
    /duplicate key|unique/,
  );
  // A support on a question.
  await fails(`insert into debate_supports (tenant_id, contribution_id, person_id) values (app_tenant(), $1, $2)`, ['$question', person.id], /foreign key/);
  // A stance on a proposal; an opinion without one; hidden without a reason.
  await fails(
    `insert into debate_contributions (tenant_id, debate_id, phase_id, kind, stance, title, body, display_name, moderation)
     select app_tenant(), $1, phase_id, 'proposal', 'for', 't', 'b', 'n', 'visible' from debate_contributions where id = $2`,
    ['$debate', '$proposal'],
    /check constraint/,
  );
  await fails(`update debate_contributions set moderation = 'hidden' where id = $1`, ['$proposal'], /check constraint/);
  // A reply to a reply; a reply whose parent is on another contribution.
  const comment = (parent: string | null, depth: number, contribution: string) =>
    `insert into debate_comments (tenant_id, id, debate_id, contribution_id, parent_id, depth, parent_depth, body, display_name, moderation)
     select app_tenant(), gen_random_uuid(), debate_id, id, ${parent ? `'${parent}'` : 'null'}, ${depth}, ${parent ? 0 : 'null'}, 'x', 'n', 'visible'
     from debate_contributions where id = ${contribution} returning id`;
  await assert.rejects(
    t.db.transaction(tenant.id, async (tx) => {
      const s = await setup(tx, person.id);
      const root = (await tx.one<{ id: string }>(comment(null, 0, `'${s.proposal}'`)))!.id;
      const reply = (await tx.one<{ id: string }>(comment(root, 1, `'${s.proposal}'`)))!.id;
      await tx.query(comment(reply, 1, `'${s.proposal}'`));
    }),
    /foreign key/,
  );
  await assert.rejects(
    t.db.transaction(tenant.id, async (tx) => {
      const s = await setup(tx, person.id);
      const root = (await tx.one<{ id: string }>(comment(null, 0, `'${s.proposal}'`)))!.id;
      await tx.query(comment(root, 1, `'${s.question}'`));
    }),
    /foreign key/,
  );
  // The application role never deletes a contribution.
  await assert.rejects(
    t.db.transaction(tenant.id, async (tx) => {
      const s = await setup(tx, person.id);
      await tx.query('delete from debate_contributions where id = $1', [s.proposal]);
    }),
    /permission denied/,
  );
});

test('a transaction of another collectivité sees none of the rows and cannot write into them', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const person = await createPerson(t.db);
  const s = await t.db.transaction(a.id, (tx) => setup(tx, person.id));
  for (const table of ['debates', 'debate_phases', 'debate_contributions']) {
    const inB = await t.db.transaction(b.id, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`));
    assert.equal(inB!.n, 0, table);
  }
  await assert.rejects(
    t.db.transaction(b.id, (tx) =>
      tx.query(`insert into debate_supports (tenant_id, contribution_id, person_id) values ($1, $2, $3)`, [a.id, s.proposal, person.id]),
    ),
    /row-level security/,
  );
});

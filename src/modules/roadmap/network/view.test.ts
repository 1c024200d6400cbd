// The network view's two functions of 0860 (network_view_overview, network_view_projects_page) answer what
// the five calls of 0852–0854 answered — on a network whose members have drafts, pooled projects, funding
// granted to a published and to a draft project, a published and a draft procedure and dataset, beside a
// non-member with published rows — and nothing else: no draft, no non-member, no former member; the page of
// projects is bounded whatever the caller asks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { loadNetworkView } from './view.ts';

let t: TestApp;
let net: Tenant;
let a: Tenant;
let b: Tenant;
let c: Tenant;
let d: Tenant;

const owner = <T>(sql: string, params: unknown[] = []) => t.db.ownerTransaction((tx) => tx.query<T & Record<string, unknown>>(sql, params));

async function project(tenant: Tenant, slug: string, theme: string, published: boolean, investment = 1000): Promise<string> {
  const rows = await owner<{ id: string }>(
    `insert into roadmap_projects (tenant_id, slug, title, theme, stage, budget_investment, budget_operation, published)
     values ($1, $2, $3, $4, 'running', $5, 10, $6) returning id`,
    [tenant.id, slug, `Projet ${slug}`, theme, investment, published],
  );
  return rows[0]!.id;
}

const join = (m: Tenant) => owner(`insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, 'network_member')`, [m.id, net.id]);

before(async () => {
  t = await startTestApp();
  const r = await createTenant(t.db, { kind: 'network', name: 'Réseau de la vue', slug: `reseau-vue-${process.pid}` });
  if (!r.ok) throw new Error(r.message);
  net = r.tenant;
  [a, b, c, d] = [await createTestTenant(t.db), await createTestTenant(t.db), await createTestTenant(t.db), await createTestTenant(t.db)];
  for (const m of [a, b, d]) await join(m);
  const a1 = await project(a, 'a-donnees', 'data', true, 100_000);
  await project(a, 'a-donnees-2', 'data', true, 20_000);
  await project(a, 'a-hebergement', 'hosting', true, 3_000);
  const aDraft = await project(a, 'a-brouillon', 'data', false, 9_999_999);
  const b1 = await project(b, 'b-archives', 'archiving', true, 50_000);
  await project(b, 'b-archives-2', 'archiving', true, 5_000);
  await project(c, 'c-non-membre', 'data', true, 777_777);
  await project(d, 'd-ancien', 'data', true, 1);
  // Pooled: A's first data project with B and C, B's archive with A; A's draft with B (never shown).
  await owner(`insert into roadmap_project_partners (tenant_id, project_id, partner_tenant_id) values ($1, $2, $3), ($1, $2, $4), ($3, $5, $1), ($1, $6, $3)`, [
    a.id,
    a1,
    b.id,
    c.id,
    b1,
    aDraft,
  ]);
  const programme = (
    await owner<{ id: string }>(
      `insert into roadmap_programmes (slug, name, funder, nature, audiences, territory, themes, recurrence)
       values ('aide-vue-reseau', 'Aide', 'État', 'grant', '{commune}', '{FR}', '{data}', 'permanent') returning id`,
    )
  )[0]!.id;
  await owner(
    `insert into roadmap_funding_applications (tenant_id, project_id, programme_id, status, amount_asked, amount_granted, amount_paid)
     values ($1, $2, $4, 'granted', 40000, 30000, 1000), ($1, $3, $4, 'granted', 99999, 99999, 0)`,
    [a.id, a1, aDraft, programme],
  );
  for (const [m, state] of [
    [a, 'published'],
    [a, 'draft'],
    [c, 'published'],
  ] as const) {
    await owner(`insert into catalogue_datasets (tenant_id, slug, title, state) values ($1, $2, $3, $4)`, [m.id, `jeu-${state}`, `Jeu ${state}`, state]);
    await owner(`insert into procedures (tenant_id, slug, title, state, draft_definition) values ($1, $2, $3, $4, '{}')`, [
      m.id,
      `demarche-${state}`,
      `Démarche ${state}`,
      state,
    ]);
  }
});
after(() => t.close());

test('the overview answers, per current member, what the functions of 0853–0854 answer, and the themes add up', async () => {
  const view = await loadNetworkView(t.db, net.id);
  assert.deepEqual(
    view.members.map((m) => m.id),
    [a, b, d].sort((x, y) => x.name.localeCompare(y.name) || x.id.localeCompare(y.id)).map((m) => m.id),
  );
  // The older functions, read in the same network's transaction, as the view read them before 0860.
  const old = await t.db.transaction(net.id, async (tx) => ({
    summary: await tx.query<{ member_tenant_id: string; theme: string; projects: number; investment: string; operation: string; pooled: number }>(
      'select member_tenant_id, theme, projects, investment::text as investment, operation::text as operation, pooled from network_view_summary($1)',
      [net.id],
    ),
    counts: await tx.query<{ member_tenant_id: string; procedures: number; datasets: number }>('select * from network_view_shared_counts($1)', [net.id]),
    funding: await tx.query<{ member_tenant_id: string; granted: string }>('select member_tenant_id, granted::text as granted from network_view_funding($1)', [
      net.id,
    ]),
  }));
  for (const m of [a, b, d]) {
    const rows = old.summary.filter((r) => r.member_tenant_id === m.id);
    const tot = view.totals.get(m.id)!;
    assert.deepEqual(
      {
        projects: tot.projects,
        investment: tot.investment,
        operation: tot.operation,
        pooled: tot.pooled,
        themes: [...tot.themes].sort(),
        procedures: tot.procedures,
        datasets: tot.datasets,
        granted: tot.granted,
      },
      {
        projects: rows.reduce((n, r) => n + r.projects, 0),
        investment: rows.reduce((n, r) => n + Number(r.investment), 0),
        operation: rows.reduce((n, r) => n + Number(r.operation), 0),
        pooled: rows.reduce((n, r) => n + r.pooled, 0),
        themes: rows.map((r) => r.theme).sort(),
        procedures: old.counts.find((r) => r.member_tenant_id === m.id)?.procedures ?? 0,
        datasets: old.counts.find((r) => r.member_tenant_id === m.id)?.datasets ?? 0,
        granted: Number(old.funding.find((r) => r.member_tenant_id === m.id)?.granted ?? 0),
      },
      m.slug,
    );
  }
  // The figures themselves: drafts, the draft's funding and the non-member never count.
  assert.deepEqual(
    { ...view.totals.get(a.id)!, themes: [...view.totals.get(a.id)!.themes].sort() },
    { projects: 3, investment: 123_000, operation: 30, pooled: 1, procedures: 1, datasets: 1, granted: 30_000, themes: ['data', 'hosting'] },
  );
  assert.deepEqual(view.themes, [
    { theme: 'data', members: 2, projects: 3, investment: 120_001 },
    { theme: 'archiving', members: 1, projects: 2, investment: 55_000 },
    { theme: 'hosting', members: 1, projects: 1, investment: 3_000 },
  ]);
});

test('the page of projects: the pooled ones by default, a theme’s when asked, partners counted, bounded', async () => {
  const pooled = await loadNetworkView(t.db, net.id);
  assert.deepEqual(pooled.projects.map((p) => [p.slug, p.partners]).sort(), [
    ['a-donnees', 2],
    ['b-archives', 1],
  ]);
  const data = await loadNetworkView(t.db, net.id, { theme: 'data' });
  assert.deepEqual(data.projects.map((p) => p.slug).sort(), ['a-donnees', 'a-donnees-2', 'd-ancien']);
  const page = (limit: number, offset: number) =>
    t.db.transaction(net.id, (tx) =>
      tx.query<{ slug: string }>('select slug from network_view_projects_page($1, $2, $3, $4)', [net.id, 'data', limit, offset]),
    );
  assert.equal((await page(1, 0)).length, 1);
  assert.equal((await page(-5, -5)).length, 0, 'a negative limit reads nothing');
  assert.equal((await page(100_000, -3)).length, 3, 'a negative offset is the first page');
  assert.deepEqual(
    [...(await page(1, 0)), ...(await page(1, 1)), ...(await page(1, 2))].map((r) => r.slug).sort(),
    ['a-donnees', 'a-donnees-2', 'd-ancien'],
    'pages do not overlap',
  );
});

test('a member that leaves vanishes from the overview and the pages; another network sees none of it', async () => {
  await owner(`delete from tenant_relations where tenant_id = $1 and related_tenant_id = $2 and kind = 'network_member'`, [d.id, net.id]);
  const view = await loadNetworkView(t.db, net.id, { theme: 'data' });
  assert.ok(!view.members.some((m) => m.id === d.id));
  assert.ok(!view.projects.some((p) => p.slug === 'd-ancien'));
  assert.ok(!view.themes.some((th) => th.investment === 120_001));
  const other = await createTenant(t.db, { kind: 'network', name: 'Autre réseau de la vue', slug: `autre-vue-${process.pid}` });
  if (!other.ok) throw new Error(other.message);
  const empty = await loadNetworkView(t.db, other.tenant.id);
  assert.deepEqual([empty.members.length, empty.themes.length, empty.projects.length], [0, 0, 0]);
});

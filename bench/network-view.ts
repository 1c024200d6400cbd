// `npm run bench -- network-view [--quick] [--engine pglite|postgresql]`
// The network view of a network of 500 member collectivités (--quick: 100), each with 12 published and 4
// draft roadmap projects across the themes, 1 in 6 pooled with a partner. Measured: the view as the page
// and the API compute it (network/view.ts loadNetworkView: four statements in the network's transaction under
// row-level security — network_view_overview() (0860: per member its totals, themes, shared counts and
// funding), the first page of pooled projects (network_view_projects_page), a first list of shared procedures
// and datasets, the shared debate kits — then the themes' totals in JavaScript), p95: target ≤ 100 ms. Limit,
// measured in the same run on the same database: the per member and theme aggregate alone (as 0853's
// network_view_summary) as a plain statement run by the owner (no function, no RLS, no other statement).
// Ratio = limit ÷ value. The two alternate by rounds with the view as it was read before 0860 (seven
// statements), whose figures are printed for the comparison.
import type { Database } from '../src/core/db/database.ts';
import { loadNetworkView } from '../src/modules/roadmap/network/view.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { latencyResult, percentile, progress, round, type BenchResult } from './lib/report.ts';

const THEMES = ['data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g'];

async function generate(db: Database, members: number): Promise<string> {
  return db.ownerTransaction(async (tx) => {
    const network = (await tx.one<{ id: string }>(`insert into tenants (slug, name, kind) values ('reseau-bench', 'Réseau du banc', 'network') returning id`))!
      .id;
    await tx.query(`insert into tenants (slug, name, kind) select 'membre-' || i, 'Membre ' || i, 'syndicate' from generate_series(1, $1) as i`, [members]);
    await tx.query(
      `insert into tenant_relations (tenant_id, related_tenant_id, kind) select id, $1, 'network_member' from tenants where slug like 'membre-%'`,
      [network],
    );
    await tx.query(
      `insert into roadmap_projects (tenant_id, slug, title, theme, stage, budget_investment, budget_operation, published)
       select t.id, 'projet-' || j, 'Projet ' || j || ' de ' || t.name, ($1::text[])[1 + (j % 8)], (array['idea','study','running','delivered'])[1 + (j % 4)],
              10000 * j, 1000 * j, j <= 12
       from tenants t cross join generate_series(1, 16) as j where t.slug like 'membre-%'`,
      [THEMES],
    );
    await tx.query(
      `insert into roadmap_project_partners (tenant_id, project_id, partner_tenant_id)
       select p.tenant_id, p.id, (select id from tenants where slug = 'membre-1') from roadmap_projects p
       join tenants t on t.id = p.tenant_id where t.slug <> 'membre-1' and p.slug in ('projet-1', 'projet-7') and (hashtext(t.slug) % 3 = 0)`,
    );
    return network;
  });
}

export async function networkViewBench(o: BenchOptions): Promise<BenchResult> {
  const members = o.quick ? 100 : 500;
  const samples = o.quick ? 100 : 300;
  const warmup = 30;
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await bench.open({ max: 2 });
    try {
      progress(`generating ${members} members with 16 projects each (12 published)`);
      const network = await generate(db, members);
      await db.ownerTransaction((tx) => tx.query('analyze'));
      // The same aggregate as network_view_summary(), as a plain statement run by the owner: no function, no RLS, no grouping in JavaScript.
      const bare = async () =>
        db.ownerTransaction((tx) =>
          tx.query(
            `select p.tenant_id, p.theme, count(*)::int, sum(p.budget_investment)::bigint, sum(p.budget_operation)::bigint,
                    count(*) filter (where exists (select 1 from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id))::int
             from tenant_relations r join roadmap_projects p on p.tenant_id = r.tenant_id
             where r.related_tenant_id = $1 and r.kind = 'network_member' and p.published group by p.tenant_id, p.theme`,
            [network],
          ),
        );
      const view = () => loadNetworkView(db, network);
      const check = await view();
      const published = [...check.totals.values()].reduce((n, x) => n + x.projects, 0);
      progress(`view: ${check.members.length} members, ${published} published projects, ${check.projects.length} pooled on the first page`);
      if (published !== members * 12) throw new Error(`expected ${members * 12} published projects, got ${published}`);
      // The view as it was read before 0860 (seven statements: the members, 0853's summary and shared counts,
      // 0854's funding, 0853's page of pooled projects, the shared list, the kits), for the comparison only.
      const before0860 = () =>
        db.transaction(network, async (tx) => {
          await tx.query(
            `select t.id, t.slug, t.name, t.kind, t.official_code from tenant_relations r join tenants t on t.id = r.tenant_id
             where r.related_tenant_id = $1 and r.kind = 'network_member' order by t.name`,
            [network],
          );
          await tx.query('select member_tenant_id, theme, projects, investment::text, operation::text, pooled from network_view_summary($1)', [network]);
          await tx.query('select member_tenant_id, procedures, datasets from network_view_shared_counts($1)', [network]);
          await tx.query('select member_tenant_id, granted::text from network_view_funding($1)', [network]);
          await tx.query('select * from network_view_theme($1, null, 50, 0)', [network]);
          await tx.query('select member_tenant_id, kind, slug, title from network_view_shared($1) order by kind, title limit 50', [network]);
          await tx.query(`select * from debates_visible_kits() where sharing = 'network' order by title limit 50`);
        });
      // The three alternate in rounds, so that a change of the shared machine's load falls on each alike.
      const rounds = 5;
      const per = Math.ceil(samples / rounds);
      const limit: number[] = [];
      const value: number[] = [];
      const before: number[] = [];
      const time = async (fn: () => Promise<unknown>, n: number, out?: number[]) => {
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await fn();
          out?.push(performance.now() - t0);
        }
      };
      for (const fn of [bare, view, before0860]) await time(fn, warmup);
      for (let r = 0; r < rounds; r++) {
        await time(bare, per, limit);
        await time(view, per, value);
        await time(before0860, per, before);
      }
      progress(`bare SQL p95 ${round(percentile(limit, 95))} ms; network view p95 ${round(percentile(value, 95))} ms (p50 ${round(percentile(value, 50))} ms)`);
      progress(`the view as read before 0860: p95 ${round(percentile(before, 95))} ms (p50 ${round(percentile(before, 50))} ms)`);
      return latencyResult('network-view', o.engine, percentile(value, 95), percentile(limit, 95));
    } finally {
      await db.release();
    }
  } finally {
    await bench.drop();
  }
}

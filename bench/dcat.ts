// `npm run bench -- dcat [--quick] [--engine pglite|postgresql]`
// The DCAT-AP 3 feeds of an installation holding 10,000 published datasets (--quick: 1,000), spread over
// 10 collectivités, each dataset with two resources (a version each), through HTTP against a server process:
//   1. the whole installation feed, /catalogue.ttl followed page after page (page_size=1000, hydra:next),
//      every byte read: target ≤ 5 s;
//   2. one page of a feed (default page_size=100: pages of the installation feed and of a collectivité's),
//      p95 of sequential GETs from a separate process: target ≤ 50 ms.
// Limits, measured in the same run on the same database: the same rows read by the same repository code
// (counts, then the page's datasets chunk by chunk with their resources), in this process, without HTTP
// and without writing RDF. The ratio printed is limit ÷ value (higher is better) for the whole feed; the
// page figures are printed beside it. Rows are written in SQL (generate_series), not through the actions:
// the feed reads rows, and 10,000 datasets through the pages would take longer than the measure.
import type { Database } from '../src/core/db/database.ts';
import { createTenant } from '../src/core/tenancy/create-tenant.ts';
import { countEach, windowOf, type TenantRef } from '../src/modules/catalogue/publishing/across-tenants.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { startServerProcess } from './lib/server-process.ts';
import { runLoadWorker } from './lib/load.ts';
import { latencyResult, percentile, progress, round, type BenchResult } from './lib/report.ts';

const TENANTS = 10;
const FULL_PAGE = 1000;

export async function generate(db: Database, perTenant: number): Promise<TenantRef[]> {
  const tenants: TenantRef[] = [];
  for (let i = 1; i <= TENANTS; i++) {
    const slug = `banc-dcat-${String(i).padStart(2, '0')}`;
    const created = await createTenant(db, { kind: 'syndicate', name: `Syndicat de données ${i}`, slug, actor: 'cli' });
    if (!created.ok) throw new Error(created.message);
    const tenant = { id: created.tenant.id, slug, name: created.tenant.name };
    await db.transaction(tenant.id, async (tx) => {
      // One blob shared by every version (the feed reads its hash and size, never its bytes).
      await tx.query(
        `insert into blobs (tenant_id, sha256, size, content_type) values (app_tenant(), encode(sha256(convert_to(app_tenant()::text, 'UTF8')), 'hex'), 48213, 'text/csv')`,
      );
      await tx.query(
        `insert into catalogue_datasets (tenant_id, slug, title, description, keywords, themes, licence, frequency, spatial, temporal_start, temporal_end,
           publisher, contact_point, state, published_at, schema_name)
         select app_tenant(), 'jeu-' || g, 'Subventions attribuées n° ' || g,
           'Les subventions versées aux associations par la collectivité (jeu n° ' || g || ') : bénéficiaire, objet, montant, date de la convention.',
           array['subventions', 'associations', 'budget'], array['GOVE', 'ECON'], 'etalab-2.0', 'ANNUAL', array['44109', '244400404'],
           date '2024-01-01', date '2024-12-31', '', 'donnees@example.org', 'published', now(), 'scdl-subventions'
         from generate_series(1, $1) g`,
        [perTenant],
      );
      await tx.query(
        `insert into catalogue_resources (tenant_id, dataset_id, title, description)
         select app_tenant(), d.id, 'Fichier ' || k, 'Une ligne par subvention (fichier ' || k || ').'
         from catalogue_datasets d, generate_series(1, 2) k where d.tenant_id = app_tenant()`,
      );
      await tx.query(
        `insert into catalogue_resource_versions (tenant_id, resource_id, version, sha256, size, content_type, filename, format, uploaded_by, validation_state, valid)
         select app_tenant(), r.id, 1, b.sha256, b.size, 'text/csv', 'subventions.csv', 'CSV', 'bench', 'done', true
         from catalogue_resources r, blobs b where r.tenant_id = app_tenant() and b.tenant_id = app_tenant()`,
      );
    });
    tenants.push(tenant);
  }
  await db.ownerTransaction((tx) => tx.query('analyze'));
  return tenants;
}

/** The limit of one page: what feedChunks reads for it (counts, then the window chunk by chunk), no RDF. */
export async function readPage(db: Database, tenants: TenantRef[], page: number, size: number): Promise<number> {
  const counted = await countEach(db, tenants);
  let n = 0;
  for await (const { datasets } of windowOf(db, counted, (page - 1) * size, size)) n += datasets.length;
  return n;
}

const spread = (xs: number[]) => [50, 95, 99].map((p) => `p${p} ${percentile(xs, p).toFixed(1)} ms`).join(', ');

export async function dcatBench(o: BenchOptions): Promise<BenchResult & Record<string, unknown>> {
  const perTenant = o.quick ? 100 : 1000;
  const total = perTenant * TENANTS;
  const samples = o.quick ? 200 : 600;
  const warmup = o.quick ? 50 : 100;
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    // 1. Data, and the limits measured on it in this process.
    const db = await bench.open({ max: 2 });
    let tenants: TenantRef[];
    let fullLimitMs: number;
    const pageLimit: number[] = [];
    const pages: Array<{ url: string; tenants: 'all' | number; page: number }> = [];
    try {
      const t0 = performance.now();
      progress(`generating ${total.toLocaleString('en-GB')} published datasets (2 resources each) in ${TENANTS} collectivités`);
      tenants = await generate(db, perTenant);
      progress(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const lastPage = Math.ceil(total / 100);
      for (let i = 0; i < 40; i++) {
        // Pages spread over the installation feed, and first/middle/last pages of collectivités' feeds.
        if (i % 2 === 0) pages.push({ url: `/catalogue.ttl?page=${1 + ((i * 37) % lastPage)}`, tenants: 'all', page: 1 + ((i * 37) % lastPage) });
        else {
          const k = i % TENANTS;
          const page = 1 + ((i * 3) % Math.ceil(perTenant / 100));
          pages.push({ url: `/${tenants[k]!.slug}/catalogue.ttl?page=${page}`, tenants: k, page });
        }
      }
      const start = performance.now();
      let read = 0;
      for (let page = 1; page <= Math.ceil(total / FULL_PAGE); page++) read += await readPage(db, tenants, page, FULL_PAGE);
      fullLimitMs = performance.now() - start;
      if (read !== total) throw new Error(`the limit read ${read} datasets, expected ${total}`);
      progress(`limit, whole feed: the same rows read by the same SQL in ${fullLimitMs.toFixed(0)} ms`);
      for (let i = 0; i < warmup + samples; i++) {
        const p = pages[i % pages.length]!;
        const t1 = performance.now();
        await readPage(db, p.tenants === 'all' ? tenants : [tenants[p.tenants]!], p.page, 100);
        if (i >= warmup) pageLimit.push(performance.now() - t1);
      }
      progress(`limit, one page of 100: ${spread(pageLimit)}`);
    } finally {
      await db.release();
    }

    // 2. Through HTTP, a server process on the same database.
    const server = await startServerProcess({ env: bench.env });
    progress(`server ready in ${server.startMs.toFixed(0)} ms`);
    let fullMs: number;
    let bytes = 0;
    let http: { samples: number[]; failures: number; lastFailure: string };
    try {
      // A warm server (as for the other latency benchmarks): one pass of the page list first.
      for (const p of pages.slice(0, 10)) await (await fetch(`${server.baseUrl}${p.url}`)).text();
      const start = performance.now();
      let url: string | null = `${server.baseUrl}/catalogue.ttl?page=1&page_size=${FULL_PAGE}`;
      let datasets = 0;
      while (url) {
        const res: Response = await fetch(url);
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        const body = await res.text();
        bytes += Buffer.byteLength(body);
        datasets += (body.match(/\n {2}a dcat:Dataset\b/g) ?? []).length;
        const next = /hydra:next <([^>]+)>/.exec(body);
        url = next ? next[1]! : null;
      }
      fullMs = performance.now() - start;
      progress(`HTTP, whole feed: ${(fullMs / 1000).toFixed(2)} s, ${(bytes / 1024 / 1024).toFixed(1)} MiB of Turtle, ${Math.ceil(total / FULL_PAGE)} pages`);
      if (datasets !== total) throw new Error(`the feed gave ${datasets} datasets, expected ${total}`);
      progress(`HTTP, one page of 100: ${samples} sequential GETs from a separate process`);
      http = await runLoadWorker({ kind: 'latency', urls: pages.map((p) => `${server.baseUrl}${p.url}`), headers: {}, warmup, samples });
    } finally {
      await server.stop();
    }
    if (http.failures) throw new Error(`${http.failures} failed requests, last: ${http.lastFailure}`);
    progress(`HTTP, one page of 100: ${spread(http.samples)}`);
    const pageP95 = percentile(http.samples, 95);
    const result = latencyResult('dcat', o.engine, fullMs, fullLimitMs, 'ms whole feed');
    return {
      ...result,
      datasets: total,
      feed_mib: round(bytes / 1024 / 1024, 1),
      feed_target_ms: 5000,
      page_p95_ms: round(pageP95, 2),
      page_limit_p95_ms: round(percentile(pageLimit, 95), 2),
      page_ratio: round(percentile(pageLimit, 95) / pageP95, 3),
      page_target_ms: 50,
    };
  } finally {
    await bench.drop();
  }
}

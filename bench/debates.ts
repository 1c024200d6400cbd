// Debates (issue 15), two measures:
//
// `npm run bench -- debates-post [--quick] [--engine postgresql|pglite] [--seconds N]`
//   Contributions posted through the module's action (postContribution: validation, limits, then one call of
//   debates_post_contribution that reads the debate's state, checks it and writes the row, its journal entry
//   and the dataset refresh job, in one transaction; migration 0702), 16 at a time
//   from 200 people, against a direct INSERT of the same rows (one per transaction, same concurrency, same
//   driver) measured in the same run. HTTP is not in this measure (see `submission` for what HTTP adds).
//   Targets: ≥ 500/s on PostgreSQL and ≥ 0.5 × the direct insert.
//
// `npm run bench -- debates-page [--quick] [--engine postgresql|pglite]`
//   A debate with 50,000 contributions (5,000 with --quick): p95 of its page through HTTP (anonymous GETs
//   from a separate process; filters on type, step, answer, most supported; deeper pages) against what the
//   handler reads (debate, steps, the page and its count) alone, in the handler's two tenant transactions. On
//   PostgreSQL the two are measured in alternating blocks (5, or 4 with --quick) with the server running, so
//   that both see the same load. Targets: p95 ≤ 30 ms and ≤ 2 × the SQL alone.
import type { Database } from '../src/core/db/database.ts';
import { createTenant } from '../src/core/tenancy/create-tenant.ts';
import { translator } from '../src/core/i18n/i18n.ts';
import { uuidv7 } from '../src/core/db/ids.ts';
import type { Principal } from '../src/modules/debates/debates.policy.ts';
import { createDebate } from '../src/modules/debates/actions/create-debate.ts';
import { postContribution } from '../src/modules/debates/actions/contribute.ts';
import { findDebate, phasesOf } from '../src/modules/debates/debates.repository.ts';
import { listContributions } from '../src/modules/debates/contributions.repository.ts';
import type { ContributionFilters } from '../src/modules/debates/debates.schema.ts';
import { today } from '../src/modules/debates/phases.ts';
import type { BenchOptions } from './lib/options.ts';
import { freshDatabase } from './lib/database.ts';
import { startServerProcess } from './lib/server-process.ts';
import { runLoadWorker } from './lib/load.ts';
import { latencyResult, percentile, progress, throughputResult, type BenchResult } from './lib/report.ts';

const CONCURRENCY = 16;
const PEOPLE = 200;

function day(offset: number): string {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

async function setup(db: Database): Promise<{ tenantId: string; slug: string; debateSlug: string; debateId: string; phaseId: string; people: string[] }> {
  const slug = `banc-debats-${process.pid}`;
  const created = await createTenant(db, { kind: 'syndicate', name: `Banc d’essai ${slug}`, slug, actor: 'cli' });
  if (!created.ok) throw new Error(created.message);
  const tenantId = created.tenant.id;
  const team: Principal = {
    tenantId,
    actor: 'cli',
    personId: null,
    displayName: null,
    viaToken: false,
    roles: ['tenant_admin'],
    t: translator('fr'),
    address: null,
  };
  const { debate, phases } = await createDebate(db, team, {
    title: 'Débat local sur le déploiement de la 5G',
    status: 'published',
    phases: [
      { kind: 'information', summary: 'On s’informe.', starts_on: day(-30), ends_on: day(-1) },
      { kind: 'contributions', summary: 'On propose.', starts_on: day(0), ends_on: day(30) },
    ],
  });
  const people = await db.transaction(null, (tx) =>
    tx.query<{ id: string }>(
      `insert into people (email, display_name, email_verified_at) select 'banc-' || g || '-' || $1 || '@example.org', 'Participant ' || g, now()
       from generate_series(1, $2) g returning id`,
      [process.pid, PEOPLE],
    ),
  );
  return { tenantId, slug, debateSlug: debate.slug, debateId: debate.id, phaseId: phases[1]!.id, people: people.map((p) => p.id) };
}

const BODY = 'Installer des capteurs de mesure de l’exposition près des écoles et publier les mesures chaque mois. '.repeat(4);

async function rate(seconds: number, one: (worker: number, i: number) => Promise<void>): Promise<{ rate: number; count: number }> {
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await one(w, i);
        count += 1;
      }
    }),
  );
  return { rate: count / ((performance.now() - started) / 1000), count };
}

export async function debatesPostBench(o: BenchOptions): Promise<BenchResult> {
  // Limits per person are for people, not for a benchmark's 200 accounts posting for seconds.
  process.env.BASTIDE_DEBATES_CONTRIBUTIONS_PER_PERSON = '100000000';
  const seconds = o.seconds ?? (o.quick ? 5 : 20);
  const bench = await freshDatabase(o.engine, o.serverUrl);
  try {
    const db = await bench.open({ max: CONCURRENCY + 2 });
    try {
      const s = await setup(db);
      const principal = (w: number, i: number): Principal => {
        const personId = s.people[(w * 13 + i) % s.people.length]!;
        return {
          tenantId: s.tenantId,
          actor: `person:${personId}`,
          personId,
          displayName: null,
          viaToken: true,
          roles: ['citizen'],
          t: translator('fr'),
          address: null,
        };
      };
      const input = (i: number) => ({ kind: 'proposal' as const, title: `Proposition ${i}`, body: BODY });
      progress(`warm-up, then ${seconds} s of each, ${CONCURRENCY} at a time`);
      await rate(1, (w, i) => postContribution(db, principal(w, i), s.debateSlug, input(i)).then(() => undefined));
      const action = await rate(seconds, (w, i) => postContribution(db, principal(w, i), s.debateSlug, input(i)).then(() => undefined));
      progress(`action: ${action.count} contributions, ${action.rate.toFixed(1)}/s`);
      const direct = await rate(seconds, async (w, i) => {
        const personId = s.people[(w * 13 + i) % s.people.length]!;
        await db.transaction(s.tenantId, (tx) =>
          tx.query(
            `insert into debate_contributions (tenant_id, id, debate_id, phase_id, kind, title, body, author_person_id, display_name, moderation)
             values (app_tenant(), $1, $2, $3, 'proposal', $4, $5, $6, $7, 'visible')`,
            [uuidv7(), s.debateId, s.phaseId, `Proposition ${i}`, BODY, personId, `Participant ${i}`],
          ),
        );
      });
      progress(`direct INSERT: ${direct.count} rows, ${direct.rate.toFixed(1)}/s; ratio ${(action.rate / direct.rate).toFixed(3)}`);
      return throughputResult('debates-post', o.engine, action.rate, direct.rate, 'contributions/s');
    } finally {
      await db.release();
    }
  } finally {
    await bench.drop();
  }
}

// The page's queries: the first page, each filter, most supported, a deeper page.
const QUERIES = [
  '',
  'kind=proposal',
  'kind=question&sort=supported',
  'sort=supported',
  'status=retained',
  'phase=1&kind=opinion',
  'page=50',
  'kind=proposal&page=20',
];

function filtersOf(q: string): ContributionFilters {
  const p = new URLSearchParams(q);
  const f: ContributionFilters = {};
  if (p.get('kind')) f.kind = p.get('kind') as ContributionFilters['kind'];
  if (p.get('sort')) f.sort = p.get('sort') as ContributionFilters['sort'];
  if (p.get('status')) f.status = p.get('status') as ContributionFilters['status'];
  if (p.get('phase')) f.phase = Number(p.get('phase'));
  if (p.get('page')) f.page = Number(p.get('page'));
  return f;
}

async function seedContributions(db: Database, s: Awaited<ReturnType<typeof setup>>, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += 10_000) {
    const n = Math.min(10_000, rows - done);
    await db.transaction(s.tenantId, (tx) =>
      tx.query(
        `insert into debate_contributions (tenant_id, debate_id, phase_id, kind, stance, title, body, author_person_id, display_name, moderation,
           hide_reason, answer_status, support_count, comment_count, created_at)
         select app_tenant(), $1, $2, k.kind, case when k.kind = 'opinion' then 'for' end, 'Contribution ' || g, $3, ($4::uuid[])[1 + g % $5], 'Participant ' || g % $5,
           case when g % 97 = 0 then 'hidden' when g % 89 = 0 then 'pending' else 'visible' end,
           case when g % 97 = 0 then 'Hors sujet' end,
           case when g % 11 = 0 then 'retained' when g % 13 = 0 then 'studied' when g % 17 = 0 then 'not_retained' end,
           (g * 7919) % 500, g % 7, now() - (g || ' seconds')::interval
         from generate_series($6::int, $7::int) g, lateral (select (array['proposal', 'question', 'opinion'])[1 + g % 3] as kind) k`,
        [s.debateId, s.phaseId, BODY, s.people, s.people.length, done + 1, done + n],
      ),
    );
  }
  await db.ownerTransaction((tx) => tx.query('analyze debate_contributions'));
}

/** Sequential anonymous GETs of the page's query shapes from a separate process (bench/load-worker.ts). */
async function httpSamples(
  server: Awaited<ReturnType<typeof startServerProcess>>,
  s: Awaited<ReturnType<typeof setup>>,
  warmup: number,
  samples: number,
): Promise<number[]> {
  const base = `${server.baseUrl}/${s.slug}/concertations/${s.debateSlug}`;
  const r = await runLoadWorker<{ samples: number[]; failures: number; lastFailure: string }>({
    kind: 'latency',
    urls: QUERIES.map((q) => `${base}${q ? `?${q}` : ''}`),
    headers: {},
    warmup,
    samples,
  });
  if (r.failures) throw new Error(`${r.failures} failed requests, last: ${r.lastFailure}`);
  return r.samples;
}

export async function debatesPageBench(o: BenchOptions): Promise<BenchResult> {
  const rows = o.quick ? 5000 : 50_000;
  const samples = o.quick ? 400 : 2000;
  const warmup = o.quick ? 100 : 400;
  // PostgreSQL: the SQL alone and HTTP are measured in alternating blocks, the server running throughout, so
  // that both see the same moments of a shared machine's load (measured one after the other, a change of
  // load between the two phases moved the ratio more than anything the page does). Each block is a tight
  // loop of its own, as before. PGlite: one after the other (the server holds the data folder).
  const blocks = o.engine === 'postgresql' ? (o.quick ? 4 : 5) : 1;
  const perBlock = Math.ceil(samples / blocks);
  const bench = await freshDatabase(o.engine, o.serverUrl);
  // A loaded machine starts a server slowly: three minutes before giving up.
  const start = () => startServerProcess({ env: bench.env, timeoutMs: 180_000 });
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const limit: number[] = [];
    const http: number[] = [];
    let s: Awaited<ReturnType<typeof setup>>;
    const db = await bench.open({ max: 2 });
    try {
      s = await setup(db);
      progress(`${rows.toLocaleString('en-GB')} contributions`);
      await seedContributions(db, s, rows);
      if (o.engine === 'postgresql') await db.exec('vacuum (analyze) debate_contributions');
      const sqlAlone = async (count: number, keep: boolean) => {
        for (let i = 0; i < count; i++) {
          const filters = filtersOf(QUERIES[i % QUERIES.length]!);
          const t0 = performance.now();
          // What the handler reads, in its transactions: the debate and its steps, then the page and its count.
          const debate = await db.transaction(s.tenantId, async (tx) => {
            const d = await findDebate(tx, s.debateSlug);
            await phasesOf(tx, d!.id);
            return d!;
          });
          await db.transaction(s.tenantId, (tx) => listContributions(tx, debate.id, filters, { personId: null, moderator: false }));
          if (keep) limit.push(performance.now() - t0);
        }
      };
      await sqlAlone(warmup, false);
      if (blocks === 1) await sqlAlone(samples, true);
      else {
        server = await start();
        for (let b = 0; b < blocks; b++) {
          await sqlAlone(perBlock, true);
          // Each block's load worker is a new process on a new connection: a few unmeasured requests first.
          http.push(...(await httpSamples(server, s, b === 0 ? warmup : 40, perBlock)));
          progress(`block ${b + 1}/${blocks}: SQL alone p95 ${percentile(limit, 95).toFixed(2)} ms, HTTP p95 ${percentile(http, 95).toFixed(2)} ms so far`);
        }
      }
    } finally {
      await db.release();
    }
    if (blocks === 1) {
      server = await start();
      http.push(...(await httpSamples(server, s, warmup, samples)));
    }
    progress(`SQL alone: p50 ${percentile(limit, 50).toFixed(2)} ms, p95 ${percentile(limit, 95).toFixed(2)} ms`);
    progress(`HTTP: p50 ${percentile(http, 50).toFixed(2)} ms, p95 ${percentile(http, 95).toFixed(2)} ms`);
    return latencyResult('debates-page', o.engine, percentile(http, 95), percentile(limit, 95));
  } finally {
    await server?.stop();
    await bench.drop();
  }
}

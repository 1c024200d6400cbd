// Indicators that measure themselves. Once a day the job `roadmap.measure` (and a staff member's "measure
// now") computes, for each collectivité that follows such an indicator, the figures other modules publish
// through their index.ts — never by reading their tables — and stores one value per month (dated the
// first of the month; the current month's value is refreshed until the month ends):
//   dossiers_online      dossiers filed in the month (procedures' dossierStatistics)
//   datasets_published   datasets in the public catalogue at the end of each month (catalogueMetrics)
//   dataset_quality      mean quality score of those datasets, in % (catalogueMetrics; current month)
//   archive_volume       megabytes kept in the archives at the end of each month (archivesMetrics)
//   debate_participation distinct people who took part in the public debates so far (debatesMetrics; current month)
//   ecoindex             mean EcoIndex of the collectivité's public pages (ecoindex.ts; current month)
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { journal } from '../../../core/audit/journal.ts';
import { dossierStatistics } from '../../procedures/index.ts';
import { catalogueMetrics } from '../../catalogue/index.ts';
import { archivesMetrics } from '../../archives/index.ts';
import { debatesMetrics } from '../../debates/index.ts';
import { measuredIndicators, upsertValue } from './indicators.repository.ts';
import { measureEcoIndex } from './ecoindex.ts';
import type { Source } from '../roadmap.schema.ts';

export const MEASURE_JOB = 'roadmap.measure';

type Measured = Exclude<Source, 'manual'>;
/** Month (YYYY-MM) → value. */
type Series = Map<string, number>;

/**
 * Sources no module publishes yet: shown as "not available yet", never read from another module's tables.
 * Empty since the debates module exports debatesMetrics; kept for the next source added before its module.
 */
export const UNAVAILABLE_SOURCES: ReadonlySet<Measured> = new Set<Measured>();

// The Fastify instance of this process, set when the roadmap's routes are registered (roadmap-part.ts): the
// EcoIndex requests the collectivité's pages in-process. A process without routes measures everything else.
const apps = new WeakMap<object, FastifyInstance>();
export function rememberApp(deps: AppDeps, app: FastifyInstance): void {
  apps.set(deps.db, app);
}

function month(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** A running total: the value at the end of each month from the amounts of each month. */
function cumulative(byMonth: Array<[string, number]>, until: string): Series {
  const out: Series = new Map();
  let sum = 0;
  for (const [m, n] of byMonth.sort((a, b) => a[0].localeCompare(b[0]))) {
    if (m > until) break;
    sum += n;
    out.set(m, sum);
  }
  if (out.size && !out.has(until)) out.set(until, sum);
  return out;
}

async function seriesFor(
  deps: Pick<AppDeps, 'db' | 'config'>,
  tenantId: string,
  slug: string,
  sources: Set<Measured>,
  now: Date,
): Promise<Map<Measured, Series>> {
  const current = month(now);
  const out = new Map<Measured, Series>();
  if (sources.has('dossiers_online')) {
    const stats = await deps.db.transaction(tenantId, (tx) => dossierStatistics(tx));
    const series: Series = new Map([[current, 0]]);
    for (const r of stats) if (r.month <= current) series.set(r.month, (series.get(r.month) ?? 0) + r.dossiers);
    out.set('dossiers_online', series);
  }
  if (sources.has('datasets_published') || sources.has('dataset_quality')) {
    const m = await catalogueMetrics(deps, tenantId, now);
    const published = cumulative(
      m.publishedByMonth.map((x) => [x.month, x.count]),
      current,
    );
    out.set('datasets_published', published.size ? published : new Map([[current, 0]]));
    if (m.meanQuality !== null) out.set('dataset_quality', new Map([[current, Math.round(m.meanQuality * 1000) / 10]]));
  }
  if (sources.has('archive_volume')) {
    const m = await archivesMetrics(deps, tenantId);
    const mb = cumulative(
      m.byMonth.map((x) => [x.month, x.bytes / 1_000_000]),
      current,
    );
    for (const [k, v] of mb) mb.set(k, Math.round(v * 100) / 100);
    out.set('archive_volume', mb.size ? mb : new Map([[current, 0]]));
  }
  if (sources.has('debate_participation')) {
    const m = await debatesMetrics(deps, tenantId);
    out.set('debate_participation', new Map([[current, m.participants]]));
  }
  const app = apps.get(deps.db);
  if (sources.has('ecoindex') && app) {
    const { score } = await measureEcoIndex(app, slug);
    if (score !== null) out.set('ecoindex', new Map([[current, score]]));
  }
  return out;
}

/** Measures one collectivité's Bastide indicators and stores the values; returns how many were written. */
export async function measureTenant(deps: Pick<AppDeps, 'db' | 'config'>, tenantId: string, actor = 'system', now = new Date()): Promise<number> {
  const { indicators, slug } = await deps.db.transaction(tenantId, async (tx) => ({
    indicators: await measuredIndicators(tx),
    slug: (await tx.one<{ slug: string }>('select slug from tenants where id = app_tenant()'))!.slug,
  }));
  if (indicators.length === 0) return 0;
  const series = await seriesFor(deps, tenantId, slug, new Set(indicators.map((i) => i.source)), now);
  return deps.db.transaction(tenantId, async (tx) => {
    let written = 0;
    for (const indicator of indicators) {
      for (const [m, value] of series.get(indicator.source) ?? []) {
        await upsertValue(tx, { indicator_id: indicator.id, measured_on: `${m}-01`, value, unit: indicator.unit, origin: 'bastide' });
        written += 1;
      }
    }
    await journal(tx, { actor, action: 'roadmap.indicators.measure', data: { indicators: indicators.length, values: written } });
    return written;
  });
}

/** The daily job: every collectivité that follows at least one measured indicator. */
export async function measureAll(deps: Pick<AppDeps, 'db' | 'config'>, now = new Date()): Promise<void> {
  const tenants = await deps.db.ownerTransaction((tx) =>
    tx.query<{ tenant_id: string }>("select distinct tenant_id from roadmap_indicators where source <> 'manual' order by tenant_id"),
  );
  for (const t of tenants) await measureTenant(deps, t.tenant_id, 'system', now);
}

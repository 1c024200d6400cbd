// Prometheus text exposition: request counts and durations per route, job queue depth from the database.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class HttpMetrics {
  private counts = new Map<string, number>();
  private histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route.replace(/"/g, '')}",status="${status}"`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const hkey = `method="${method}",route="${route.replace(/"/g, '')}"`;
    let h = this.histograms.get(hkey);
    if (!h) this.histograms.set(hkey, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => { if (seconds <= b) h!.buckets[i]! += 1; });
    h.sum += seconds;
    h.count += 1;
  }

  render(): string {
    const lines = ['# HELP bastide_http_requests_total HTTP requests by route and status.', '# TYPE bastide_http_requests_total counter'];
    for (const [k, v] of this.counts) lines.push(`bastide_http_requests_total{${k}} ${v}`);
    lines.push('# HELP bastide_http_request_duration_seconds HTTP request duration.', '# TYPE bastide_http_request_duration_seconds histogram');
    for (const [k, h] of this.histograms) {
      BUCKETS.forEach((b, i) => lines.push(`bastide_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      lines.push(`bastide_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      lines.push(`bastide_http_request_duration_seconds_sum{${k}} ${h.sum}`);
      lines.push(`bastide_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    return lines.join('\n');
  }
}

export function registerMetrics(app: FastifyInstance, db: Database): void {
  const metrics = new HttpMetrics();
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const jobs = await db.transaction(null, (tx) => tx.query<{ state: string; n: number }>(
      `select state, count(*)::int as n from jobs group by state`));
    const mem = process.memoryUsage();
    const lines = [
      metrics.render(),
      '# HELP bastide_jobs Jobs in the queue by state.', '# TYPE bastide_jobs gauge',
      ...['queued', 'running', 'done', 'failed'].map((s) => `bastide_jobs{state="${s}"} ${jobs.find((j) => j.state === s)?.n ?? 0}`),
      '# HELP process_resident_memory_bytes Resident memory.', '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP process_uptime_seconds Uptime.', '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${process.uptime()}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}

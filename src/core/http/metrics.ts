// Prometheus text exposition (format 0.0.4) at /metrics: request counts and durations per route
// template (never the raw URL, so the number of series stays bounded), the job queue by state and the
// age of the oldest job waiting, and process memory. Each process reports its own HTTP figures; the
// queue figures come from the shared database. Expose /metrics to the monitoring network only (see
// docs/deployment.md): it is not secret, but it is not for the public either.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { withheldMails } from '../mail/recipient-limit.ts';
import { argon2Stats } from '../auth/passwords.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_STATES = ['queued', 'running', 'done', 'failed'];

/** Label values escaped as the exposition format requires (backslash, double quote, newline). */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class HttpMetrics {
  private counts = new Map<string, number>();
  private histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const series = `method="${label(method)}",route="${label(route)}"`;
    const key = `${series},status="${status}"`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let h = this.histograms.get(series);
    if (!h) this.histograms.set(series, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    // Cumulative buckets: a request counts in every bucket whose bound it is under.
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h!.buckets[i]! += 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  render(): string[] {
    const lines = ['# HELP bastide_http_requests_total HTTP requests by route and status.', '# TYPE bastide_http_requests_total counter'];
    for (const [k, v] of this.counts) lines.push(`bastide_http_requests_total{${k}} ${v}`);
    lines.push('# HELP bastide_http_request_duration_seconds HTTP request duration.', '# TYPE bastide_http_request_duration_seconds histogram');
    for (const [k, h] of this.histograms) {
      BUCKETS.forEach((b, i) => lines.push(`bastide_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      lines.push(`bastide_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      lines.push(`bastide_http_request_duration_seconds_sum{${k}} ${h.sum}`);
      lines.push(`bastide_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    return lines;
  }
}

export function registerMetrics(app: FastifyInstance, db: Database): void {
  const metrics = new HttpMetrics();
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const jobs = await db.ownerTransaction((tx) => tx.query<{ state: string; n: number }>(`select state, count(*)::int as n from jobs group by state`));
    const oldest = await db.ownerTransaction((tx) =>
      tx.one<{ age: number | null }>(`select extract(epoch from now() - min(run_at))::float8 as age from jobs where state = 'queued' and run_at <= now()`),
    );
    const withheld = await db.transaction(null, (tx) => withheldMails(tx));
    const mem = process.memoryUsage();
    const lines = [
      ...metrics.render(),
      '# HELP bastide_jobs Jobs in the queue by state.',
      '# TYPE bastide_jobs gauge',
      ...JOB_STATES.map((s) => `bastide_jobs{state="${s}"} ${jobs.find((j) => j.state === s)?.n ?? 0}`),
      '# HELP bastide_jobs_oldest_ready_seconds How long the oldest job ready to run has been waiting.',
      '# TYPE bastide_jobs_oldest_ready_seconds gauge',
      `bastide_jobs_oldest_ready_seconds ${Math.max(0, oldest?.age ?? 0)}`,
      '# HELP bastide_mails_withheld Mails caused by strangers and not sent because their recipient was over its limit, over the last two days (all processes).',
      '# TYPE bastide_mails_withheld gauge',
      `bastide_mails_withheld ${withheld}`,
      '# HELP bastide_argon2_total Password hashes computed by this process.',
      '# TYPE bastide_argon2_total counter',
      `bastide_argon2_total ${argon2Stats.computed}`,
      '# HELP process_resident_memory_bytes Resident memory.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
      '# HELP process_uptime_seconds Uptime.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${process.uptime()}`,
    ];
    return reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(lines.join('\n') + '\n');
  });
}

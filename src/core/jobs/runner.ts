// Runs queued jobs: claims one at a time with SKIP LOCKED (so any number of processes share the queue
// and none runs a job another holds), retries with exponential backoff, and leaves a visible `failed`
// state after the last attempt. A job whose process died is taken again once its lock expires.
import { hostname } from 'node:os';
import type { Database } from '../db/database.ts';
import { jobSignals } from './queue.ts';

export interface Job {
  id: number;
  tenant_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export type JobHandler = (job: Job, db: Database) => Promise<void>;

export interface ScheduledJob {
  kind: string;
  everySeconds: number;
}

export interface RunnerOptions {
  pollMs?: number;
  lockSeconds?: number;
  concurrency?: number;
  /** Backoff base in seconds: attempt n waits base × 2^(n-1), capped at one hour. */
  backoffSeconds?: number;
  log?: { error: (obj: object, msg: string) => void };
}

export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private handlers = new Map<string, JobHandler>();
  private schedules: ScheduledJob[] = [];
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly wake = () => this.tick();
  private readonly options: Required<Omit<RunnerOptions, 'log'>> & Pick<RunnerOptions, 'log'>;

  private db: Database;

  constructor(db: Database, options: RunnerOptions = {}) {
    this.db = db;
    this.options = { pollMs: 1000, lockSeconds: 300, concurrency: 2, backoffSeconds: 5, ...options };
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(job: ScheduledJob): void {
    this.schedules.push(job);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    jobSignals.on('enqueued', this.wake);
    const loop = () => {
      if (this.stopped) return;
      void this.ensureScheduled().catch(() => {});
      this.tick();
      this.timer = setTimeout(loop, this.options.pollMs);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    jobSignals.off('enqueued', this.wake);
    if (this.timer) clearTimeout(this.timer);
    while (this.running > 0) await new Promise((r) => setTimeout(r, 20));
  }

  /** Runs jobs until none is ready (tests and CLI use this instead of the timer). */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count += 1;
    return count;
  }

  private tick(): void {
    if (this.stopped) return;
    while (this.running < this.options.concurrency) {
      this.running += 1;
      void this.runOne()
        .then((ran) => {
          this.running -= 1;
          if (ran) this.tick();
        })
        .catch(() => {
          this.running -= 1;
        });
      // Start at most one claim per free slot per tick; the next tick or completion fills the rest.
      break;
    }
  }

  private async ensureScheduled(): Promise<void> {
    for (const s of this.schedules) {
      await this.db.transaction(null, (tx) => tx.query(
        `insert into jobs (kind, payload, run_at, unique_key, max_attempts)
         values ($1, '{}', now() + make_interval(secs => $2), $3, 3)
         on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing`,
        [s.kind, s.everySeconds, `schedule:${s.kind}`]));
    }
  }

  private async claim(): Promise<Job | null> {
    const kinds = [...this.handlers.keys()];
    return this.db.transaction(null, (tx) => tx.one<Job>(
      `update jobs set state = 'running', attempts = attempts + 1, locked_by = $1,
              locked_until = now() + make_interval(secs => $2)
       where id = (select id from jobs
                   where kind = any($3) and run_at <= now()
                     and (state = 'queued' or (state = 'running' and locked_until < now()))
                   order by run_at, id limit 1 for update skip locked)
       returning id, tenant_id, kind, payload, attempts, max_attempts`,
      [this.workerId, this.options.lockSeconds, kinds]));
  }

  private async runOne(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    const handler = this.handlers.get(job.kind)!;
    try {
      await handler(job, this.db);
      await this.db.transaction(null, (tx) => tx.query(
        `update jobs set state = 'done', finished_at = now(), locked_until = null, last_error = null where id = $1 and locked_by = $2`,
        [job.id, this.workerId]));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.error({ job: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
      const last = job.attempts >= job.max_attempts;
      const delay = Math.min(3600, this.options.backoffSeconds * 2 ** (job.attempts - 1));
      await this.db.transaction(null, (tx) => tx.query(
        `update jobs set state = $3, last_error = $4, locked_until = null,
                run_at = now() + make_interval(secs => $5), finished_at = case when $3 = 'failed' then now() end
         where id = $1 and locked_by = $2`,
        [job.id, this.workerId, last ? 'failed' : 'queued', message.slice(0, 2000), delay]));
    }
    return true;
  }
}

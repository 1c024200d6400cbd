// Runs queued jobs: each slot claims a small batch with SKIP LOCKED (so any number of processes share
// the queue and none runs a job another holds), runs it one job after another, then marks the finished
// ones done in one statement; retries with exponential backoff, and leaves a visible `failed` state
// after the last attempt. A job whose process died is taken again once its lock expires.
// Delivery is at least once: a process killed after a handler's side effect but before the job is
// marked done runs it again, so handlers are written to be repeatable (idempotent keys, upserts), or
// record their effect in the transaction that commits it (effects.ts): a job run again whose effect an
// earlier attempt committed is then marked done without running.
// Batches are why a busy queue costs about one claim and one completion per batch rather than per
// job (docs/performance.md); a batch that runs long gives its unstarted jobs back to the queue.
import { hostname } from 'node:os';
import { withRelaxedCommits, type Database, type Tx } from '../db/database.ts';
import { jobSignals } from './queue.ts';
import { committedEffects } from './effects.ts';

export interface Job {
  id: number;
  tenant_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  /** The job's own random key (set by the runner's claim), for recordEffect() (effects.ts). */
  effect_key?: string;
}

export type JobHandler = (job: Job, db: Database) => Promise<void>;

/**
 * Runs several claimed jobs of one kind at once (one transaction for all, say) and answers, for each
 * job in order, null when it is done or the error that fails it.
 */
export type BatchJobHandler = (jobs: Job[], db: Database) => Promise<Array<unknown>>;

/** A module's handler for one kind of job: one at a time, or a batch at a time. */
export type JobHandlerEntry = JobHandler | { batch: BatchJobHandler };

export interface ScheduledJob {
  kind: string;
  everySeconds: number;
}

export interface RunnerOptions {
  pollMs?: number;
  /** How long a claimed job stays reserved; past it, another worker may take the job again. */
  lockSeconds?: number;
  /** Jobs this process runs at once. */
  concurrency?: number;
  /**
   * Most jobs a slot claims at once (run one after another, marked done together). A claim takes one
   * job while the queue keeps up, and twice as many after each claim that came back full, so that a
   * short queue still spreads over every slot and a backlog is drained in batches.
   */
  batchSize?: number;
  /** Past this many milliseconds in a batch, its jobs not started yet go back to the queue. */
  batchMs?: number;
  /** Backoff base in seconds: attempt n waits base × 2^(n-1), capped at one hour. */
  backoffSeconds?: number;
  /** Finished (`done`) jobs are deleted after this many days; failed ones stay until someone looks. */
  keepDoneDays?: number;
  log?: { error: (obj: object, msg: string) => void };
  /**
   * True while the process is busy with more urgent work (many HTTP requests in flight). The runner
   * then keeps to one slot and pauses `busyPauseMs` between batches: filings are answered first, and
   * their notifications, queued in the same transaction, follow once the peak has passed.
   */
  busy?: () => boolean;
  busyPauseMs?: number;
}

const MAINTENANCE_EVERY_MS = 60_000;
/** Effect records outlive any retry of their job (at most a few hours of backoff) by far. */
const KEEP_EFFECTS_DAYS = 30;

export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private handlers = new Map<string, JobHandler>();
  private batchHandlers = new Map<string, BatchJobHandler>();
  private schedules: ScheduledJob[] = [];
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private housekeeping: Promise<void> | null = null;
  private lastMaintenance = 0;
  private claimSize = 1;
  private readonly wake = () => this.tick();
  private readonly options: Required<Omit<RunnerOptions, 'log'>> & Pick<RunnerOptions, 'log'>;
  private pausing = false;
  /**
   * The runner's own bookkeeping and the handlers' transactions commit without waiting for the disk
   * (TransactionOptions.synchronousCommit): a server crash can only undo their last instants, which
   * makes a job run again, and jobs run at least once anyway. Business changes outside jobs (a filing,
   * a decision) keep durable commits.
   */
  private readonly db: Database;

  constructor(db: Database, options: RunnerOptions = {}) {
    this.db = withRelaxedCommits(db);
    this.options = {
      pollMs: 1000,
      lockSeconds: 300,
      concurrency: 2,
      batchSize: 10,
      batchMs: 1000,
      backoffSeconds: 5,
      keepDoneDays: 7,
      busy: () => false,
      busyPauseMs: 100,
      ...options,
    };
  }

  /**
   * The queue itself is the owner's: the application role may only enqueue (migration 0005, row-level
   * security), while the runner claims and finishes the jobs of every collectivité.
   */
  private queue<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.ownerTransaction(fn, { synchronousCommit: false });
  }

  register(kind: string, handler: JobHandlerEntry): void {
    if (typeof handler === 'function') this.handlers.set(kind, handler);
    else this.batchHandlers.set(kind, handler.batch);
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
      if (!this.housekeeping) {
        this.housekeeping = this.planSchedules()
          .then(() => this.maintenance())
          .catch((err) => this.options.log?.error({ err: String(err) }, 'job housekeeping failed'))
          .finally(() => {
            this.housekeeping = null;
          });
      }
      this.tick();
      this.timer = setTimeout(loop, this.options.pollMs);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    jobSignals.off('enqueued', this.wake);
    if (this.timer) clearTimeout(this.timer);
    // Let claims and handlers in flight finish, so their database work is not cut by a closing pool.
    while (this.running > 0 || this.housekeeping) await new Promise((r) => setTimeout(r, 20));
  }

  /** Runs jobs until none is ready (tests and CLI use this instead of the timer). */
  async drain(): Promise<number> {
    await this.failAbandoned();
    let count = 0;
    for (let ran = await this.runBatch(); ran > 0; ran = await this.runBatch()) count += ran;
    return count;
  }

  /**
   * Fills every free slot with a claim; a slot whose claim found a job claims again when done. While
   * the process is busy, one slot only, and a pause after each batch.
   */
  private tick(): void {
    if (this.pausing) return;
    while (!this.stopped && this.running < (this.options.busy() ? 1 : this.options.concurrency)) {
      this.running += 1;
      void this.runBatch().then(
        (ran) => {
          this.running -= 1;
          if (ran === 0) return;
          if (!this.options.busy()) return this.tick();
          this.pausing = true;
          setTimeout(() => {
            this.pausing = false;
            this.tick();
          }, this.options.busyPauseMs).unref();
        },
        (err) => {
          this.running -= 1;
          this.options.log?.error({ err: String(err) }, 'job runner could not reach the database');
        },
      );
    }
  }

  /** Makes sure each periodic job has one queued occurrence (the unique key keeps it to one). */
  async planSchedules(): Promise<void> {
    for (const s of this.schedules) {
      await this.queue((tx) =>
        tx.query(
          `insert into jobs (kind, payload, run_at, unique_key, max_attempts)
         values ($1, '{}', now() + make_interval(secs => $2), $3, 3)
         on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing`,
          [s.kind, s.everySeconds, `schedule:${s.kind}`],
        ),
      );
    }
  }

  /** Once a minute: fail abandoned last attempts and forget old finished jobs. */
  private async maintenance(): Promise<void> {
    if (Date.now() - this.lastMaintenance < MAINTENANCE_EVERY_MS) return;
    this.lastMaintenance = Date.now();
    await this.failAbandoned();
    await this.queue((tx) =>
      tx.query(`delete from jobs where state = 'done' and finished_at < now() - make_interval(days => $1)`, [this.options.keepDoneDays]),
    );
    await this.queue((tx) => tx.query(`delete from job_effects where committed_at < now() - make_interval(days => $1)`, [KEEP_EFFECTS_DAYS]));
  }

  /**
   * A job whose worker died during its last allowed attempt would otherwise be taken again forever;
   * it becomes `failed`, with the reason, like any other exhausted job.
   */
  private async failAbandoned(): Promise<void> {
    await this.queue((tx) =>
      tx.query(
        `update jobs set state = 'failed', finished_at = now(), locked_until = null,
              last_error = coalesce(last_error || E'\n', '') || 'the worker stopped during the last attempt (' || coalesce(locked_by, '?') || ')'
       where state = 'running' and locked_until < now() and attempts >= max_attempts`,
      ),
    );
  }

  private async claim(limit: number): Promise<Job[]> {
    const kinds = [...this.handlers.keys(), ...this.batchHandlers.keys()];
    if (kinds.length === 0) return [];
    return this.queue(async (tx) => {
      // Statistics of a queue are often stale (it grows by thousands in the minute before autovacuum
      // looks at it); without them the planner sorts every ready job to take ten. Refusing the sort
      // leaves the one plan that fits a queue: walk `jobs_ready` in order and stop at the limit.
      await tx.query('set local enable_sort = off');
      return tx.query<Job>(
        `update jobs set state = 'running', attempts = attempts + 1, locked_by = $1,
              locked_until = now() + make_interval(secs => $2)
       where id in (select id from jobs
                    where kind = any($3) and run_at <= now()
                      and (state = 'queued' or (state = 'running' and locked_until < now() and attempts < max_attempts))
                    order by run_at, id limit $4 for update skip locked)
       returning id, tenant_id, kind, payload, attempts, max_attempts, effect_key`,
        [this.workerId, this.options.lockSeconds, kinds, limit],
      );
    });
  }

  /**
   * Claims a batch and runs it; returns how many jobs ran (0: nothing was ready). Jobs of a kind with a
   * batch handler are handed over together, the first time one of them comes up.
   */
  private async runBatch(): Promise<number> {
    const size = this.claimSize;
    const jobs = (await this.claim(size)).sort((a, b) => a.id - b.id);
    this.claimSize = jobs.length === size ? Math.min(this.options.batchSize, size * 2) : 1;
    const started = performance.now();
    const done: Job[] = [];
    const ran = new Set<number>();
    try {
      // A job taken again (its earlier attempt's process died or it failed) whose effect that attempt
      // committed is done: running it would repeat the effect. First attempts cannot have one (no query).
      const again = jobs.filter((j) => j.attempts > 1);
      const committed = again.length ? await this.queue((tx) => committedEffects(tx, again)) : new Set<string>();
      for (const job of again) {
        if (!job.effect_key || !committed.has(job.effect_key)) continue;
        done.push(job);
        ran.add(job.id);
      }
      for (const job of jobs) {
        if (ran.has(job.id)) continue;
        if (ran.size > 0 && performance.now() - started > this.options.batchMs) break;
        const batch = this.batchHandlers.get(job.kind);
        const group = batch ? jobs.filter((j) => j.kind === job.kind && !ran.has(j.id)) : [job];
        for (const j of group) ran.add(j.id);
        let errors: unknown[];
        try {
          errors = batch ? await batch(group, this.db) : [await this.handlers.get(job.kind)!(job, this.db).then(() => null)];
        } catch (error) {
          errors = group.map(() => error);
        }
        for (const [i, j] of group.entries()) {
          if (errors[i] === null || errors[i] === undefined) done.push(j);
          else await this.recordFailure(j, errors[i]);
        }
      }
    } finally {
      await this.markDone(done);
      await this.giveBack(jobs.filter((j) => !ran.has(j.id)));
    }
    return ran.size;
  }

  /**
   * `attempts` in the condition: if this worker was too slow and another took a job over, the other
   * one's claim (not this late success) decides the job's state.
   */
  private async markDone(jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue((tx) =>
      tx.query(
        `update jobs j set state = 'done', finished_at = now(), locked_until = null, last_error = null
       from unnest($1::bigint[], $2::int[]) as d (id, attempts)
       where j.id = d.id and j.locked_by = $3 and j.attempts = d.attempts`,
        [jobs.map((j) => j.id), jobs.map((j) => j.attempts), this.workerId],
      ),
    );
  }

  /** Jobs claimed but not started (the batch ran long): back to the queue, their attempt not counted. */
  private async giveBack(jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue((tx) =>
      tx.query(
        `update jobs j set state = 'queued', attempts = j.attempts - 1, locked_by = null, locked_until = null
       from unnest($1::bigint[], $2::int[]) as d (id, attempts)
       where j.id = d.id and j.locked_by = $3 and j.attempts = d.attempts`,
        [jobs.map((j) => j.id), jobs.map((j) => j.attempts), this.workerId],
      ),
    );
  }

  private async recordFailure(job: Job, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message || error.name : String(error);
    this.options.log?.error({ job: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
    const last = job.attempts >= job.max_attempts;
    const delay = Math.min(3600, this.options.backoffSeconds * 2 ** (job.attempts - 1));
    await this.queue((tx) =>
      tx.query(
        `update jobs set state = $4, last_error = $5, locked_until = null,
              run_at = case when $4 = 'failed' then run_at else now() + make_interval(secs => $6) end,
              finished_at = case when $4 = 'failed' then now() end
       where id = $1 and locked_by = $2 and attempts = $3`,
        [job.id, this.workerId, job.attempts, last ? 'failed' : 'queued', message.slice(0, 2000), delay],
      ),
    );
  }
}

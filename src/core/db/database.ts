// The one database interface every module uses. Two engines implement it: PGlite (embedded, default)
// and PostgreSQL (node-postgres). Same SQL, same migrations, same behaviour.

export type Row = Record<string, unknown>;

/** A transaction as seen by actions and repositories. */
export interface Tx {
  /** The tenant this transaction is scoped to by row-level security (null: global tables only). */
  readonly tenantId: string | null;
  query<R = Row>(text: string, params?: unknown[]): Promise<R[]>;
  /** First row or null. */
  one<R = Row>(text: string, params?: unknown[]): Promise<R | null>;
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  execute(text: string, params?: unknown[]): Promise<number>;
  /** Several statements, no parameters (migrations, scripts). */
  script(sql: string): Promise<void>;
  /** Runs after a successful commit (wake the job runner, notify); never inside the transaction. */
  afterCommit(fn: () => void): void;
  /**
   * Bulk load through the engine's fastest path: `copy <target> from stdin with <options>` on PostgreSQL,
   * `copy <target> from '/dev/blob' with <options>` on PGlite (the bytes handed over as a blob). `target`
   * and `options` are SQL the caller built from trusted parts only (no parameters in COPY); the caller
   * bounds `data` (one chunk of a file at a time).
   */
  copyFrom(target: string, options: string, data: Uint8Array): Promise<void>;
}

export type Engine = 'pglite' | 'postgresql';

export interface TransactionOptions {
  /**
   * false: the commit returns before its WAL record reaches the disk (`synchronous_commit = off`). A
   * server crash may then lose the last fraction of a second of such commits, never part of one and
   * never one without those before it. Only for work that is done again when lost: the job runner's
   * bookkeeping and job handlers (jobs run at least once). Default true.
   */
  synchronousCommit?: boolean;
}

export interface Database {
  readonly engine: Engine;
  /**
   * One transaction as the application role (`bastide_app`), which cannot bypass row-level security.
   * `tenantId` sets `app.tenant_id` for this transaction only; with null, tenant tables look empty.
   */
  transaction<T>(tenantId: string | null, fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * One transaction as the owner of the schema, which row-level security does not restrict: migrations,
   * journal sealing, the job runner (claims every collectivité's jobs), backup, host operations.
   */
  ownerTransaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Owner-level statements outside a transaction (several statements allowed, no parameters). */
  exec(sql: string): Promise<void>;
  /**
   * One statement on its own (its own implicit transaction), as the schema owner, in one round trip.
   * Only for calls of SECURITY DEFINER functions on hot paths (the API token lookup): anything that
   * reads or writes tenant rows goes through `transaction()`.
   */
  statement<R = Row>(text: string, params: unknown[]): Promise<R[]>;
  /** Embedded engine only: a tar of the whole data directory at a point between transactions (backup). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export const APP_ROLE = 'bastide_app';

/** Shared by both engines: collects after-commit callbacks and runs them once the commit succeeded. */
export class AfterCommit {
  private callbacks: Array<() => void> = [];
  add(fn: () => void): void {
    this.callbacks.push(fn);
  }
  run(): void {
    for (const fn of this.callbacks) {
      try {
        fn();
      } catch {
        // An after-commit hook is a nudge (wake a worker); its failure must not undo a committed change.
      }
    }
  }
}

/**
 * The same database, whose transactions commit without waiting for the disk unless told otherwise:
 * what job handlers get (see TransactionOptions.synchronousCommit).
 */
export function withRelaxedCommits(db: Database): Database {
  return { ...db, transaction: (tenantId, fn, options) => db.transaction(tenantId, fn, { synchronousCommit: false, ...options }) };
}

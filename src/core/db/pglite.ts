// Embedded engine: PGlite (PostgreSQL compiled to WASM) stored in a folder. One process only may open a
// folder (see lock.ts). PGlite runs every statement as a superuser, so each transaction switches to the
// application role with SET LOCAL ROLE, exactly as the PostgreSQL engine does.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { AfterCommit, APP_ROLE, type Database, type TransactionOptions, type Tx } from './database.ts';
import { DurableNodeFS, durableStartParams, syncTree } from './pglite-durable.ts';
import { removeOthersAccess } from './data-folder.ts';

const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => value,
};

function wrap(tx: Transaction, tenantId: string | null, after: AfterCommit): Tx {
  return {
    tenantId,
    async query(text, params) {
      return (await tx.query(text, params as unknown[])).rows as never;
    },
    async one(text, params) {
      const rows = (await tx.query(text, params as unknown[])).rows;
      return (rows[0] ?? null) as never;
    },
    async execute(text, params) {
      return (await tx.query(text, params as unknown[])).affectedRows ?? 0;
    },
    async script(sql) {
      await tx.exec(sql);
    },
    afterCommit: (fn) => after.add(fn),
    async copyFrom(target, options, data) {
      await tx.query(`copy ${target} from '/dev/blob' with ${options}`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
    },
  };
}

/**
 * `shared_buffers` of the embedded engine. PostgreSQL's default (128MB) lives inside the WebAssembly
 * memory, which is part of this process and, once touched, is never given back: at 32MB an idle server
 * holding the demo data takes about 140 MiB less resident memory (docs/performance.md), and pages
 * that do not fit stay in the operating system's file cache, one system call away.
 */
export const DEFAULT_EMBEDDED_SHARED_BUFFERS = '32MB';

export interface PgliteOptions {
  sharedBuffers?: string | null;
  /**
   * Durable commits (pglite-durable.ts): a commit is answered once its WAL is on disk. When false,
   * PGlite's own setting: fsync off, a commit reaches the operating system's cache only (it survives the
   * process being killed, not a power cut).
   */
  durable?: boolean;
}

export async function openPglite(path: string | null, options: PgliteOptions = {}): Promise<Database> {
  if (path) mkdirSync(dirname(path), { recursive: true });
  const durable = Boolean(path && options.durable);
  const params = [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers ?? DEFAULT_EMBEDDED_SHARED_BUFFERS}`];
  const db = await PGlite.create(durable ? undefined : (path ?? undefined), {
    extensions: { unaccent, pg_trgm, btree_gin },
    parsers,
    ...(durable ? { fs: new DurableNodeFS(path!), startParams: durableStartParams(params) } : { startParams: params }),
  });
  if (path) {
    // PGlite writes its initial cluster 0666 whatever the umask (data-folder.ts).
    removeOthersAccess(path);
    // Files PGlite wrote itself (creation, a restored copy, a folder used before without fsync).
    if (durable) syncTree(path);
  }

  // TransactionOptions.synchronousCommit: without the durable mode it changes nothing (no commit waits
  // for the disk); with it, a relaxed transaction does not wait for its WAL to be flushed.
  async function run<T>(tenantId: string | null, asOwner: boolean, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const after = new AfterCommit();
    const relaxed = durable && options.synchronousCommit === false;
    const result = await db.transaction(async (raw) => {
      if (!asOwner) {
        await raw.query(
          `select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', $1, true)${relaxed ? `, set_config('synchronous_commit', 'off', true)` : ''}`,
          [tenantId ?? ''],
        );
      } else if (relaxed) {
        await raw.query(`select set_config('synchronous_commit', 'off', true)`);
      }
      return fn(wrap(raw, tenantId, after));
    });
    after.run();
    return result;
  }

  return {
    engine: 'pglite',
    transaction: (tenantId, fn, options) => run(tenantId, false, fn, options),
    ownerTransaction: (fn, options) => run(null, true, fn, options),
    async exec(sql) {
      await db.exec(sql);
    },
    async statement(text, params) {
      return (await db.query(text, params)).rows as never;
    },
    async dumpDataDir() {
      await db.exec('checkpoint');
      // Inside a transaction callback no other transaction runs, so the copy holds only committed work.
      return db.transaction(async () => db.dumpDataDir('none'));
    },
    async close() {
      await db.close();
    },
  };
}

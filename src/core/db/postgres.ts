// PostgreSQL server engine (node-postgres pool). The connection user owns the schema (runs migrations);
// business transactions switch to the application role, which is subject to row-level security.
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFromStdin } from 'pg-copy-streams';
import { AfterCommit, APP_ROLE, type Database, type TransactionOptions, type Tx } from './database.ts';
import { isUuid } from './ids.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

function wrap(client: pg.PoolClient, tenantId: string | null, after: AfterCommit): Tx {
  return {
    tenantId,
    async query(text, params) {
      return (await client.query(text, params as unknown[])).rows as never;
    },
    async one(text, params) {
      return ((await client.query(text, params as unknown[])).rows[0] ?? null) as never;
    },
    async execute(text, params) {
      return (await client.query(text, params as unknown[])).rowCount ?? 0;
    },
    async script(sql) {
      await client.query(sql);
    },
    afterCommit: (fn) => after.add(fn),
    async copyFrom(target, options, data) {
      await pipeline(Readable.from([data]), client.query(copyFromStdin(`copy ${target} from stdin with ${options}`)));
    },
  };
}

/** Switches the transaction to the application role, scoped to one tenant (or none). */
function scopeStatement(tenantId: string | null): string {
  if (tenantId !== null && !isUuid(tenantId)) throw new Error(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return `select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenantId ?? ''}', true)`;
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20 });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});

  async function run<T>(tenantId: string | null, asOwner: boolean, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await pool.connect();
    const after = new AfterCommit();
    let result: T;
    try {
      // One round trip: `begin` and the switch to the application role travel as one simple query
      // (no parameters there, hence the tenant id checked as a UUID before it is written into it).
      const relaxed = options.synchronousCommit === false ? '; set local synchronous_commit = off' : '';
      await client.query(asOwner ? `begin${relaxed}` : `begin${relaxed}; ${scopeStatement(tenantId)}`);
      result = await fn(wrap(client, tenantId, after));
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      client.release();
      throw error;
    }
    client.release();
    after.run();
    return result;
  }

  return {
    engine: 'postgresql',
    transaction: (tenantId, fn, options) => run(tenantId, false, fn, options),
    ownerTransaction: (fn, options) => run(null, true, fn, options),
    async exec(sql) {
      await pool.query(sql);
    },
    async statement(text, params) {
      return (await pool.query(text, params)).rows as never;
    },
    async close() {
      await pool.end();
    },
  };
}

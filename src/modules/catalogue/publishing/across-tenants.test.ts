// The window of a page across collectivités: every page is exactly its slice of the concatenation, read a
// chunk (≤ 100 datasets) at a time — a page of 1,000 is never one query, nor held whole before it is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database, Tx } from '../../../core/db/database.ts';
import { CHUNK, windowOf, type Counted } from './across-tenants.ts';

/** A database that knows only datasets (ids "<tenant>:<n>") and records each read's tenant, limit and offset. */
function fakeDb(counts: Record<string, number>) {
  const reads: Array<{ tenant: string; limit: number; offset: number }> = [];
  const db = {
    async transaction<T>(tenantId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
      const tx = {
        // The feed reads a chunk as one JSON row (feed.repository.ts); limit and offset are its last parameters.
        async one(_sql: string, params: unknown[]) {
          const [limit, skip] = params.slice(-2) as [number, number];
          // The chunk after the first is read after the last id ("<tenant>:<n>"), not at an offset.
          const after = params.find((p): p is string => typeof p === 'string' && p.includes(':'));
          const offset = after ? Number(after.split(':')[1]) + 1 : skip;
          reads.push({ tenant: tenantId!, limit, offset });
          const n = counts[tenantId!] ?? 0;
          return { rows: Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => ({ id: `${tenantId}:${offset + i}`, resources: [] })) };
        },
      };
      return fn(tx as unknown as Tx);
    },
  };
  return { db: db as unknown as Database, reads };
}

const counted = (counts: Record<string, number>): Counted[] => Object.entries(counts).map(([id, count]) => ({ tenant: { id, slug: id, name: id }, count }));

async function ids(db: Database, c: Counted[], offset: number, limit: number): Promise<string[]> {
  const out: string[] = [];
  for await (const { tenant, datasets } of windowOf(db, c, offset, limit)) {
    for (const d of datasets) {
      assert.ok(d.id.startsWith(`${tenant.id}:`), 'each chunk comes with its own tenant');
      out.push(d.id);
    }
  }
  return out;
}

test('every page, of every size, is its slice of the concatenated tenants', async () => {
  const counts = { a: 3, b: 0, c: 5, d: 2 };
  const all = Object.entries(counts).flatMap(([t, n]) => Array.from({ length: n }, (_, i) => `${t}:${i}`));
  const { db } = fakeDb(counts);
  for (let size = 1; size <= 11; size++) {
    for (let page = 1; page <= Math.ceil(all.length / size) + 1; page++) {
      assert.deepEqual(await ids(db, counted(counts), (page - 1) * size, size), all.slice((page - 1) * size, page * size), `page ${page} of ${size}`);
    }
  }
});

test('a large page is read in chunks of at most 100, and tenants past the window are not read', async () => {
  const { db, reads } = fakeDb({ a: 130, b: 40, c: 500 });
  const got = await ids(db, counted({ a: 130, b: 40, c: 500 }), 100, 120);
  assert.equal(got.length, 120);
  assert.deepEqual(got[0], 'a:100');
  assert.deepEqual(got.at(-1), 'c:49');
  assert.ok(reads.every((r) => r.limit <= CHUNK));
  assert.deepEqual(reads, [
    { tenant: 'a', limit: 30, offset: 100 },
    { tenant: 'b', limit: 40, offset: 0 },
    { tenant: 'c', limit: 50, offset: 0 },
  ]);
  const one = fakeDb({ c: 500 });
  assert.equal((await ids(one.db, counted({ c: 500 }), 0, 120)).length, 120);
  assert.deepEqual(
    one.reads.map((r) => [r.limit, r.offset]),
    [
      [100, 0],
      [20, 100],
    ],
  );
});

// Chains the entries committed since the last seal, per tenant, as the schema owner (the application
// role may not update journal entries). Safe with several processes: the head row is locked.
import type { Database } from '../db/database.ts';
import { CHAINED_COLUMNS, entryHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

const BATCH = 2000;

export async function sealJournal(db: Database, tenantId?: string): Promise<number> {
  const tenants = tenantId
    ? [tenantId]
    : (await db.ownerTransaction((tx) => tx.query<{ tenant_id: string }>(`select distinct tenant_id from journal_entries where chain_pos is null`))).map(
        (r) => r.tenant_id,
      );
  let sealed = 0;
  for (const id of tenants) {
    for (;;) {
      const n = await sealBatch(db, id);
      sealed += n;
      if (n < BATCH) break;
    }
  }
  return sealed;
}

async function sealBatch(db: Database, tenantId: string): Promise<number> {
  return db.ownerTransaction(async (tx) => {
    await tx.query(
      `insert into journal_heads (tenant_id, last_pos, last_hash, sealed_at) values ($1, 0, $2, now())
                    on conflict (tenant_id) do nothing`,
      [tenantId, GENESIS_HASH],
    );
    const head = await tx.one<{ last_pos: number; last_hash: string }>(`select last_pos, last_hash from journal_heads where tenant_id = $1 for update`, [
      tenantId,
    ]);
    const rows = await tx.query<ChainedFields>(
      `select ${CHAINED_COLUMNS} from journal_entries where tenant_id = $1 and chain_pos is null order by seq limit ${BATCH}`,
      [tenantId],
    );
    if (rows.length === 0) return 0;
    let pos = head!.last_pos;
    let prev = head!.last_hash;
    const ids: string[] = [];
    const positions: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      pos += 1;
      const hash = entryHash(tenantId, pos, prev, row);
      ids.push(row.id);
      positions.push(pos);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await tx.query(
      `update journal_entries j set chain_pos = u.pos, prev_hash = u.prev, hash = u.hash
       from unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) as u(id, pos, prev, hash)
       where j.tenant_id = $1 and j.id = u.id`,
      [tenantId, ids, positions, prevs, hashes],
    );
    await tx.query(`update journal_heads set last_pos = $2, last_hash = $3, sealed_at = now() where tenant_id = $1`, [tenantId, pos, prev]);
    return rows.length;
  });
}

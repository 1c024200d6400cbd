// Walks each tenant's chain from the first position and reports the first entry that does not hold:
// altered content (hash), removed or reordered entries (positions, previous hash), removed tail (head),
// and a collectivité whose journal vanished altogether (each one starts with the entry of its creation).
import type { Database } from '../db/database.ts';
import { CHAINED_COLUMNS, entryHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

export interface VerifyProblem {
  tenantId: string;
  position: number;
  entryId: string | null;
  reason: 'altered' | 'missing' | 'reordered' | 'truncated' | 'empty';
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  unsealed: number;
  problem: VerifyProblem | null;
}

const PAGE = 5000;

export async function verifyJournal(db: Database, tenantId?: string): Promise<VerifyResult> {
  const tenants = tenantId
    ? [tenantId]
    : (
        await db.ownerTransaction((tx) =>
          tx.query<{ tenant_id: string }>(
            `select id as tenant_id from tenants union select tenant_id from journal_heads union select distinct tenant_id from journal_entries`,
          ),
        )
      ).map((r) => r.tenant_id);
  let checked = 0;
  let unsealed = 0;
  for (const id of tenants) {
    const result = await verifyTenant(db, id);
    checked += result.checked;
    unsealed += result.unsealed;
    if (result.problem) return { ok: false, checked, unsealed, problem: result.problem };
  }
  return { ok: true, checked, unsealed, problem: null };
}

async function verifyTenant(db: Database, tenantId: string): Promise<VerifyResult> {
  const head = await db.ownerTransaction((tx) =>
    tx.one<{ last_pos: number; last_hash: string }>(`select last_pos, last_hash from journal_heads where tenant_id = $1`, [tenantId]),
  );
  const { unsealed } = (await db.ownerTransaction((tx) =>
    tx.one<{ unsealed: number }>(`select count(*)::int as unsealed from journal_entries where tenant_id = $1 and chain_pos is null`, [tenantId]),
  ))!;
  let expectedPos = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  const fail = (position: number, entryId: string | null, reason: VerifyProblem['reason']): VerifyResult => ({
    ok: false,
    checked,
    unsealed,
    problem: { tenantId, position, entryId, reason },
  });
  for (;;) {
    const rows = await db.ownerTransaction((tx) =>
      tx.query<ChainedFields & { chain_pos: number; prev_hash: string; hash: string }>(
        `select ${CHAINED_COLUMNS}, chain_pos, prev_hash, hash from journal_entries
       where tenant_id = $1 and chain_pos >= $2 order by chain_pos limit ${PAGE}`,
        [tenantId, expectedPos],
      ),
    );
    for (const row of rows) {
      if (row.chain_pos !== expectedPos) return fail(expectedPos, null, 'missing');
      if (row.prev_hash !== prev) return fail(expectedPos, row.id, 'reordered');
      if (entryHash(tenantId, row.chain_pos, row.prev_hash, row) !== row.hash) return fail(expectedPos, row.id, 'altered');
      prev = row.hash;
      expectedPos += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  const lastPos = expectedPos - 1;
  if (head && (head.last_pos !== lastPos || head.last_hash !== prev)) return fail(lastPos + 1, null, 'truncated');
  if (!head && lastPos > 0) return fail(lastPos + 1, null, 'truncated');
  // (Sealing an empty journal leaves a head at position 0, hence the head is no proof of anything here.)
  if (lastPos === 0 && unsealed === 0) return fail(1, null, 'empty');
  return { ok: true, checked, unsealed, problem: null };
}

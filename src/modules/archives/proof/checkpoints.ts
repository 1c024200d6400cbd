// Journal checkpoints (proof of integrity, docs/archives.md §11): the tenant's journal is sealed, then the
// entries sealed since the last checkpoint are committed to by a Merkle root, and the checkpoint is
// chained to the one before and journaled. A unit's proof then shows only its own entries, each with its
// path to a checkpoint's root, and the short chain of checkpoints from there to the latest.
// Scheduled every hour for collectivités with archives; an archivist may also ask for one before issuing
// a report.
import type { Database } from '../../../core/db/database.ts';
import { sealJournal } from '../../../core/audit/seal.ts';
import { journal } from '../../../core/audit/journal.ts';
import { CHECKPOINT_GENESIS, checkpointHash, merkleLeaf, merkleRoot, type Checkpoint } from './verify-proof.ts';

export const CHECKPOINT_JOB = 'archives.checkpoint';

const CHECKPOINT_COLUMNS = `seq, from_pos::int as from_pos, to_pos::int as to_pos, head_hash, root, prev_hash, hash,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

/** Makes a checkpoint of what was journaled since the last one; null when there is nothing new. */
export async function checkpointJournal(db: Database, tenantId: string, actor = 'system'): Promise<Checkpoint | null> {
  await sealJournal(db, tenantId);
  return db.transaction(tenantId, async (tx) => {
    const last = await tx.one<Checkpoint>(`select ${CHECKPOINT_COLUMNS} from archives_checkpoints order by seq desc limit 1`);
    const from = last ? last.to_pos + 1 : 1;
    const rows = await tx.query<{ chain_pos: number; hash: string; action: string }>(
      `select chain_pos::int as chain_pos, hash, action from journal_entries where chain_pos >= $1 order by chain_pos`,
      [from],
    );
    // The previous checkpoint's own entry alone is no reason for another one (else one an hour, forever).
    if (rows.every((r) => r.action === 'archives.checkpoint')) return null;
    rows.forEach((r, i) => {
      if (r.chain_pos !== from + i) throw new Error(`journal chain has a gap at position ${from + i}: run bastide audit verify`);
    });
    const body = {
      seq: (last?.seq ?? 0) + 1,
      from_pos: from,
      to_pos: from + rows.length - 1,
      head_hash: rows[rows.length - 1]!.hash,
      root: merkleRoot(rows.map((r) => merkleLeaf(r.hash))),
      prev_hash: last?.hash ?? CHECKPOINT_GENESIS,
    };
    const hash = checkpointHash(tenantId, body);
    // Two processes at once: the second finds the sequence number taken and leaves it to the first.
    const made = await tx.one<Checkpoint>(
      `insert into archives_checkpoints (tenant_id, seq, from_pos, to_pos, head_hash, root, prev_hash, hash)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning ${CHECKPOINT_COLUMNS}`,
      [body.seq, body.from_pos, body.to_pos, body.head_hash, body.root, body.prev_hash, hash],
    );
    if (!made) return null;
    await journal(tx, { actor, action: 'archives.checkpoint', subjectType: 'archive_checkpoint', subjectId: String(body.seq), data: { ...body, hash } });
    return made;
  });
}

/** Checkpoints from the one covering `pos` to the latest, in order. */
export async function checkpointsSince(db: Database, tenantId: string, pos: number): Promise<Checkpoint[]> {
  return db.transaction(tenantId, (tx) =>
    tx.query<Checkpoint>(`select ${CHECKPOINT_COLUMNS} from archives_checkpoints where to_pos >= $1 order by seq`, [pos]),
  );
}

export function checkpointJobHandler(deps: { db: Database }) {
  return async (): Promise<void> => {
    const tenants = await deps.db.ownerTransaction((tx) =>
      tx.query<{ id: string }>(`select t.id from tenants t where exists (select 1 from archives_ingests i where i.tenant_id = t.id) order by t.id`),
    );
    for (const t of tenants) await checkpointJournal(deps.db, t.id);
  };
}

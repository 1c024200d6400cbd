// The audit journal: every state change writes one entry in its own transaction (append-only INSERT).
// The sealer then chains a tenant's entries in the order it finds them committed, so that business
// writes never queue on a chain head; see docs/architecture.md "Journal" for the guarantee.
import { uuidv7 } from '../db/ids.ts';
import type { Tx } from '../db/database.ts';

export interface JournalEntryInput {
  /** Who did it: `person:<uuid>`, `token:<uuid>`, `guest:<email>`, `system`, `cli`. */
  actor: string;
  /** verb-noun, module-prefixed: `procedures.dossier.submit`, `core.member.add`. */
  action: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  /** Only for owner transactions that act on a tenant (creating it, host operations). */
  tenantId?: string;
}

export async function journal(tx: Tx, entry: JournalEntryInput): Promise<void> {
  const tenantId = entry.tenantId ?? tx.tenantId;
  if (!tenantId) throw new Error('journal() needs a tenant-scoped transaction');
  await tx.query(
    `insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
     values ($1, $2, now(), $3, $4, $5, $6, $7)`,
    [tenantId, uuidv7(), entry.actor, entry.action, entry.subjectType ?? '', entry.subjectId ?? '', JSON.stringify(entry.data ?? {})],
  );
}

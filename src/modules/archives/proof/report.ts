// Issues a unit's proof of integrity ("relevé de valeur probante", docs/archives.md §11): its description
// and rules, its objects' records with their paths to the ingest entry's Merkle roots and what the store
// holds today, the journal entries about it (ingest, holds, transfers, elimination) with their paths to
// the checkpoints' roots, and the chain of checkpoints to the latest. verify-proof.ts checks it alone.
import type { Database, Tx } from '../../../core/db/database.ts';
import { blobStoreFor, type FilesConfig } from '../../../core/files/store.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { notFound } from '../../../core/base/errors.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { rehash } from '../actions/audit.ts';
import { ingestPaths, leafRules } from './roots.ts';
import { checkpointsSince } from './checkpoints.ts';
import {
  merkleLeaf,
  merklePath,
  PROOF_FORMAT,
  type Checkpoint,
  type JournalEntry,
  type ObjectRecord,
  type ProofReport,
  type UnitRecord,
} from './verify-proof.ts';

const UNIT_FIELDS = `u.id, u.parent_id, u.level, u.title, u.description, to_char(u.start_date, 'YYYY-MM-DD') as start_date,
  to_char(u.end_date, 'YYYY-MM-DD') as end_date, u.originating_agency, u.submission_agency, u.archival_agency, u.transferring_agency, u.keywords`;

async function ingestRecords(tx: Tx, ingestId: string): Promise<{ units: UnitRecord[]; objects: Array<ObjectRecord & { eliminated: boolean }> }> {
  const units = await tx.query<Omit<UnitRecord, 'rules'>>(`select ${UNIT_FIELDS} from archives_units u where u.ingest_id = $1`, [ingestId]);
  const rules = await tx.query<{ unit_id: string; category: string; rule_code: string; start_date: string | null }>(
    `select r.unit_id, r.category, r.rule_code, to_char(r.start_date, 'YYYY-MM-DD') as start_date
       from archives_unit_rules r join archives_units u on u.id = r.unit_id where u.ingest_id = $1`,
    [ingestId],
  );
  const byUnit = new Map<string, typeof rules>();
  for (const r of rules) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
  const objects = await tx.query<ObjectRecord & { eliminated: boolean }>(
    `select id, unit_id, filename, size::float8 as size, sha256, sha512, format_id, usage, eliminated_at is not null as eliminated
       from archives_objects where ingest_id = $1`,
    [ingestId],
  );
  return { units: units.map((u) => ({ ...u, rules: leafRules(byUnit.get(u.id) ?? []) })), objects };
}

/** The entries about the unit, sealed (chain position known), in chain order; and how many are not sealed yet. */
async function unitEntries(tx: Tx, unitId: string, ingestId: string): Promise<{ sealed: JournalEntry[]; pending: number }> {
  const rows = await tx.query<JournalEntry & { chain_pos: number | null }>(
    `select chain_pos::int as chain_pos, prev_hash, hash, id::text as id, (extract(epoch from at) * 1000000)::bigint::text as at_us, actor, action,
            subject_type, subject_id, data
       from journal_entries
      where (subject_type = 'archive_ingest' and subject_id = $2::text)
         or (subject_type = 'archive_unit' and subject_id = $1::text)
         or (subject_type = 'archive_elimination' and subject_id in (select elimination_id::text from archives_elimination_units where unit_id = $1::uuid))
         or (subject_type = 'archive_transfer' and subject_id in (select transfer_id::text from archives_transfer_units where unit_id = $1::uuid))
      order by chain_pos nulls last, seq`,
    [unitId, ingestId],
  );
  return { sealed: rows.filter((r) => r.chain_pos !== null), pending: rows.filter((r) => r.chain_pos === null).length };
}

export async function buildProof(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  unitId: string,
): Promise<ProofReport & { pending_entries: number }> {
  requireArchivist(p);
  if (!isUuid(unitId)) throw notFound();
  const gathered = await deps.db.transaction(p.tenantId, async (tx) => {
    const unit = await tx.one<Omit<UnitRecord, 'rules'> & { ingest_id: string; eliminated_at: string | null }>(
      `select ${UNIT_FIELDS}, u.ingest_id, to_char(u.eliminated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as eliminated_at
         from archives_units u where u.id = $1`,
      [unitId],
    );
    if (!unit) throw notFound();
    const tenant = (await tx.one<{ id: string; slug: string; name: string }>('select id, slug, name from tenants where id = app_tenant()'))!;
    const records = await ingestRecords(tx, unit.ingest_id);
    const entries = await unitEntries(tx, unitId, unit.ingest_id);
    return { unit, tenant, records, entries };
  });
  const { unit, tenant, records, entries } = gathered;
  const paths = ingestPaths(records.units, records.objects, unitId);
  const ingestEntry = entries.sealed.find((e) => e.action === 'archives.ingest');
  const checkpoints: Checkpoint[] = ingestEntry ? await checkpointsSince(deps.db, p.tenantId, ingestEntry.chain_pos) : [];
  // The leaves of each checkpoint an entry falls in (read once per checkpoint).
  const leavesOf = new Map<number, string[]>();
  const proofEntries: ProofReport['entries'] = [];
  for (const e of entries.sealed) {
    const c = checkpoints.find((k) => e.chain_pos >= k.from_pos && e.chain_pos <= k.to_pos);
    if (!c) {
      proofEntries.push({ ...e, checkpoint: null, path: [] });
      continue;
    }
    if (!leavesOf.has(c.seq)) {
      const hashes = await deps.db.transaction(p.tenantId, (tx) =>
        tx.query<{ hash: string }>('select hash from journal_entries where chain_pos between $1 and $2 order by chain_pos', [c.from_pos, c.to_pos]),
      );
      leavesOf.set(
        c.seq,
        hashes.map((h) => merkleLeaf(h.hash)),
      );
    }
    proofEntries.push({ ...e, checkpoint: c.seq, path: merklePath(leavesOf.get(c.seq)!, e.chain_pos - c.from_pos) });
  }
  // What the store holds today for each kept object of the unit.
  const store = blobStoreFor(deps.config);
  const objects: ProofReport['objects'] = [];
  for (const o of records.objects.filter((x) => x.unit_id === unitId).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const { eliminated, ...record } = o;
    let stored: ProofReport['objects'][number]['stored'] = 'eliminated';
    if (!eliminated) {
      const found = await rehash(store, p.tenantId, o.sha256);
      stored = !found ? 'missing' : found.sha512 !== o.sha512 || found.size !== o.size ? 'altered' : 'intact';
    }
    objects.push({ ...record, path: paths.objects.get(o.id) ?? [], state: eliminated ? 'eliminated' : 'kept', stored });
  }
  const { ingest_id, eliminated_at, ...described } = unit;
  const rules = records.units.find((u) => u.id === unitId)!.rules;
  return {
    format: PROOF_FORMAT,
    issued_at: new Date().toISOString(),
    tenant,
    ingest_id,
    unit: { ...described, rules, eliminated_at },
    unit_path: paths.unit,
    objects,
    entries: proofEntries,
    checkpoints,
    pending_entries: entries.pending,
  };
}

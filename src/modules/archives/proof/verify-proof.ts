// Standalone verifier of a unit's proof of integrity ("relevé de valeur probante", docs/archives.md §11).
// It imports nothing but node:crypto and node:fs, so that a third party (an auditor, the Archives
// départementales, a court's expert) can read it whole, run it alone, or rewrite it from the procedure
// the documentation gives:
//   node verify-proof.ts <report.json> [<folder of the objects, named by object id>] [--checkpoint <hash>]
// exits 0 when everything holds, 1 naming each thing that does not. Bastide issues reports with the same
// functions (proof/report.ts imports them), so the rules exist once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export const PROOF_FORMAT = 'bastide-archives-proof/1';

/** JSON with object keys sorted at every depth (the journal's rule, src/core/audit/chain.ts). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (...parts: Array<string | Buffer>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

export interface JournalEntry {
  chain_pos: number;
  prev_hash: string;
  hash: string;
  id: string;
  at_us: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  data: Record<string, unknown>;
}

/** An entry's hash in the tenant's journal chain (same rule as src/core/audit/chain.ts entryHash). */
export function entryHash(tenantId: string, e: Omit<JournalEntry, 'hash'>): string {
  return sha256(canonicalJson([tenantId, e.chain_pos, e.prev_hash, e.id, e.at_us, e.actor, e.action, e.subject_type, e.subject_id, e.data]));
}

// Merkle trees as RFC 9162 (Certificate Transparency) defines them: leaf = SHA-256(0x00 ‖ data), node =
// SHA-256(0x01 ‖ left ‖ right), the left subtree holding the largest power of two below the size.
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
export const merkleLeaf = (data: string): string => sha256(LEAF, data);
const merkleNode = (left: string, right: string): string => sha256(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Root over leaf hashes (already merkleLeaf'd); the empty tree's root is SHA-256 of nothing. */
export function merkleRoot(leaves: string[]): string {
  if (leaves.length === 0) return sha256('');
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return merkleNode(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

export interface ProofStep {
  /** Where the sibling sits: 'L' (hash it on the left) or 'R'. */
  side: 'L' | 'R';
  hash: string;
}

/** The audit path of leaf `index`, from the leaf up. */
export function merklePath(leaves: string[], index: number): ProofStep[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  if (index < k) return [...merklePath(leaves.slice(0, k), index), { side: 'R', hash: merkleRoot(leaves.slice(k)) }];
  return [...merklePath(leaves.slice(k), index - k), { side: 'L', hash: merkleRoot(leaves.slice(0, k)) }];
}

export function foldPath(leaf: string, path: ProofStep[]): string {
  return path.reduce((h, s) => (s.side === 'L' ? merkleNode(s.hash, h) : merkleNode(h, s.hash)), leaf);
}

export interface UnitRecord {
  id: string;
  parent_id: string | null;
  level: string;
  title: string;
  description: string;
  start_date: string | null;
  end_date: string | null;
  originating_agency: string;
  submission_agency: string;
  archival_agency: string;
  transferring_agency: string;
  keywords: string[];
  /** [category, rule code, start date], sorted; the rules the unit came with (holds come and go later). */
  rules: Array<[string, string, string | null]>;
}

export interface ObjectRecord {
  id: string;
  unit_id: string;
  filename: string;
  size: number;
  sha256: string;
  sha512: string;
  format_id: string | null;
  usage: string;
}

export const unitLeaf = (u: UnitRecord): string =>
  merkleLeaf(
    canonicalJson([
      'unit',
      u.id,
      u.parent_id,
      u.level,
      u.title,
      u.description,
      u.start_date,
      u.end_date,
      u.originating_agency,
      u.submission_agency,
      u.archival_agency,
      u.transferring_agency,
      u.keywords,
      u.rules,
    ]),
  );
export const objectLeaf = (o: ObjectRecord): string =>
  merkleLeaf(canonicalJson(['object', o.id, o.unit_id, o.filename, o.size, o.sha256, o.sha512, o.format_id, o.usage]));

export interface Checkpoint {
  seq: number;
  from_pos: number;
  to_pos: number;
  /** The hash of the journal entry at to_pos: the chain's head when the checkpoint was made. */
  head_hash: string;
  /** Merkle root over the hashes of the entries from_pos…to_pos. */
  root: string;
  prev_hash: string;
  hash: string;
  created_at: string;
}

export const CHECKPOINT_GENESIS = '0'.repeat(64);

export function checkpointHash(tenantId: string, c: Omit<Checkpoint, 'hash' | 'created_at'>): string {
  return sha256(canonicalJson(['bastide-archives-checkpoint', tenantId, c.seq, c.prev_hash, c.from_pos, c.to_pos, c.head_hash, c.root]));
}

export interface ProofReport {
  format: string;
  issued_at: string;
  tenant: { id: string; slug: string; name: string };
  ingest_id: string;
  unit: UnitRecord & { eliminated_at: string | null };
  /** The unit's leaf up to the ingest entry's units_root. */
  unit_path: ProofStep[];
  objects: Array<ObjectRecord & { path: ProofStep[]; state: 'kept' | 'eliminated'; stored: 'intact' | 'altered' | 'missing' | 'eliminated' }>;
  /** The journal entries about the unit (its ingest first), each with its checkpoint and path to that root. */
  entries: Array<JournalEntry & { checkpoint: number | null; path: ProofStep[] }>;
  /** From the checkpoint that holds the ingest entry to the latest, in order. */
  checkpoints: Checkpoint[];
}

export interface Finding {
  /** What does not hold: 'report', 'unit', 'object:<id>', 'entry:<chain position>', 'checkpoint:<seq>'. */
  subject: string;
  reason: string;
}

/** Every check of the procedure; an empty list means the report holds. */
export function verifyReport(report: ProofReport, options: { objectsDir?: string; checkpoint?: string } = {}): Finding[] {
  const out: Finding[] = [];
  const fail = (subject: string, reason: string) => out.push({ subject, reason });
  if (report?.format !== PROOF_FORMAT) return [{ subject: 'report', reason: `unknown format ${String(report?.format)}` }];
  const tenant = report.tenant.id;
  // 1. The checkpoints: each one's hash, each linked to the one before, positions following on.
  const bySeq = new Map<number, Checkpoint>();
  report.checkpoints.forEach((c, i) => {
    bySeq.set(c.seq, c);
    if (checkpointHash(tenant, c) !== c.hash) fail(`checkpoint:${c.seq}`, 'its hash does not match its content (altered)');
    const before = report.checkpoints[i - 1];
    if (before && (c.seq !== before.seq + 1 || c.prev_hash !== before.hash || c.from_pos !== before.to_pos + 1))
      fail(`checkpoint:${c.seq}`, `does not follow checkpoint ${before.seq} (reordered or missing)`);
  });
  const last = report.checkpoints[report.checkpoints.length - 1];
  if (!last) fail('report', 'no checkpoint: the journal was not checkpointed since the ingest');
  else if (options.checkpoint && options.checkpoint !== last.hash) fail(`checkpoint:${last.seq}`, 'differs from the checkpoint hash held outside Bastide');
  // 2. The journal entries: each one's hash, in chain order, inside its checkpoint's tree.
  let pos = 0;
  for (const e of report.entries) {
    const subject = `entry:${e.chain_pos}`;
    if (e.chain_pos <= pos) fail(subject, 'entries out of chain order (reordered)');
    pos = e.chain_pos;
    if (entryHash(tenant, e) !== e.hash) {
      fail(subject, `${e.action}: its hash does not match its content (altered)`);
      continue;
    }
    const c = e.checkpoint === null ? undefined : bySeq.get(e.checkpoint);
    if (!c || e.chain_pos < c.from_pos || e.chain_pos > c.to_pos) fail(subject, `${e.action}: not covered by a checkpoint of the report`);
    else if (foldPath(merkleLeaf(e.hash), e.path) !== c.root) fail(subject, `${e.action}: not in checkpoint ${c.seq} (its path does not lead to the root)`);
  }
  // 3. The ingest entry commits to the unit's description and rules, and to each object's record.
  const ingest = report.entries[0];
  if (!ingest || ingest.action !== 'archives.ingest' || ingest.subject_id !== report.ingest_id) {
    fail('report', 'the first entry is not the ingest of the unit');
    return out;
  }
  const data = ingest.data as { units_root?: string; objects_root?: string };
  if (!data.units_root || !data.objects_root) {
    fail('report', 'the ingest entry predates proofs (no units_root/objects_root): only the journal chain can be checked');
    return out;
  }
  if (foldPath(unitLeaf(report.unit), report.unit_path) !== data.units_root) fail('unit', 'its description or rules differ from what was ingested (altered)');
  for (const o of report.objects) {
    const subject = `object:${o.id}`;
    if (o.unit_id !== report.unit.id) fail(subject, 'belongs to another unit');
    if (foldPath(objectLeaf(o), o.path) !== data.objects_root)
      fail(subject, `${o.filename}: its record (name, size, digests) differs from what was ingested (altered)`);
    if (o.stored === 'altered' || o.stored === 'missing') fail(subject, `${o.filename}: Bastide found the stored bytes ${o.stored} when issuing the report`);
    if (options.objectsDir && o.state === 'kept') {
      const file = `${options.objectsDir}/${o.id}`;
      if (!existsSync(file)) fail(subject, `${o.filename}: not in the folder given`);
      else {
        const bytes = readFileSync(file);
        if (bytes.length !== o.size || createHash('sha512').update(bytes).digest('hex') !== o.sha512)
          fail(subject, `${o.filename}: the file's SHA-512 or size differs from the record (altered)`);
      }
    }
  }
  return out;
}

// Run alone: node verify-proof.ts report.json [objects-folder] [--checkpoint <hash>]
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--checkpoint');
  const checkpoint = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const [file, objectsDir] = args;
  if (!file) {
    process.stderr.write('usage: node verify-proof.ts <report.json> [<objects folder>] [--checkpoint <hash>]\n');
    process.exit(64);
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as ProofReport;
  const findings = verifyReport(report, { objectsDir, checkpoint });
  if (findings.length === 0) {
    const c = report.checkpoints[report.checkpoints.length - 1]!;
    process.stdout.write(
      `OK: unit ${report.unit.id}, ${report.objects.length} object(s), ${report.entries.length} journal entr(y/ies), checkpoint ${c.seq} ${c.hash}\n`,
    );
  } else for (const f of findings) process.stdout.write(`FAILED ${f.subject}: ${f.reason}\n`);
  process.exit(findings.length ? 1 : 0);
}

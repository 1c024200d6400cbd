// Hashing rules of the journal chain, shared by the sealer and the verifier.
import { createHash } from 'node:crypto';

export interface ChainedFields {
  id: string;
  at_us: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  data: unknown;
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(tenantId: string, pos: number, prevHash: string, entry: ChainedFields): string {
  const body = canonicalJson([tenantId, pos, prevHash, entry.id, entry.at_us, entry.actor, entry.action, entry.subject_type, entry.subject_id, entry.data]);
  return createHash('sha256').update(body).digest('hex');
}

/** The columns to select for hashing; `at` as integer microseconds so no precision is lost in JavaScript. */
export const CHAINED_COLUMNS = `id::text as id, (extract(epoch from at) * 1000000)::bigint::text as at_us, actor, action, subject_type, subject_id, data`;

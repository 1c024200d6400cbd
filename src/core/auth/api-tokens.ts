// API bearer tokens, per tenant. The token is shown once; only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { Role } from './roles.ts';
import { hashToken } from './sessions.ts';

export async function createApiToken(tx: Tx, input: { role: Role; personId?: string | null; label?: string }): Promise<{ id: string; token: string }> {
  const token = `bst_${randomBytes(30).toString('base64url')}`;
  const row = await tx.one<{ id: string }>(
    `insert into api_tokens (tenant_id, token_hash, role, person_id, label) values (app_tenant(), $1, $2, $3, $4) returning id`,
    [hashToken(token), input.role, input.personId ?? null, input.label ?? '']);
  return { id: row!.id, token };
}

export async function findApiToken(tx: Tx, token: string): Promise<{ id: string; role: Role; person_id: string | null } | null> {
  const row = await tx.one<{ id: string; role: Role; person_id: string | null; stale: boolean }>(
    `select id, role, person_id, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
     from api_tokens where token_hash = $1 and revoked_at is null`, [hashToken(token)]);
  if (!row) return null;
  // Recorded at most once a minute, so that a busy integration does not write on every call.
  if (row.stale) await tx.query('update api_tokens set last_used_at = now() where tenant_id = app_tenant() and id = $1', [row.id]);
  return { id: row.id, role: row.role, person_id: row.person_id };
}

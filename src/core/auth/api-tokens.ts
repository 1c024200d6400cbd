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

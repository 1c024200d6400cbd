// API bearer tokens, per tenant. The token is shown once; only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { Role } from '../base/roles.ts';
import { hashToken } from './sessions.ts';

export async function createApiToken(tx: Tx, input: { role: Role; personId?: string | null; label?: string }): Promise<{ id: string; token: string }> {
  const token = `bst_${randomBytes(30).toString('base64url')}`;
  const row = await tx.one<{ id: string }>(
    `insert into api_tokens (tenant_id, token_hash, role, person_id, label) values (app_tenant(), $1, $2, $3, $4) returning id`,
    [hashToken(token), input.role, input.personId ?? null, input.label ?? ''],
  );
  return { id: row!.id, token };
}

/** A token as an operator sees it: never the token or its hash, which would help guess it. */
export interface ApiTokenRow {
  id: string;
  role: string;
  email: string | null;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export async function listApiTokens(tx: Tx): Promise<ApiTokenRow[]> {
  return tx.query<ApiTokenRow>(
    `select t.id, t.role, p.email, t.label, to_json(t.created_at) #>> '{}' as created_at,
            to_json(t.last_used_at) #>> '{}' as last_used_at, to_json(t.revoked_at) #>> '{}' as revoked_at
     from api_tokens t left join people p on p.id = t.person_id
     order by t.created_at, t.id`,
  );
}

/** Revoking twice is not an error (a script may retry): the second time changes nothing. */
export async function revokeApiToken(tx: Tx, id: string): Promise<'revoked' | 'already_revoked' | 'not_found'> {
  if (await tx.execute('update api_tokens set revoked_at = now() where id = $1 and revoked_at is null', [id])) return 'revoked';
  return (await tx.one('select 1 from api_tokens where id = $1', [id])) ? 'already_revoked' : 'not_found';
}

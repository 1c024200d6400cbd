// Bearer tokens of the API: checked against the database (bastide_api_token, one statement), and a
// granted answer kept in this process for a few seconds. An integration or an agent's tool calls the API
// in bursts with one token; without this, every call paid one more round trip to the database before its
// own work, a third of the time of an inbox page (docs/performance.md, inbox).
//
// The price is written down in docs/authentication.md: a token revoked from another process (SQL, or the
// CLI on PostgreSQL) still opens this process for at most `ttlMs`. Revoking through this server (the CLI
// talks to it through its administration socket) forgets the cached answers at once. Refusals are never
// kept: a wrong token is looked up every time, so that a token created a moment ago works at once.
import type { Database } from '../db/database.ts';
import { isRole, type Role } from '../base/roles.ts';
import { hashToken } from './sessions.ts';

export interface ApiTokenGrant {
  tokenId: string;
  role: Role;
  personId: string | null;
}

/** `other_tenant`: a valid token of another collectivité (the API answers 404 rather than 401). */
export type ApiTokenAnswer = { kind: 'granted'; grant: ApiTokenGrant } | { kind: 'other_tenant' } | { kind: 'refused' };

export interface ApiTokenCacheOptions {
  /** How long a granted answer is reused; 0 looks every token up on every request. */
  ttlMs: number;
  /** Past this many cached tokens the oldest answer is dropped (memory stays bounded). */
  maxEntries?: number;
  now?: () => number;
}

export class ApiTokenCache {
  private readonly granted = new Map<string, { grant: ApiTokenGrant; at: number }>();
  private readonly db: Database;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(db: Database, options: ApiTokenCacheOptions) {
    this.db = db;
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async check(tenantId: string, token: string): Promise<ApiTokenAnswer> {
    const hash = hashToken(token);
    // The tenant is part of the key: the same token sent to another collectivité is looked up again.
    const key = `${tenantId}:${hash}`;
    const hit = this.granted.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return { kind: 'granted', grant: hit.grant };
    if (hit) this.granted.delete(key);
    const [row] = await this.db.statement<{ token_id: string | null; role: string | null; person_id: string | null; same_tenant: boolean }>(
      'select token_id, role, person_id, same_tenant from bastide_api_token($1, $2)',
      [tenantId, hash],
    );
    if (!row) return { kind: 'refused' };
    if (!row.same_tenant || !row.token_id || !isRole(row.role)) return { kind: 'other_tenant' };
    const grant: ApiTokenGrant = { tokenId: row.token_id, role: row.role, personId: row.person_id };
    if (this.ttlMs > 0) {
      if (this.granted.size >= this.maxEntries) this.granted.delete(this.granted.keys().next().value!);
      this.granted.set(key, { grant, at: this.now() });
    }
    return { kind: 'granted', grant };
  }

  /** After a revocation through this process: every token is looked up again. */
  clear(): void {
    this.granted.clear();
  }

  get size(): number {
    return this.granted.size;
  }
}

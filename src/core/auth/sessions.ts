// Browser sessions stored in the database; the cookie holds a random token, the table its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { Person } from '../http/context.ts';

export const SESSION_COOKIE = 'bastide_session';
export const SESSION_DAYS = 14;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session and returns the cookie value. Called at every sign-in (rotation). */
export async function createSession(tx: Tx, personId: string, options: { secondFactorPending?: boolean; userAgent?: string } = {}): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.query(
    `insert into sessions (id, person_id, expires_at, second_factor_pending, user_agent)
     values ($1, $2, now() + make_interval(days => $3), $4, $5)`,
    [hashToken(token), personId, SESSION_DAYS, options.secondFactorPending ?? false, (options.userAgent ?? '').slice(0, 200)]);
  return token;
}

export async function destroySession(tx: Tx, token: string): Promise<void> {
  await tx.query('delete from sessions where id = $1', [hashToken(token)]);
}

export interface SessionLookup {
  sessionId: string;
  person: Person;
  secondFactorPending: boolean;
}

export async function findSession(tx: Tx, token: string): Promise<SessionLookup | null> {
  const row = await tx.one<Person & { session_id: string; second_factor_pending: boolean }>(
    `select s.id as session_id, s.second_factor_pending, p.id, p.email, p.display_name, p.email_verified_at, p.totp_secret, p.is_host_operator, p.locale
     from sessions s join people p on p.id = s.person_id
     where s.id = $1 and s.expires_at > now()`, [hashToken(token)]);
  if (!row) return null;
  const { session_id, second_factor_pending, ...person } = row;
  return { sessionId: session_id, person, secondFactorPending: second_factor_pending };
}

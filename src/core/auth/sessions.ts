// Browser sessions stored in the database; the cookie holds a random token, the table its SHA-256.
// Staff sessions (a host operator, or anyone holding a role other than citizen) end after 30 minutes
// without a request and 12 hours after sign-in; citizens keep SESSION_DAYS. Times are the database's.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { Person } from '../base/context.ts';

export const SESSION_COOKIE = 'bastide_session';
export const SESSION_DAYS = 14;
export const STAFF_IDLE_MINUTES = 30;
export const STAFF_MAX_HOURS = 12;
/** How recent a sign-in must be for a sensitive change (role grants, identity providers, webhooks). */
export const RECENT_SIGN_IN_MINUTES = 10;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session and returns the cookie value. Called at every sign-in (rotation). */
export async function createSession(tx: Tx, personId: string, options: { secondFactorPending?: boolean; userAgent?: string } = {}): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.query(
    `insert into sessions (id, person_id, expires_at, second_factor_pending, user_agent)
     values ($1, $2, now() + make_interval(days => $3), $4, $5)`,
    [hashToken(token), personId, SESSION_DAYS, options.secondFactorPending ?? false, (options.userAgent ?? '').slice(0, 200)],
  );
  return token;
}

export async function destroySession(tx: Tx, token: string): Promise<void> {
  await tx.query('delete from sessions where id = $1', [hashToken(token)]);
}

/** Ends every session of a person but `keepSessionId` (the one making the change, if any); how many. */
export async function endOtherSessions(tx: Tx, personId: string, keepSessionId: string | null): Promise<number> {
  return tx.execute('delete from sessions where person_id = $1 and id is distinct from $2', [personId, keepSessionId]);
}

/** The person proved who they are again in this session (password, TOTP code). */
export async function markSignedInNow(tx: Tx, sessionId: string): Promise<void> {
  await tx.query('update sessions set authenticated_at = now() where id = $1', [sessionId]);
}

export async function signedInRecently(tx: Tx, sessionId: string): Promise<boolean> {
  const row = await tx.one<{ recent: boolean }>('select authenticated_at > now() - make_interval(mins => $2) as recent from sessions where id = $1', [
    sessionId,
    RECENT_SIGN_IN_MINUTES,
  ]);
  return row?.recent === true;
}

export interface SessionLookup {
  sessionId: string;
  person: Person;
  secondFactorPending: boolean;
}

export async function findSession(tx: Tx, token: string): Promise<SessionLookup | null> {
  // `stale_staff`: idle or old, and (checked only then) the person is staff. Roles are read at each
  // request, so a citizen granted a role later gets the staff limits from that moment on.
  const row = await tx.one<Person & { session_id: string; second_factor_pending: boolean; stale_staff: boolean; touch: boolean }>(
    `select s.id as session_id, s.second_factor_pending, p.id, p.email, p.display_name, p.email_verified_at, p.totp_secret, p.is_host_operator, p.locale,
            (s.last_seen_at < now() - make_interval(mins => $2) or s.created_at < now() - make_interval(hours => $3))
              and (p.is_host_operator or exists (select 1 from person_memberships(p.id) m where m.role <> 'citizen')) as stale_staff,
            s.last_seen_at < now() - interval '1 minute' as touch
     from sessions s join people p on p.id = s.person_id
     where s.id = $1 and s.expires_at > now()`,
    [hashToken(token), STAFF_IDLE_MINUTES, STAFF_MAX_HOURS],
  );
  if (!row) return null;
  const { session_id, second_factor_pending, stale_staff, touch, ...person } = row;
  if (stale_staff) {
    await tx.query('delete from sessions where id = $1', [session_id]);
    return null;
  }
  // At most one write a minute per session: the idle timeout does not need more precision.
  if (touch) await tx.query('update sessions set last_seen_at = now() where id = $1', [session_id]);
  return { sessionId: session_id, person, secondFactorPending: second_factor_pending };
}

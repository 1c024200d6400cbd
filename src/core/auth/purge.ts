// Housekeeping of global auth rows: expired sessions and email tokens that can no longer be used. Runs as
// a scheduled job; a token is kept a week after it stopped working, to answer "did I get a link?" questions.
import type { Database } from '../db/database.ts';

export const PURGE_JOB = 'core.auth.purge';

export async function purgeExpiredAuthRows(db: Database): Promise<{ sessions: number; tokens: number }> {
  return db.transaction(null, async (tx) => ({
    sessions: await tx.execute('delete from sessions where expires_at < now()'),
    tokens: await tx.execute(`delete from auth_email_tokens where coalesce(used_at, expires_at) < now() - interval '7 days'`),
  }));
}

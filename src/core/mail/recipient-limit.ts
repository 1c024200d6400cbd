// The per-recipient limit on mails that a stranger can cause (issue 10, row 6): a guest's filing receipt
// and draft link go to whatever address was typed in, sign-up warns the owner of an address that already
// has an account, a reset request mails the address given. Without a limit, anyone could flood a mailbox
// through Bastide (and spoil the installation's sending reputation).
//
// Counted in the database (migration 0004), so the limit holds across N server processes: one upsert per
// transaction adds the attempts for each recipient to its hour and day windows and returns the totals; a
// mail over either limit is not queued, the request answers as usual (it reveals nothing), and the
// `withheld` column counts it (shown on /metrics). Recipients are stored as an HMAC of the address under
// the installation secret, never in clear.
import { createHmac } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import { queueMail, type MailMessage } from './mail.ts';

/** At most this many stranger-caused mails to one address per clock hour, and per day. */
export const RECIPIENT_LIMITS = { hour: 10, day: 30 } as const;

export const RECIPIENT_COUNTS_PURGE_JOB = 'core.mail.recipient_counts.purge';

export function recipientHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`mail-recipient:${email.trim().toLowerCase()}`).digest('hex');
}

/**
 * Counts one mail to each address of `emails` (in order; an address may come several times) and tells
 * which may be sent. Runs in the caller's transaction: a rolled back request counts nothing.
 */
export async function allowMailsTo(tx: Tx, secret: string, emails: string[]): Promise<boolean[]> {
  if (emails.length === 0) return [];
  const hashes = emails.map((e) => recipientHash(secret, e));
  const wanted = new Map<string, number>();
  for (const h of hashes) wanted.set(h, (wanted.get(h) ?? 0) + 1);
  // Sorted keys: concurrent transactions lock the counter rows in the same order (no deadlock).
  const keys = [...wanted.keys()].sort();
  const rows = await tx.query<{ recipient_hash: string; span: 'hour' | 'day'; attempts: number }>(
    `insert into mail_recipient_counts as c (recipient_hash, span, window_start, attempts)
     select k.h, s.span, date_trunc(s.span, now()), k.n
     from unnest($1::text[], $2::int[]) as k(h, n)
     cross join (values ('day'), ('hour')) as s(span)
     order by k.h, s.span
     on conflict (recipient_hash, span, window_start) do update set attempts = c.attempts + excluded.attempts
     returning recipient_hash, span, attempts`,
    [keys, keys.map((k) => wanted.get(k)!)],
  );
  // How many of this call's mails each recipient may still have: the limit minus the attempts before.
  const room = new Map<string, number>();
  for (const r of rows) {
    const before = r.attempts - wanted.get(r.recipient_hash)!;
    const left = Math.max(0, RECIPIENT_LIMITS[r.span] - before);
    room.set(r.recipient_hash, Math.min(room.get(r.recipient_hash) ?? Infinity, left));
  }
  const withheld = new Map<string, number>();
  const allowed = hashes.map((h) => {
    const left = room.get(h) ?? 0;
    if (left > 0) {
      room.set(h, left - 1);
      return true;
    }
    withheld.set(h, (withheld.get(h) ?? 0) + 1);
    return false;
  });
  if (withheld.size) {
    await tx.query(
      `update mail_recipient_counts c set withheld = c.withheld + w.n
       from unnest($1::text[], $2::int[]) as w(h, n)
       where c.recipient_hash = w.h and c.span = 'hour' and c.window_start = date_trunc('hour', now())`,
      [[...withheld.keys()], [...withheld.values()]],
    );
  }
  return allowed;
}

/** Queues a mail that a stranger caused, unless its recipient is over the limit; true when queued. */
export async function queueStrangerMail(tx: Tx, secret: string, message: MailMessage): Promise<boolean> {
  const [allowed] = await allowMailsTo(tx, secret, [message.to]);
  if (allowed) await queueMail(tx, message);
  return allowed!;
}

/** Mails withheld over the windows still kept (about two days), for /metrics. */
export async function withheldMails(tx: Tx): Promise<number> {
  const row = await tx.one<{ n: number }>(`select coalesce(sum(withheld), 0)::int as n from mail_recipient_counts where span = 'hour'`);
  return row?.n ?? 0;
}

/** Deletes windows that ended more than a day ago (hourly job). */
export async function purgeRecipientCounts(tx: Tx): Promise<number> {
  return tx.execute(`delete from mail_recipient_counts where window_start < now() - interval '2 days'`);
}

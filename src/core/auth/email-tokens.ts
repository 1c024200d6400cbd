// Single-use, expiring tokens sent by email. The token is random bytes plus an HMAC under the
// installation secret (a forged or truncated link is refused before any lookup); only its SHA-256 is
// stored, so a copy of the database does not let anyone verify an address or reset a password.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import { hashToken } from './sessions.ts';

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

export const TOKEN_HOURS: Record<EmailTokenPurpose, number> = { verify_email: 72, reset_password: 1 };

function sign(secret: string, purpose: EmailTokenPurpose, random: string): string {
  return createHmac('sha256', secret).update(`email-token:${purpose}:${random}`).digest('base64url').slice(0, 22);
}

export async function createEmailToken(tx: Tx, secret: string, input: { personId: string; email: string; purpose: EmailTokenPurpose }): Promise<string> {
  const random = randomBytes(24).toString('base64url');
  const token = `${random}.${sign(secret, input.purpose, random)}`;
  await tx.query(
    `insert into auth_email_tokens (id, person_id, purpose, email, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(hours => $5))`,
    [hashToken(token), input.personId, input.purpose, input.email, TOKEN_HOURS[input.purpose]],
  );
  return token;
}

function wellSigned(secret: string, purpose: EmailTokenPurpose, token: string): boolean {
  const [random, mac, extra] = token.split('.');
  if (!random || !mac || extra !== undefined || token.length > 200) return false;
  const expected = Buffer.from(sign(secret, purpose, random));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The token's person and address when it is valid, unused and unexpired (without using it). */
export async function peekEmailToken(tx: Tx, secret: string, purpose: EmailTokenPurpose, token: string): Promise<{ personId: string; email: string } | null> {
  if (!wellSigned(secret, purpose, token)) return null;
  const row = await tx.one<{ person_id: string; email: string }>(
    `select person_id, email from auth_email_tokens
     where id = $1 and purpose = $2 and used_at is null and expires_at > now()`,
    [hashToken(token), purpose],
  );
  return row && { personId: row.person_id, email: row.email };
}

/** Marks the token used; null when it was not valid (or another request used it first). */
export async function consumeEmailToken(
  tx: Tx,
  secret: string,
  purpose: EmailTokenPurpose,
  token: string,
): Promise<{ personId: string; email: string } | null> {
  if (!wellSigned(secret, purpose, token)) return null;
  const row = await tx.one<{ person_id: string; email: string }>(
    `update auth_email_tokens set used_at = now()
     where id = $1 and purpose = $2 and used_at is null and expires_at > now()
     returning person_id, email`,
    [hashToken(token), purpose],
  );
  return row && { personId: row.person_id, email: row.email };
}

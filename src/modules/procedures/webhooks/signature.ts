// Webhook signatures: `X-Bastide-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
// The timestamp is signed with the body, so a captured request cannot be replayed later: a receiver
// recomputes the HMAC over the bytes it received (before parsing the JSON), compares in constant time, and
// refuses a timestamp further than its tolerance (5 minutes) from its own clock. Each attempt of a
// delivery is signed afresh (same body and delivery id, new timestamp). docs/procedures-operations.md
// shows the receiver's side.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-bastide-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function signBody(secret: string, body: string | Buffer, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/**
 * What a receiver does (and our tests): parse `t` and the `v1` values, refuse a timestamp outside the
 * tolerance, compare each v1 in constant time.
 */
export function verifySignature(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  if (!header || header.length > 1000) return false;
  let t: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && value) candidates.push(value);
  }
  if (t === null || !candidates.length) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(mac(secret, t, body));
  return candidates.some((c) => {
    const received = Buffer.from(c);
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
}

// TOTP seeds at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the installation secret, with
// the person's id as associated data so that a sealed seed copied onto another account does not open.
// Stored as `v1.<base64url(iv | ciphertext | tag)>`. Also the one way a code is used (useTotpCode). What this protects against, and what it does not:
// docs/authentication.md, "TOTP".
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { verifyTotp } from './totp.ts';

const PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new Map<string, Buffer>();

function keyFor(installationSecret: string): Buffer {
  let key = keys.get(installationSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(installationSecret, 'utf8'), Buffer.alloc(0), 'bastide:totp-seed:v1', 32));
    keys.set(installationSecret, key);
  }
  return key;
}

export function isSealedSeed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The base32 seed sealed for `personId`. */
export function sealTotpSeed(installationSecret: string, personId: string, seedBase32: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(installationSecret), iv);
  cipher.setAAD(Buffer.from(personId));
  const body = Buffer.concat([cipher.update(seedBase32, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The base32 seed, or null when the stored value does not open (another installation's secret, another
 * person's row, tampering). A value without the prefix is a seed stored before encryption: returned as
 * is, and sealed by `sealClearTotpSeeds` at the next start.
 */
export function openTotpSeed(installationSecret: string, personId: string, stored: string): string | null {
  if (!isSealedSeed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES + 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(installationSecret), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(personId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Seals the seeds written in clear by earlier versions. Run at every start (SQL cannot do it: the key
 * never reaches the database); after the first run it only looks for rows without the prefix.
 */
export async function sealClearTotpSeeds(db: Database, installationSecret: string): Promise<number> {
  return db.transaction(null, async (tx) => {
    const rows = await tx.query<{ id: string; totp_secret: string | null; totp_pending_secret: string | null }>(
      `select id, totp_secret, totp_pending_secret from people
       where (totp_secret is not null and totp_secret not like 'v1.%') or (totp_pending_secret is not null and totp_pending_secret not like 'v1.%')
       for update`,
    );
    for (const r of rows) {
      const seal = (value: string | null) => (value === null || isSealedSeed(value) ? value : sealTotpSeed(installationSecret, r.id, value));
      await tx.query('update people set totp_secret = $2, totp_pending_secret = $3 where id = $1', [r.id, seal(r.totp_secret), seal(r.totp_pending_secret)]);
    }
    return rows.length;
  });
}

/**
 * Checks a code against the person's TOTP and marks its time step used, in ONE conditional update:
 * two requests carrying the same code at the same moment cannot both pass. On PostgreSQL the second
 * update waits for the first one's row lock, then re-reads the row, finds the step used and changes
 * nothing (0 rows: refused). The seed must still be the one the code was checked against.
 */
export async function useTotpCode(
  db: Database,
  installationSecret: string,
  person: { id: string; totp_secret: string | null; totp_last_step: number | string | null },
  code: string,
  unixSeconds = Date.now() / 1000,
): Promise<boolean> {
  if (!person.totp_secret) return false;
  const seed = openTotpSeed(installationSecret, person.id, person.totp_secret);
  if (!seed) return false;
  const lastStep = person.totp_last_step === null ? null : Number(person.totp_last_step);
  const step = verifyTotp(seed, code, unixSeconds, lastStep);
  if (step === null) return false;
  const marked = await db.transaction(null, (tx) =>
    tx.execute(
      `update people set totp_last_step = $2
     where id = $1 and totp_secret = $3 and (totp_last_step is null or totp_last_step < $2)`,
      [person.id, step, person.totp_secret],
    ),
  );
  return marked === 1;
}

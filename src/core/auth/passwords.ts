// Password hashing with argon2id from Node's own crypto (Node.js ≥ 24.7), in the PHC string format so
// that parameters can be raised later without breaking existing hashes. Parameters: OWASP's minimum
// recommendation (19 MiB, 2 passes, 1 lane).
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };

function derive(password: string, nonce: Buffer, p: typeof PARAMS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce, memory: p.memory, passes: p.passes, parallelism: p.parallelism, tagLength: p.tagLength },
      (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const key = await derive(password, nonce, PARAMS);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${nonce.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(hash ?? '');
  if (!match) {
    // Same work whether or not the account exists, so timing does not reveal registered emails.
    await derive(password, randomBytes(16), PARAMS);
    return false;
  }
  const expected = Buffer.from(match[5]!, 'base64url');
  const key = await derive(password, Buffer.from(match[4]!, 'base64url'),
    { memory: Number(match[1]), passes: Number(match[2]), parallelism: Number(match[3]), tagLength: expected.length });
  return timingSafeEqual(key, expected);
}

/** Minimal policy (ANSSI / CNIL guidance): length matters more than composition. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('too_short');
  if (password.length > 256) problems.push('too_long');
  return problems;
}

// Encrypted backups. A backup holds every secret of the installation (password hashes, TOTP seeds, the
// installation secret, every dossier): given recipients, the archive is encrypted in the age format
// (https://age-encryption.org/v1) to their public keys, so the machine that writes it cannot read it
// back, and neither can whoever stores it. Restoring needs the private key (the identity file), kept
// elsewhere. The library is age-encryption, the reference TypeScript implementation by age's author
// (pure JavaScript over the audited @noble primitives); files interoperate with the `age` command line.
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';

/** The first bytes of every age file (binary, not armored). */
export const AGE_MAGIC = 'age-encryption.org/v1\n';

/** A recipient or identity that cannot be used: the message says which and why. */
export class BackupKeyError extends Error {}

/** Checks the recipients (age1…, age1pq1…) before any work starts; returns them trimmed. */
export function parseRecipients(recipients: string[]): string[] {
  return recipients.map((raw) => {
    const r = raw.trim();
    try {
      new Encrypter().addRecipient(r);
    } catch {
      throw new BackupKeyError(`not an age recipient: "${r}" (expected a public key such as age1…, from \`bastide backup-keygen\` or \`age-keygen\`)`);
    }
    return r;
  });
}

/**
 * Streams `source` (the gzip-compressed archive) into `out`, encrypted to the recipients. age
 * authenticates each 64 KiB chunk and marks the last one, so a truncated or altered file fails to restore.
 */
export async function encryptTo(recipients: string[], source: Readable, out: Writable): Promise<void> {
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  const encrypted = await encrypter.encrypt(Readable.toWeb(source) as ReadableStream<Uint8Array>);
  await pipeline(Readable.fromWeb(encrypted as import('node:stream/web').ReadableStream<Uint8Array>), out);
}

/** The identities (AGE-SECRET-KEY-1…) of an identity file as `age-keygen` writes it: comments start with #. */
export function readIdentityFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BackupKeyError(`cannot read the identity file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const identities = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const id of identities) {
    try {
      new Decrypter().addIdentity(id);
    } catch {
      throw new BackupKeyError(`${path} is not an age identity file (expected lines such as AGE-SECRET-KEY-1…)`);
    }
  }
  if (!identities.length) throw new BackupKeyError(`${path} holds no age identity`);
  return identities;
}

/** The decrypted content of an age stream; fails at once when no identity matches the file's recipients. */
export async function decryptWith(identities: string[], source: Readable, file: string): Promise<Readable> {
  const decrypter = new Decrypter();
  for (const id of identities) decrypter.addIdentity(id);
  try {
    const plain = await decrypter.decrypt(Readable.toWeb(source) as ReadableStream<Uint8Array>);
    return Readable.fromWeb(plain as import('node:stream/web').ReadableStream<Uint8Array>);
  } catch (error) {
    const message = (error as Error).message;
    if (/no identity matched/.test(message)) throw new BackupKeyError(`${file} is encrypted for another key: this identity cannot decrypt it`);
    throw new BackupKeyError(`${file} is not a readable encrypted backup (${message})`);
  }
}

/**
 * Writes a new X25519 identity to `path` (0600, never over an existing file), in age-keygen's format,
 * and returns its public key, the recipient to give `bastide backup --recipient`.
 */
export async function generateIdentityFile(path: string): Promise<string> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  try {
    writeFileSync(path, `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new BackupKeyError(`${path} already exists: choose another file (an identity is never overwritten)`);
    throw error;
  }
  return recipient;
}

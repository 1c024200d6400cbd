// Encrypted backups (issue 10, row 19). The attack: whoever gets a backup file (the storage it is copied
// to, a stolen disk) reads every secret of the installation in it: the installation secret, password
// hashes, dossiers. With --recipient the file is encrypted to an age public key; only the identity file
// (the private key, kept elsewhere) restores it, and a wrong one changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { freshInstallation, lines, type Installation } from './cli.ts';
import { installationSecret } from '../../src/core/db/settings.ts';

let inst: Installation;
let folder: string;
before(async () => {
  inst = await freshInstallation();
  folder = mkdtempSync(join(tmpdir(), 'bastide-encrypted-'));
});
after(async () => {
  await inst.cleanup();
  rmSync(folder, { recursive: true, force: true });
});

const slugs = async () =>
  (await inst.withDb((db) => db.ownerTransaction((tx) => tx.query<{ slug: string }>('select slug from tenants order by slug')))).map((r) => r.slug);

test('an encrypted backup holds no secret in clear, and restores only with its identity', async () => {
  const user = await inst.run(['user', 'add', '--email', 'secrets@example.fr', '--name', 'Secrets', '--password', 'Un mot de passe assez long 42']);
  assert.equal(user.code, 0, user.stderr);
  const added = await inst.run(['tenant', 'add', '--commune', '44109']);
  assert.equal(added.code, 0, added.stderr);
  const { secret, hash } = await inst.withDb(async (db) => ({
    secret: await installationSecret(db),
    hash: (await db.ownerTransaction((tx) => tx.one<{ h: string }>(`select password_hash as h from people where email = 'secrets@example.fr'`)))!.h,
  }));
  assert.match(hash, /^\$argon2id\$/);

  // The control: an unencrypted backup of the embedded database shows both once decompressed (a
  // PostgreSQL dump is compressed again inside, so the control is the embedded engine's).
  if (inst.engine === 'pglite') {
    const plain = join(folder, 'plain.tar.gz');
    assert.equal((await inst.run(['backup', plain])).code, 0);
    const bytes = gunzipSync(readFileSync(plain)).toString('latin1');
    assert.ok(bytes.includes(secret) && bytes.includes(hash), 'the search would find them in clear');
  }

  const key = join(folder, 'key.txt');
  const keygen = await inst.run(['backup-keygen', key]);
  assert.equal(keygen.code, 0, keygen.stderr);
  const recipient = keygen.stdout.trim();
  assert.match(recipient, /^age1[0-9a-z]{58}$/);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.match(readFileSync(key, 'utf8'), new RegExp(`# public key: ${recipient}\\nAGE-SECRET-KEY-1[0-9A-Z]{58}\\n$`));
  const again = await inst.run(['backup-keygen', key]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^bastide: .*key\.txt already exists: choose another file \(an identity is never overwritten\)\n$/);

  const file = join(folder, 'backup.tar.gz.age');
  const backup = await inst.run(['backup', file, '--recipient', recipient]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /backup\.tar\.gz\.age\t.+\t0 files\tencrypted\n$/);
  const raw = readFileSync(file);
  assert.equal(raw.subarray(0, 22).toString('latin1'), 'age-encryption.org/v1\n');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  for (const needle of [secret, hash, 'secrets@example.fr', 'bastide-backup']) {
    assert.ok(!raw.toString('latin1').includes(needle), `${needle} must not appear in the encrypted file`);
  }
  assert.throws(() => gunzipSync(raw), 'not a gzip file either');

  // Later changes, then the restore with the identity brings the backup's state back.
  assert.equal((await inst.run(['tenant', 'add', '--commune', '31555'])).code, 0);
  assert.deepEqual(await slugs(), ['nantes', 'toulouse']);
  const restore = await inst.run(['restore', file, '--identity', key]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await slugs(), ['nantes']);
  assert.equal(await inst.withDb((db) => installationSecret(db)), secret);
  const verify = await inst.run(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stderr);
});

test('without the identity, with another one, or altered, an encrypted backup is refused and nothing changes', async () => {
  const key = join(folder, 'key.txt');
  const file = join(folder, 'backup.tar.gz.age');
  assert.equal((await inst.run(['tenant', 'add', '--commune', '31555'])).code, 0);
  const expected = ['nantes', 'toulouse'];

  const none = await inst.run(['restore', file]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^bastide: .*backup\.tar\.gz\.age is an encrypted backup: give its identity file with --identity\n$/);

  const other = join(folder, 'other.txt');
  assert.equal((await inst.run(['backup-keygen', other])).code, 0);
  const wrong = await inst.run(['restore', file, '--identity', other]);
  assert.equal(wrong.code, 1);
  assert.equal(lines(wrong.stderr).length, 1);
  assert.match(wrong.stderr, /^bastide: .*backup\.tar\.gz\.age is encrypted for another key: this identity cannot decrypt it\n$/);

  const notKey = join(folder, 'not-a-key.txt');
  writeFileSync(notKey, 'hello\n');
  const bad = await inst.run(['restore', file, '--identity', notKey]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^bastide: .*not-a-key\.txt is not an age identity file/);

  // One byte of the payload changed: age authenticates every chunk.
  const altered = join(folder, 'altered.tar.gz.age');
  const bytes = readFileSync(file);
  bytes[bytes.length - 100] ^= 1;
  writeFileSync(altered, bytes);
  const tampered = await inst.run(['restore', altered, '--identity', key]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /^bastide: .*altered\.tar\.gz\.age is not a readable Bastide backup/);

  const recipient = await inst.run(['backup', join(folder, 'x.age'), '--recipient', 'age1notakey']);
  assert.equal(recipient.code, 1);
  assert.match(recipient.stderr, /^bastide: not an age recipient: "age1notakey" \(expected a public key such as age1…/);

  assert.deepEqual(await slugs(), expected);
  // The identity file restores the intact file still.
  const ok = await inst.run(['restore', file, '--identity', key]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(await slugs(), ['nantes']);
});

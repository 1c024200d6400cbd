// TOTP against the test vectors of RFC 6238 (Appendix B), and the drift and replay rules we add.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUri, totp, verifyTotp } from './totp.ts';

// Seeds of Appendix B: the ASCII digits repeated to the hash's block size.
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: Array<[number, string, keyof typeof SEEDS]> = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
];

test('RFC 6238 Appendix B test vectors', () => {
  for (const [time, expected, algorithm] of VECTORS) {
    assert.equal(totp(SEEDS[algorithm], time, { digits: 8, algorithm }), expected, `${algorithm} at ${time}`);
  }
});

test('RFC 4226 Appendix D HOTP values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => assert.equal(hotp(SEEDS.sha1, counter), code));
});

test('base32 round-trips and matches RFC 4648', () => {
  assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(base32Decode('MZXW6YTBOI').toString(), 'foobar');
  const secret = newTotpSecret();
  assert.equal(secret.length, 32);
  assert.equal(base32Encode(base32Decode(secret)), secret);
});

test('a code is accepted one step before and after, not two, and never twice', () => {
  const secret = base32Encode(SEEDS.sha1);
  const now = 1_700_000_000;
  const code = totp(SEEDS.sha1, now);
  assert.equal(verifyTotp(secret, code, now), Math.floor(now / 30));
  assert.notEqual(verifyTotp(secret, code, now + 30), null);
  assert.notEqual(verifyTotp(secret, code, now - 30), null);
  assert.equal(verifyTotp(secret, code, now + 60), null);
  assert.equal(verifyTotp(secret, code, now - 60), null);
  assert.equal(verifyTotp(secret, code, now, Math.floor(now / 30)), null, 'replay refused');
  assert.equal(verifyTotp(secret, '12345', now), null);
  assert.equal(verifyTotp(secret, 'abcdef', now), null);
});

test('the otpauth URI names the issuer and account', () => {
  const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'agent@example.org', 'Bastide');
  assert.equal(uri, 'otpauth://totp/Bastide%3Aagent%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Bastide&algorithm=SHA1&digits=6&period=30');
});

// The limiter's table is bounded whatever keys clients send, and client addresses are keyed so that one
// IPv6 subscriber (a /64) is one client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddressKey, RateLimiter } from './rate-limit.ts';

test('a flood of new keys within one window keeps the table at its bound; expired windows go first', () => {
  const limiter = new RateLimiter(3, 60_000, { maxKeys: 100 });
  for (let i = 0; i < 10_000; i++) limiter.hit(`forged-${i}`, 1000);
  assert.ok(limiter.size <= 100, `${limiter.size} keys`);
  // A key still counted keeps its count while the table has room.
  const fresh = new RateLimiter(2, 60_000, { maxKeys: 100 });
  fresh.hit('a', 0);
  for (let i = 0; i < 98; i++) fresh.hit(`old-${i}`, 0);
  fresh.hit('a', 70_000); // a's window expired: renewed at the end of the table
  for (let i = 0; i < 50; i++) fresh.hit(`new-${i}`, 70_001); // room made from the expired windows only
  fresh.hit('a', 70_002);
  assert.throws(() => fresh.hit('a', 70_003), /rate_limited|429|Too|Trop/);
});

test('client address keys: IPv4 as is, IPv6 by /64, IPv4-mapped as IPv4', () => {
  assert.equal(clientAddressKey('203.0.113.7'), '203.0.113.7');
  assert.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(clientAddressKey('2001:db8:5:7:abcd::1'), '2001:db8:5:7::/64');
  assert.equal(clientAddressKey('2001:0db8:0005:0007:ffff:1:2:3'), '2001:db8:5:7::/64');
  assert.equal(clientAddressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientAddressKey('::1'), '0:0:0:0::/64');
  assert.equal(clientAddressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
});

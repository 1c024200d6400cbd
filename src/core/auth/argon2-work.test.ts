// Issue 10 row 9 (anonymous CPU): argon2 is the most expensive thing an anonymous request can start. A
// reset link is checked before any derivation, derivations run a few at a time, and past a bounded queue
// the request is refused with a 503 instead of piling up 19 MiB derivations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { argon2Slots, argon2Stats, hashPassword, verifyPassword } from './passwords.ts';
import { createEmailToken } from './email-tokens.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function confirmReset(token: string, password = 'a brand new pass phrase') {
  const browser = await browserFor(t, null);
  return t.app.inject({
    method: 'POST',
    url: '/auth/reset/confirm',
    headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: browser.csrf, token, password }).toString(),
  });
}

test('/auth/reset/confirm checks the link before hashing: a bad, forged or used link computes no argon2', async () => {
  const person = await createPerson(t.db);
  const token = await t.db.transaction(null, (tx) =>
    createEmailToken(tx, t.deps.secret, { personId: person.id, email: person.email, purpose: 'reset_password' }),
  );
  const before = argon2Stats.computed;
  for (const bad of ['', 'garbage', `${token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`, 'x'.repeat(300)]) {
    assert.equal((await confirmReset(bad)).statusCode, 400, bad);
  }
  assert.equal(argon2Stats.computed, before, 'no derivation for links that are not valid');
  assert.equal((await confirmReset(token)).statusCode, 303);
  assert.equal(argon2Stats.computed, before + 1, 'one derivation for the valid link');
  assert.equal((await confirmReset(token)).statusCode, 400, 'a used link');
  assert.equal(argon2Stats.computed, before + 1);
});

test('derivations run at most a few at a time, and every caller is answered', async () => {
  argon2Stats.peak = 0;
  const hashes = await Promise.all(Array.from({ length: argon2Slots.size * 3 + 1 }, (_, i) => hashPassword(`pass phrase number ${i}`)));
  assert.equal(new Set(hashes).size, hashes.length);
  assert.ok(argon2Stats.peak <= argon2Slots.size, `peak ${argon2Stats.peak} ≤ ${argon2Slots.size}`);
  assert.ok(argon2Slots.size < 4, 'never the whole libuv thread pool (4 threads by default), which file I/O shares');
  assert.equal(argon2Slots.active, 0);
  assert.equal(await verifyPassword(hashes[0]!, 'pass phrase number 0'), true);
});

test('past the queue of waiting derivations, a sign-in gets a localised 503 with Retry-After, then works again', async () => {
  const person = await createPerson(t.db);
  // Every slot busy and the queue full, as under a flood of anonymous sign-ins.
  const held = await Promise.all(Array.from({ length: argon2Slots.size }, () => argon2Slots.acquire()));
  const queued = Array.from({ length: argon2Slots.maxWaiting }, () => argon2Slots.acquire());
  try {
    const browser = await browserFor(t, null);
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrf, email: person.email, password: person.password }).toString(),
    });
    assert.equal(res.statusCode, 503);
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.match(res.body, /très sollicité/);
    assert.equal(argon2Slots.waiting, argon2Slots.maxWaiting, 'the refused request did not queue');
  } finally {
    for (const release of held) release();
    for (const slot of queued) (await slot)();
  }
  assert.equal(argon2Slots.active, 0);
  const browser = await browserFor(t, null);
  const ok = await t.app.inject({
    method: 'POST',
    url: '/auth/sign-in',
    headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: browser.csrf, email: person.email, password: person.password }).toString(),
  });
  assert.equal(ok.statusCode, 303);
});

// The development mail viewer and demo accounts (issue 10, row 16): /_dev/mail shows every mail sent,
// password-reset links included, so it is served only in development, without SMTP, by a server listening
// on the loopback interface, to a loopback client that did not come through a proxy. NODE_ENV unset is
// production (the CLI side: test/cli/dev-mode.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createPerson, browserFor, postForm } from '../../../test/helpers/app.ts';
import { loadConfig, ConfigError } from '../../config.ts';
import { DEMO_DOMAIN } from '../seed/demo.ts';

test('/_dev/mail answers a loopback client of a development server, and no one else', async () => {
  const dev = await startTestApp({ env: { NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
  try {
    assert.equal((await dev.app.inject('/_dev/mail')).statusCode, 200);
    assert.equal((await dev.app.inject({ url: '/_dev/mail', remoteAddress: '::1' })).statusCode, 200);
    assert.equal((await dev.app.inject({ url: '/_dev/mail', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
    for (const remoteAddress of ['203.0.113.7', '192.168.1.20', '10.0.0.3', '::ffff:192.168.1.20', '2001:db8::1']) {
      assert.equal((await dev.app.inject({ url: '/_dev/mail', remoteAddress })).statusCode, 404, remoteAddress);
    }
    // A proxy on this machine relays others: whatever address it claims for them.
    for (const header of ['x-forwarded-for', 'x-real-ip', 'forwarded']) {
      assert.equal(
        (await dev.app.inject({ url: '/_dev/mail', headers: { [header]: header === 'forwarded' ? 'for=127.0.0.1' : '127.0.0.1' } })).statusCode,
        404,
        header,
      );
    }
  } finally {
    await dev.close();
  }
});

test('a development server listening beyond the loopback interface has no /_dev/mail', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
    const dev = await startTestApp({ env: { NODE_ENV: 'development', HOST: host, BASTIDE_BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' } });
    try {
      assert.equal((await dev.app.inject('/_dev/mail')).statusCode, 404, host);
    } finally {
      await dev.close();
    }
  }
});

test('NODE_ENV unset is production: no demo data, no /_dev/mail, demo accounts refused', async () => {
  const config = loadConfig({});
  assert.equal(config.env, 'production');
  assert.equal(config.seedDemo, false);
  assert.equal(loadConfig({ NODE_ENV: 'development' }).seedDemo, true);
  // Declared production still needs its public address; unset falls back to HOST:PORT (the CLI on a laptop).
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError);
  assert.equal(config.baseUrl, 'http://127.0.0.1:3000');

  // An empty NODE_ENV is unset too (`NODE_ENV= bastide serve`).
  const unset = await startTestApp({ env: { NODE_ENV: '', LOG_LEVEL: 'silent' } });
  try {
    assert.equal(unset.config.env, 'production');
    assert.equal((await unset.app.inject('/_dev/mail')).statusCode, 404);
    const demo = await createPerson(unset.db, {}, { email: `citoyen@${DEMO_DOMAIN}` });
    const refused = await postForm(unset, await browserFor(unset, null), '/auth/sign-in', { email: demo.email, password: demo.password });
    assert.equal(refused.statusCode, 403);
  } finally {
    await unset.close();
  }
});

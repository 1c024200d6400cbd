// Configuration from the environment: the embedded engine's buffer size is checked once at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('BASTIDE_EMBEDDED_SHARED_BUFFERS: unset leaves the engine default, a size is kept, anything else is refused', () => {
  assert.equal(loadConfig({ NODE_ENV: 'test' }).embeddedSharedBuffers, null);
  assert.equal(loadConfig({ NODE_ENV: 'test', BASTIDE_EMBEDDED_SHARED_BUFFERS: '64MB' }).embeddedSharedBuffers, '64MB');
  for (const bad of ['64', '0MB', '1TB', '32MB; fsync=off', '-c x']) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', BASTIDE_EMBEDDED_SHARED_BUFFERS: bad }), ConfigError, bad);
  }
});

test('BASTIDE_API_TOKEN_CACHE_SECONDS: 10 s unless set, 0 turns the cache off, anything but 0–300 whole seconds is refused', () => {
  assert.equal(loadConfig({ NODE_ENV: 'test' }).apiTokenCacheSeconds, 10);
  assert.equal(loadConfig({ NODE_ENV: 'test', BASTIDE_API_TOKEN_CACHE_SECONDS: '0' }).apiTokenCacheSeconds, 0);
  assert.equal(loadConfig({ NODE_ENV: 'test', BASTIDE_API_TOKEN_CACHE_SECONDS: '300' }).apiTokenCacheSeconds, 300);
  for (const bad of ['301', '-1', '1.5', '10s', ' 5', '007']) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', BASTIDE_API_TOKEN_CACHE_SECONDS: bad }), ConfigError, bad);
  }
});

test('BASTIDE_FRANCECONNECT_ISSUERS / BASTIDE_PROCONNECT_ISSUERS: the federations’ endpoints unless set, https issuers only', () => {
  const defaults = loadConfig({ NODE_ENV: 'test' }).oidcIssuers;
  assert.ok(defaults.franceconnect.includes('https://oidc.franceconnect.gouv.fr/api/v2'));
  assert.ok(defaults.proconnect.includes('https://auth.proconnect.gouv.fr/api/v2'));
  const set = loadConfig({
    NODE_ENV: 'test',
    BASTIDE_FRANCECONNECT_ISSUERS: ' https://OIDC.franceconnect.gouv.fr/api/v2/ , http://127.0.0.1:4000',
    BASTIDE_PROCONNECT_ISSUERS: '',
  }).oidcIssuers;
  assert.deepEqual(set, { franceconnect: ['https://oidc.franceconnect.gouv.fr/api/v2', 'http://127.0.0.1:4000'], proconnect: [] });
  for (const bad of ['oidc.franceconnect.gouv.fr', 'http://evil.example/api/v2', 'https://x.example/?a=1', 'ftp://x.example']) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', BASTIDE_FRANCECONNECT_ISSUERS: bad }), ConfigError, bad);
  }
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', BASTIDE_BASE_URL: 'https://b.example', BASTIDE_PROCONNECT_ISSUERS: 'http://127.0.0.1:4000' }),
    ConfigError,
  );
});

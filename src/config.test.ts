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

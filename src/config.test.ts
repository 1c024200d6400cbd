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

// The embedded engine starts with a small buffer pool (it lives in the process's own memory, see
// docs/performance.md, memory); a size given by the configuration replaces it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open.ts';
import { testServerUrl } from '../../../test/helpers/database.ts';

test('PGlite runs with shared_buffers 32MB by default, or the configured size', { skip: testServerUrl() ? 'embedded engine only' : false }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastide-buffers-'));
  try {
    for (const [configured, expected] of [
      [null, '32MB'],
      ['16MB', '16MB'],
    ] as const) {
      const db = await openDatabase({ dataDir, databaseUrl: null, embeddedSharedBuffers: configured });
      try {
        const row = await db.ownerTransaction((tx) => tx.one<{ shared_buffers: string }>('show shared_buffers'));
        assert.equal(row!.shared_buffers, expected);
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

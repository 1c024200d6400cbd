// `bastide archives import <sip.zip> --tenant <slug>` in a child process against a fresh installation: a
// package imports (exit 0, one line), a hostile one is refused with its reasons (exit 2, nothing stored), an
// unknown collectivité is an error (exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { freshInstallation } from '../../../test/cli/cli.ts';
import { sampleTransfer } from '../../../test/support/archives/seda.ts';
import { rawZip } from '../../../test/support/archives/zips.ts';
import { createTenant } from '../../core/tenancy/create-tenant.ts';
import { writeSip } from './seda/index.ts';

test('bastide archives import: exit 0 with the counts, 2 with every reason for a hostile package, 1 for an unknown slug', async () => {
  const inst = await freshInstallation();
  const work = await mkdtemp(join(tmpdir(), 'sip-cli-'));
  try {
    const tenantId = await inst.withDb(async (db) => {
      const created = await createTenant(db, { kind: 'syndicate', name: 'Syndicat des archives', slug: 'syndicat-archives' });
      assert.ok(created.ok);
      return created.tenant.id;
    });
    execFileSync('chmod', ['-R', 'go-rwx', inst.dataDir]);
    const { transfer, bytes } = sampleTransfer();
    transfer.units[0]!.management = { access: { rules: [{ rule: 'ACC-25', startDate: '2020-12-31' }] } };
    transfer.units[0]!.children[0]!.children[0]!.management = undefined;
    const sip = join(work, 'versement.zip');
    await writeSip(transfer, (o) => Readable.from([bytes.get(o.id)!]), sip);

    const ok = await inst.run(['archives', 'import', sip, '--tenant', 'syndicat-archives']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /archives import: 3 unit\(s\), 3 object\(s\) into syndicat-archives \(ingest [0-9a-f-]{36}\)/);

    const bomb = join(work, 'bomb.zip');
    await writeFile(
      bomb,
      rawZip([
        { name: '../escape.txt', data: Buffer.from('x') },
        { name: 'content/zeros.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true },
      ]),
    );
    const refused = await inst.run(['archives', 'import', bomb, '--tenant', 'syndicat-archives']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /archives import refused: 2 reason\(s\)/);
    assert.match(refused.stderr, /"\.\.\/escape\.txt" escapes the package/);
    assert.match(refused.stderr, /possible zip bomb/);

    const unknown = await inst.run(['archives', 'import', sip, '--tenant', 'nulle-part']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no collectivité with the slug nulle-part/);

    const units = await inst.withDb((db) => db.transaction(tenantId, (tx) => tx.one<{ n: string }>('select count(*)::text as n from archives_units')));
    assert.equal(units!.n, '3');
  } finally {
    await rm(work, { recursive: true, force: true });
    await inst.cleanup();
  }
});

// The blob store keeps archived objects write-once (local folder): once an ingest commits, its objects'
// files are sealed (mode 0444). Through the store's API nobody overwrites them (adopt never replaces a
// sealed file, even with other bytes under the key) or deletes them (remove refuses without a release,
// and a release is honoured only when the database shows an executed elimination that tombstoned them);
// the daily sweep leaves them; a failed upload's discard leaves them. The elimination still removes them,
// and seals its certificate. The audit seals intact objects it finds unsealed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postForm, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest } from '../../../test/support/archives/archives.ts';
import { blobStoreFor, SealedBlobError, type SealRelease } from '../../core/files/store.ts';
import { sweepFiles } from '../../core/files/sweep.ts';
import { eliminationRelease } from './actions/eliminate.ts';
import { auditTenant } from './index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const blobPath = (tenantId: string, sha256: string) => join(t.config.dataDir, 'files', tenantId, sha256.slice(0, 2), sha256);
const mode = (path: string) => statSync(path).mode & 0o777;
const yes: SealRelease = { reason: 'elimination', reference: 'none', confirm: () => Promise.resolve(true) };
const no: SealRelease = { ...yes, confirm: () => Promise.resolve(false) };

test('attack: archived bytes cannot be overwritten or deleted through the store; the sweep and a discard leave them', async () => {
  const a = await archivesTenant(t);
  const store = blobStoreFor(t.config);
  const r = await ingest(t, a.tenant.id, [{ title: 'Registre', objects: [{ filename: 'registre.txt', source: bytes('registre 1901\n') }] }]);
  const sha = r.objects[0]!.sha256;
  const path = blobPath(a.tenant.id, sha);
  assert.equal(mode(path), 0o444);
  assert.equal(await store.isSealed(a.tenant.id, sha), true);

  // Overwrite: adopt other bytes under the archived key (a caller lying about the key) — nothing changes.
  const temp = await store.tempPath();
  writeFileSync(temp, 'faux registre\n');
  assert.equal(await store.adopt(a.tenant.id, sha, temp), null);
  assert.equal(readFileSync(path, 'utf8'), 'registre 1901\n');

  // Delete: without a release, with a release that does not confirm, with an elimination that does not cover it.
  await assert.rejects(store.remove(a.tenant.id, sha), SealedBlobError);
  await assert.rejects(store.remove(a.tenant.id, sha, no), SealedBlobError);
  await assert.rejects(store.remove(a.tenant.id, sha, eliminationRelease(t.db, a.tenant.id, '01900000-0000-7000-8000-000000000000')), SealedBlobError);
  assert.ok(existsSync(path));

  // The sweep: a sealed file with no row, a day old, stays (counted); an unsealed one goes.
  const stray = await store.tempPath();
  writeFileSync(stray, 'orphelin scellé\n');
  const straySha = '0'.repeat(63) + '1';
  await store.adopt(a.tenant.id, straySha, stray);
  await store.seal(a.tenant.id, straySha);
  const old = new Date(Date.now() - 3 * 86_400_000);
  utimesSync(blobPath(a.tenant.id, straySha), old, old);
  utimesSync(path, old, old);
  const swept = await sweepFiles(t.deps);
  assert.ok(swept.sealed >= 1);
  assert.ok(existsSync(blobPath(a.tenant.id, straySha)));
  assert.ok(existsSync(path));

  // A failed upload of the same bytes made before the archive sealed them: its discard leaves them.
  const b = await archivesTenant(t);
  const first = await store.tempPath();
  writeFileSync(first, 'même octets\n');
  const same = 'a'.repeat(64);
  const adopted = await store.adopt(b.tenant.id, same, first);
  assert.ok(adopted);
  await store.seal(b.tenant.id, same);
  await adopted.discard();
  assert.ok(existsSync(blobPath(b.tenant.id, same)));

  // The audit seals an intact object it finds unsealed (a crash between an ingest's commit and its sealing).
  chmodSync(path, 0o600);
  await auditTenant(t.deps, a.tenant.id);
  assert.equal(mode(path), 0o444);
  // A release that confirms is honoured (the store's own rule; the archives give one only for an executed elimination).
  await store.remove(a.tenant.id, straySha, yes);
  assert.equal(existsSync(blobPath(a.tenant.id, straySha)), false);
});

test('an approved elimination still removes sealed bytes, and its certificate is sealed', async () => {
  const a = await archivesTenant(t);
  const due = { category: 'appraisal' as const, rule_code: 'APP-DOSSIER-10-D', start_date: '2010-01-01' };
  const r = await ingest(t, a.tenant.id, [
    { title: 'Échu', end_date: '2009-12-31', rules: [due], objects: [{ filename: 'echu.txt', source: bytes('échu et scellé\n') }] },
  ]);
  const path = blobPath(a.tenant.id, r.objects[0]!.sha256);
  assert.equal(mode(path), 0o444);
  const proposed = await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [r.units[0]!.id] });
  const page = String(proposed.headers.location).split('?')[0]!;
  const visa = { visa_authority: 'AD 44', visa_signatory: 'Mme Durand', visa_reference: 'AD44/2', visa_date: '2025-01-10' };
  assert.equal((await postForm(t, a.archivist, `${page}/visa`, visa)).statusCode, 303);
  assert.equal((await postForm(t, a.archivist, `${page}/executer`, {})).statusCode, 303);
  assert.equal(existsSync(path), false);
  const certificate = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ sha: string }>(`select certificate_sha256 as sha from archives_eliminations where state = 'executed'`),
  );
  assert.equal(mode(blobPath(a.tenant.id, certificate!.sha)), 0o444);
});

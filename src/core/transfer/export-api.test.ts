// GET /api/v1/<slug>/export (issue 14): an administrator's archive as a job. Attack first: another
// collectivité's administrator can neither start an export of this one, nor read its state, nor download
// it, even with its id; an agent of the collectivité itself cannot either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiToken, createTestTenant, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, fileDossier, published, type ApiTenant } from '../../../test/support/procedures/api.ts';
import { manifestOf, readZip } from '../../../test/support/transfer/archives.ts';

let t: TestApp;
let a: ApiTenant;
let adminA: string;
let adminB: string;
let slugB: string;
let work: string;

before(async () => {
  t = await startTestApp();
  work = mkdtempSync(join(tmpdir(), 'bastide-export-api-'));
  a = await apiTenant(t);
  await fileDossier(t, a, await published(t, a));
  adminA = await apiToken(t, a.tenant.id, 'tenant_admin');
  const b = await createTestTenant(t.db);
  slugB = b.slug;
  adminB = await apiToken(t, b.id, 'tenant_admin');
});
after(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

test('attack: another collectivité’s administrator cannot start, follow or download an export; an agent cannot start one', async () => {
  const other = await call(t, 'GET', `/api/v1/${a.tenant.slug}/export`, adminB);
  assert.equal(other.statusCode, 404);
  const agent = await call(t, 'GET', `/api/v1/${a.tenant.slug}/export`, a.agent);
  assert.equal(agent.statusCode, 403);
  const started = await call(t, 'GET', `/api/v1/${a.tenant.slug}/export`, adminA);
  assert.equal(started.statusCode, 202, started.body);
  const { id } = started.json() as { id: string };
  await t.deps.jobs.drain();
  for (const url of [`/api/v1/${slugB}/export/${id}`, `/api/v1/${slugB}/export/${id}/file`, `/api/v1/${a.tenant.slug}/export/${id}/file`]) {
    const res = await call(t, 'GET', url, adminB);
    assert.equal(res.statusCode, 404, url);
  }
  const jobs = await t.db.ownerTransaction((tx) => tx.one<{ n: number }>(`select count(*)::int as n from jobs where kind = 'core.tenant.export'`));
  assert.equal(jobs!.n, 1, 'only the administrator’s request queued an export');
});

test('the administrator gets 202 and a job id, then a download link to the archive of the collectivité', async () => {
  const started = await call(t, 'GET', `/api/v1/${a.tenant.slug}/export`, adminA);
  assert.equal(started.statusCode, 202);
  const body = started.json() as { id: string; state: string; status_url: string; download_url: string | null };
  assert.equal(body.state, 'queued');
  assert.equal(body.download_url, null);
  await t.deps.jobs.drain();
  const status = await call(t, 'GET', body.status_url, adminA);
  const done = status.json() as { state: string; download_url: string; expires_at: string; size: number };
  assert.equal(done.state, 'done', status.body);
  assert.ok(new Date(done.expires_at).getTime() > Date.now());
  const file = await call(t, 'GET', done.download_url, adminA);
  assert.equal(file.statusCode, 200);
  assert.equal(file.rawPayload.length, done.size);
  const path = join(work, 'export.zip');
  writeFileSync(path, file.rawPayload);
  const parts = await readZip(path);
  const manifest = manifestOf(parts);
  assert.equal(manifest.tenant.id, a.tenant.id);
  assert.equal(manifest.parts.find((p) => p.table === 'dossiers')!.rows, 1);
  // The exports themselves are not part of the archive (nor are earlier archives among its files).
  assert.ok(!manifest.parts.some((p) => p.table === 'tenant_exports'));
  assert.equal(manifest.parts.filter((p) => p.kind === 'file').length, 0);
});

// Installation-wide reference rows in a tenant archive (references.ts): a collectivité's funding
// applications point to the host's programmes, which the archive does not carry. It names each by its
// slug; the import finds the programme here under another id and rewrites the rows, or refuses before
// anything is written when this installation lacks it, or when a row points to a programme the
// manifest does not name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestTenant, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { editRows, manifestOf, readZip, tablePart, writeZip } from '../../../test/support/transfer/archives.ts';
import { blobStoreFor } from '../files/store.ts';
import { exportTenant } from './export.ts';
import { importTenant } from './import.ts';
import { TransferError } from './format.ts';

let source: TestApp;
let target: TestApp;
let work: string;
let archive: string;
let tenantId: string;

async function programme(t: TestApp, slug: string): Promise<string> {
  const row = await t.db.ownerTransaction((tx) =>
    tx.one<{ id: string }>(
      `insert into roadmap_programmes (slug, name, funder, nature, audiences, territory, themes, recurrence)
       values ($1, 'Programme ' || $1, 'État', 'grant', '{commune}', '{FR}', '{data}', 'annual') returning id::text as id`,
      [slug],
    ),
  );
  return row!.id;
}

async function applicationProgrammes(t: TestApp): Promise<string[]> {
  const rows = await t.db.ownerTransaction((tx) =>
    tx.query<{ slug: string }>(
      `select p.slug from roadmap_funding_applications a join roadmap_programmes p on p.id = a.programme_id where a.tenant_id = $1 order by p.slug`,
      [tenantId],
    ),
  );
  return rows.map((r) => r.slug);
}

async function tenantExists(t: TestApp): Promise<boolean> {
  return Boolean(await t.db.ownerTransaction((tx) => tx.one('select 1 from tenants where id = $1', [tenantId])));
}

before(async () => {
  source = await startTestApp();
  target = await startTestApp();
  work = mkdtempSync(join(tmpdir(), 'bastide-references-'));
  const tenant = await createTestTenant(source.db);
  tenantId = tenant.id;
  const programmes = [await programme(source, 'numerique-relance'), await programme(source, 'dsil-numerique')];
  await programme(source, 'unused-here');
  await source.db.ownerTransaction(async (tx) => {
    const project = await tx.one<{ id: string }>(
      `insert into roadmap_projects (tenant_id, slug, title, theme) values ($1, 'plateforme', 'Plateforme', 'citizen_relations') returning id::text as id`,
      [tenantId],
    );
    for (const p of programmes)
      await tx.query(`insert into roadmap_funding_applications (tenant_id, project_id, programme_id, amount_asked) values ($1, $2, $3, 1000)`, [
        tenantId,
        project!.id,
        p,
      ]);
  });
  archive = join(work, 'tenant.zip');
  await exportTenant(source.db, blobStoreFor(source.config), tenant.slug, archive);
});

after(async () => {
  await source?.close();
  await target?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the archive names the programmes its rows point to by slug, and only those', async () => {
  const m = manifestOf(await readZip(archive));
  const refs = m.references?.find((r) => r.table === 'roadmap_programmes');
  assert.ok(refs, 'no references for roadmap_programmes');
  assert.equal(refs.key, 'slug');
  assert.deepEqual(refs.rows.map((r) => r.key).sort(), ['dsil-numerique', 'numerique-relance']);
  assert.ok(!m.parts.some((p) => p.table === 'roadmap_programmes'), 'the programmes themselves are not carried');
});

test('attack: an installation without one of the programmes refuses the import, naming it; nothing is written', async () => {
  await programme(target, 'numerique-relance');
  await assert.rejects(importTenant(target.db, blobStoreFor(target.config), archive), (error: Error) => {
    assert.ok(error instanceof TransferError, error.stack);
    assert.match(error.message, /roadmap_programmes "dsil-numerique".*does not have/);
    return true;
  });
  assert.equal(await tenantExists(target), false);
});

test('attack: a row pointing to a programme the manifest does not name is refused (digests fixed)', async () => {
  await programme(target, 'dsil-numerique');
  const parts = await readZip(archive);
  const other = await programme(target, 'autre-programme');
  const part = tablePart(parts, 'roadmap_funding_applications');
  editRows(parts, part, (rows) => rows.map((r, i) => (i === 0 ? { ...r, programme_id: other } : r)));
  const file = join(work, 'forged.zip');
  await writeZip(file, parts);
  await assert.rejects(importTenant(target.db, blobStoreFor(target.config), file), (error: Error) => {
    assert.ok(error instanceof TransferError, error.stack);
    assert.match(error.message, /programme_id points to a row of roadmap_programmes the manifest does not name/);
    return true;
  });
  assert.equal(await tenantExists(target), false);
});

test('with the programmes here under other ids, the applications point to them after the import', async () => {
  const summary = await importTenant(target.db, blobStoreFor(target.config), archive);
  assert.equal(summary.tenantId, tenantId);
  assert.deepEqual(await applicationProgrammes(target), ['dsil-numerique', 'numerique-relance']);
  const ids = await target.db.ownerTransaction((tx) =>
    tx.query<{ programme_id: string }>('select programme_id::text as programme_id from roadmap_funding_applications where tenant_id = $1', [tenantId]),
  );
  const sourceIds = await source.db.ownerTransaction((tx) =>
    tx.query<{ id: string }>(`select id::text as id from roadmap_programmes where slug in ('dsil-numerique', 'numerique-relance')`),
  );
  for (const row of ids) assert.ok(!sourceIds.some((s) => s.id === row.programme_id), 'an id of the source installation was kept');
});

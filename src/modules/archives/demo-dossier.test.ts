// Issue 13, "done means": in the demo data a decided dossier reaches the archives by itself (the subsidy
// procedure archives after 365 days; its accepted dossier was decided 400 days ago, the retention flags it
// and the archives' seed files it as the hourly job would), and that unit leaves as a SEDA 2.3
// ArchiveTransfer whose manifest passes the official XSDs and whose objects match their digests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiToken, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedDemo } from '../../seed.ts';
import { flattenUnits, readSip } from './seda/index.ts';

let t: TestApp;
let work: string;
before(async () => {
  t = await startTestApp();
  work = await mkdtemp(join(tmpdir(), 'demo-dossier-'));
});
after(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

test('a decided demo dossier is in the archives after seeding, and exports as a valid SEDA 2.3 transfer', async () => {
  await seedDemo(t.db, t.config);
  const tenants = await t.db.transaction(null, (tx) => tx.query<{ id: string; slug: string }>('select id, slug from tenants order by slug'));
  let found: { tenant: { id: string; slug: string }; unit: { id: string; title: string; source_ref: string } } | null = null;
  for (const tenant of tenants) {
    const unit = await t.db.transaction(tenant.id, (tx) =>
      tx.one<{ id: string; title: string; source_ref: string }>(
        `select u.id, u.title, i.source_ref from archives_units u join archives_ingests i on i.tenant_id = u.tenant_id and i.id = u.ingest_id
         where i.kind = 'procedures' and u.parent_id is null order by u.title limit 1`,
      ),
    );
    if (unit) {
      found = { tenant, unit };
      break;
    }
  }
  assert.ok(found, 'a demo dossier was filed');
  const { tenant, unit } = found;
  assert.match(unit.title, /^Dossier n° \d+ — Demande de subvention/);
  // Procedures recorded the link (its retention keeps the dossier: `then` defaults to keep).
  const link = await t.db.transaction(tenant.id, (tx) =>
    tx.one<{ archive_unit_id: string; after_archive: string }>('select archive_unit_id, after_archive from dossier_retention where dossier_id = $1', [
      unit.source_ref,
    ]),
  );
  assert.deepEqual(link, { archive_unit_id: unit.id, after_archive: 'keep' });

  const token = await apiToken(t, tenant.id, 'archivist');
  const auth = { authorization: `Bearer ${token}` };
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.slug}/archives/transfers`,
    headers: auth,
    payload: { units: [unit.id], archival_agency: 'FRAD044' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json<{ id: string }>();
  const zip = await t.app.inject({ method: 'GET', url: `/api/v1/${tenant.slug}/archives/transfers/${id}.zip`, headers: auth });
  assert.equal(zip.statusCode, 200);
  const path = join(work, 'transfer.zip');
  await writeFile(path, zip.rawPayload);
  // readSip validates the manifest against the official SEDA 2.3 XSDs (offline catalog) and checks every
  // object's size and SHA-512 against the bytes in the zip.
  const read = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')) });
  const units = flattenUnits(read.transfer.units);
  assert.equal(units.length, 1);
  assert.equal(units[0]!.unit.content.title, unit.title);
  assert.equal(units[0]!.unit.management?.appraisal?.rules[0]?.rule, 'APP-DOSSIER-10-D');
  const names = read.objects.map((o) => o.object.fileInfo?.filename ?? '').sort();
  assert.ok(names.some((n) => /^dossier-\d+\.json$/.test(n)) && names.some((n) => /^journal-dossier-\d+\.jsonl$/.test(n)), names.join(', '));
  const recorded = await t.db.transaction(tenant.id, (tx) => tx.query<{ sha512: string }>('select sha512 from archives_objects where unit_id = $1', [unit.id]));
  assert.deepEqual(read.objects.map((o) => o.sha512).sort(), recorded.map((r) => r.sha512).sort());
});

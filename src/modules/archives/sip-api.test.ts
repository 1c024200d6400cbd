// POST /api/v1/<slug>/archives/sips: SEDA 2.3 packages through HTTP into the archives. Attacks first (roles,
// other collectivités, hostile packages: nothing stored, reasons in the caller's language), then the three
// Vitam manifests packed with objects, and a package written by the library itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, principal, type ArchivesTenant } from '../../../test/support/archives/archives.ts';
import { packedExampleZip, sampleTransfer, VITAM_EXAMPLES, objectBytes } from '../../../test/support/archives/seda.ts';
import { rawZip } from '../../../test/support/archives/zips.ts';
import { addRule } from './actions/library.ts';
import { writeSip } from './seda/index.ts';

let t: TestApp;
let work: string;
before(async () => {
  t = await startTestApp();
  work = await mkdtemp(join(tmpdir(), 'sip-api-'));
});
after(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

function blobFiles(tenantId: string): string[] {
  const dir = join(t.config.dataDir, 'files', tenantId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((p) => readdirSync(join(dir, p)));
}

function scratch(): string[] {
  const dir = join(t.config.dataDir, 'tmp', 'sips');
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function unitCount(tenantId: string): Promise<number> {
  const row = await t.db.transaction(tenantId, (tx) => tx.one<{ n: string }>('select count(*)::text as n from archives_units'));
  return Number(row!.n);
}

function post(a: ArchivesTenant, zip: Buffer, token: string | null = a.archivistToken, extra: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `${a.api}/sips`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/zip', ...extra },
    payload: zip,
  });
}

/** A package the library writes, with rules of the shipped library (ACC-…, APP-…). */
async function bastideSip(): Promise<Buffer> {
  const { transfer, bytes } = sampleTransfer();
  transfer.units[0]!.management = {
    appraisal: { rules: [{ rule: 'APP-DOSSIER-10-D', startDate: '2020-12-31' }], finalAction: 'Destroy' },
    access: { rules: [{ rule: 'ACC-25', startDate: '2020-12-31' }] },
  };
  transfer.units[0]!.children[0]!.children[0]!.management = { access: { rules: [{ rule: 'ACC-50' }] } };
  const path = join(work, `bastide-${Date.now()}.zip`);
  await writeSip(transfer, (o) => Readable.from([bytes.get(o.id)!]), path);
  return readFile(path);
}

test('attack: staff without the archivist role, anonymous callers and other collectivités cannot import; nothing is stored', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const zip = await bastideSip();
  assert.equal((await post(a, zip, a.agentToken)).statusCode, 403);
  assert.ok([401, 403].includes((await post(a, zip, null)).statusCode));
  const cross = await post(a, zip, b.archivistToken);
  assert.ok([401, 403, 404].includes(cross.statusCode), String(cross.statusCode));
  assert.equal(await unitCount(a.tenant.id), 0);
  assert.deepEqual(blobFiles(a.tenant.id), []);
  assert.deepEqual(blobFiles(b.tenant.id), []);
});

test('attack: hostile packages are refused with every reason, in French or English, and leave nothing behind', async () => {
  const a = await archivesTenant(t);
  const bomb = rawZip([
    { name: 'manifest.xml', data: Buffer.from('<x/>') },
    { name: 'content/zeros.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true },
  ]);
  const refused = await post(a, bomb);
  assert.equal(refused.statusCode, 422);
  const body = refused.json<{ errors: Array<{ code: string; message: string }>; message: string }>();
  assert.deepEqual(
    body.errors.map((e) => e.code),
    ['archives.seda.zip.ratio'],
  );
  assert.match(body.errors[0]!.message, /bombe zip possible/);
  const english = await post(a, rawZip([{ name: '../../etc/cron.d/x', data: Buffer.from('x') }]), a.archivistToken, { 'accept-language': 'en' });
  assert.equal(english.statusCode, 422);
  assert.match(english.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /escapes the package/);
  assert.equal((await post(a, Buffer.from('not a zip'))).statusCode, 422);
  const wrongType = await t.app.inject({
    method: 'POST',
    url: `${a.api}/sips`,
    headers: { authorization: `Bearer ${a.archivistToken}`, 'content-type': 'application/json' },
    payload: '{}',
  });
  assert.ok([400, 415].includes(wrongType.statusCode), String(wrongType.statusCode));
  assert.equal(await unitCount(a.tenant.id), 0);
  assert.deepEqual(blobFiles(a.tenant.id), []);
  assert.deepEqual(scratch(), []);
});

test('a package whose rules are not in the collectivité’s library is refused whole by the archives (422), nothing stored', async () => {
  const a = await archivesTenant(t);
  const response = await post(a, await packedExampleZip('vitam-sip2_3.xml'));
  assert.equal(response.statusCode, 422, response.body);
  assert.equal(await unitCount(a.tenant.id), 0);
  assert.deepEqual(blobFiles(a.tenant.id), []);
  assert.deepEqual(scratch(), []);
});

test('the three Vitam manifests, packed with objects, import through the API (their rules added to the library first)', async () => {
  const a = await archivesTenant(t);
  const p = principal(a.tenant.id, ['archivist'], a.archivistId);
  const rules: Array<[string, string, string]> = [
    ['Rule0', 'storage', 'restrict_access'],
    ['Rule2', 'appraisal', 'keep'],
    ['Rule4', 'access', ''],
    ['Rule6', 'dissemination', ''],
    ['Rule8', 'reuse', ''],
    ['Rule9', 'reuse', ''],
    ['Rule10', 'classification', ''],
    ['Rule11', 'classification', ''],
  ];
  for (const [code, category, final] of rules) {
    await addRule(t.db, p, { code, category, label: `Règle Vitam ${code}`, duration_years: '10', final_action: final, legal_ground: 'Jeu d’essai Vitam' });
  }
  const expected: Record<string, { units: number; objects: number }> = {
    'vitam-sip2_3.xml': { units: 1, objects: 4 },
    'vitam-cookbook-signinginformation-1-cas-simple-manifest.xml': { units: 1, objects: 1 },
    'vitam-cookbook-signinginformation-3-binaires-multiples-manifest.xml': { units: 5, objects: 5 },
  };
  for (const name of VITAM_EXAMPLES) {
    const response = await post(a, await packedExampleZip(name));
    assert.equal(response.statusCode, 201, `${name}: ${response.body}`);
    const body = response.json<{
      id: string;
      units: Array<{ id: string; title: string }>;
      objects: Array<{ filename: string; size: number; sha512: string }>;
    }>();
    assert.ok(body.id);
    assert.equal(body.units.length, expected[name]!.units, name);
    assert.equal(body.objects.length, expected[name]!.objects, name);
  }
  const sip = await post(a, await packedExampleZip('vitam-sip2_3.xml'));
  const unit = sip.json<{ units: Array<{ id: string }> }>().units[0]!;
  const view = await t.app.inject({ method: 'GET', url: `${a.api}/units/${unit.id}`, headers: { authorization: `Bearer ${a.archivistToken}` } });
  assert.equal(view.statusCode, 200);
  assert.match(view.body, /Sensibilisation API/);
  assert.match(view.body, /Vitam-Sensibilisation-API-V1\.0\.odp/);
  assert.deepEqual(scratch(), []);
});

test('a package written by the SEDA library imports with its tree, objects, digests and rules', async () => {
  const a = await archivesTenant(t);
  const response = await post(a, await bastideSip());
  assert.equal(response.statusCode, 201, response.body);
  const body = response.json<{
    id: string;
    units: Array<{ id: string; title: string; parent_id: string | null }>;
    objects: Array<{ unit_id: string; filename: string; size: number }>;
  }>();
  assert.deepEqual(
    body.units.map((u) => u.title),
    ['Dossiers de permis de construire 2020', 'PC 031 555 20 00001', 'Pièce jointe'],
  );
  assert.equal(body.units[1]!.parent_id, body.units[0]!.id);
  assert.equal(body.units[2]!.parent_id, body.units[1]!.id);
  assert.deepEqual(
    body.objects.map((o) => [o.filename, o.unit_id === body.units[1]!.id ? 'a' : o.unit_id === body.units[2]!.id ? 'a1' : '?']),
    [
      ['arrêté.txt', 'a'],
      ['obj-2 décision.pdf', 'a'],
      ['obj-3.txt', 'a1'],
    ],
  );
  assert.equal(body.objects[0]!.size, objectBytes('obj-1').length);
  assert.equal(await unitCount(a.tenant.id), 3);
});

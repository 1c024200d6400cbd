// Import of real SEDA 2.3 ArchiveTransfer packages (issue 13, Done means): the three Vitam manifests shipped in
// fixtures/, packed with objects the test writes (their digests and sizes put into the manifest), read back
// into the neutral structure, with every object checked and unpacked into the caller's directory only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readSip, validateSedaXml, flattenUnits, sedaMessage, SedaError, writeSip, archiveTransferChunks, type SedaArchiveTransfer } from './index.ts';
import { WORKER_MANIFEST_BYTES } from './sip-reader.ts';
import { fixture, objectBytes, packedExampleZip, packExample, VITAM_EXAMPLES } from '../../../../test/support/archives/seda.ts';
import { zipOf } from '../../../../test/support/archives/zips.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'seda-import-'));
});
after(() => rm(work, { recursive: true, force: true }));

async function sipFile(name: string, bytes: Buffer): Promise<string> {
  const path = join(work, name);
  await writeFile(path, bytes);
  return path;
}

test('the three Vitam example manifests validate against the shipped SEDA 2.3 XSDs as they are', () => {
  for (const name of VITAM_EXAMPLES) assert.deepEqual(validateSedaXml(Buffer.from(fixture(name))), [], name);
});

for (const name of VITAM_EXAMPLES) {
  test(`${name} imports once packed with its objects`, async () => {
    const out = await mkdtemp(join(work, 'out-'));
    const result = await readSip(await sipFile(`${name}.zip`, await packedExampleZip(name)), { workDir: out });
    const { manifest } = packExample(fixture(name));
    const declared = [...manifest.matchAll(/<BinaryDataObject id="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(
      result.objects.map((o) => o.object.id),
      declared,
    );
    for (const o of result.objects) {
      const bytes = objectBytes(o.object.id);
      assert.deepEqual(await readFile(o.path), bytes);
      assert.equal(o.size, bytes.length);
      assert.equal(o.sha512, createHash('sha512').update(bytes).digest('hex'));
      assert.equal(o.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.ok(o.path.startsWith(result.dir + '/'));
    }
    assert.ok(result.transfer.units.length > 0);
    for (const { unit } of flattenUnits(result.transfer.units)) assert.ok(unit.content.title, unit.id);
    assert.equal(result.manifestName, 'manifest.xml');
    assert.equal(await readFile(result.manifestPath, 'utf8'), manifest);
    // Only the result's directory was written in the caller's directory.
    assert.deepEqual(await readdir(out), [result.dir.slice(out.length + 1)]);
  });
}

test('vitam-sip2_3.xml reads into the neutral structure: header, grouped objects, rules, content, references', async () => {
  const out = await mkdtemp(join(work, 'out-'));
  const { transfer } = await readSip(await sipFile('sip2_3.zip', await packedExampleZip('vitam-sip2_3.xml')), { workDir: out });
  assert.equal(transfer.messageIdentifier, 'Entrée_avec_groupe_d_objet');
  assert.equal(transfer.date, '2016-06-23T09:45:51.0');
  assert.equal(transfer.archivalAgreement, 'ArchivalAgreement0');
  assert.equal(transfer.archivalAgency, 'ArchivalAgency1');
  assert.equal(transfer.transferringAgency, 'TransferringAgency1');
  assert.deepEqual(transfer.physicalObjects, [{ id: 'ID009', groupId: 'ID006', version: 'PhysicalMaster', physicalId: '1500W03' }]);
  assert.equal(transfer.objects.length, 4);
  const master = transfer.objects[0]!;
  assert.equal(master.id, 'ID011');
  assert.equal(master.groupId, 'ID006');
  assert.equal(master.version, 'BinaryMaster');
  assert.equal(master.digest.algorithm, 'SHA-512');
  assert.deepEqual(master.format, {
    formatLitteral: 'OpenDocument Presentation',
    mimeType: 'application/vnd.oasis.opendocument.presentation',
    formatId: 'fmt/293',
  });
  assert.equal(master.fileInfo?.filename, 'Vitam-Sensibilisation-API-V1.0.odp');
  assert.equal(master.fileInfo?.creatingApplicationName, 'LibreOffice/Impress');
  assert.equal(transfer.objects[3]!.format?.encoding, 'UTF-8');
  const [unit] = transfer.units;
  assert.equal(unit!.id, 'ID015');
  assert.deepEqual(unit!.content, {
    title: 'Sensibilisation API',
    descriptionLevel: 'Item',
    description: "Sensibilisation au Technical Design et à l'API Design Java et REST de la solution logicielle Vitam",
    archivalAgencyIdentifiers: ['ArchivalAgencyArchiveUnitIdentifier0'],
    originatingAgencyIdentifiers: ['OriginatingAgencyArchiveUnitIdentifier0'],
    originatingAgency: 'Identifier0',
    submissionAgency: 'Identifier1',
  });
  assert.deepEqual(unit!.management, {
    storage: { rules: [{ rule: 'Rule0' }], finalAction: 'RestrictAccess' },
    appraisal: { rules: [{ rule: 'Rule2' }], finalAction: 'Keep' },
    access: { rules: [{ rule: 'Rule4' }] },
    dissemination: { rules: [{ rule: 'Rule6' }] },
    reuse: { rules: [{ rule: 'Rule8' }, { rule: 'Rule9' }] },
    classification: {
      rules: [{ rule: 'Rule10' }, { rule: 'Rule11' }],
      classificationLevel: 'ClassificationLevel0',
      classificationOwner: 'ClassificationOwner0',
    },
    needAuthorization: false,
  });
  assert.deepEqual(unit!.objectRefs, [{ groupId: 'ID006' }]);
});

test('the multi-object cookbook keeps its unit tree and DataObjectGroup references', async () => {
  const out = await mkdtemp(join(work, 'out-'));
  const name = 'vitam-cookbook-signinginformation-3-binaires-multiples-manifest.xml';
  const { transfer } = await readSip(await sipFile('cookbook3.zip', await packedExampleZip(name)), { workDir: out });
  const flat = flattenUnits(transfer.units);
  assert.equal(flat.length, 5);
  assert.equal(transfer.units.length, 1);
  assert.deepEqual(
    flat.map(({ unit, parentId }) => [unit.id, parentId, unit.objectRefs]),
    [
      ['ID12', null, [{ groupId: 'ID10' }]],
      ['ID16', 'ID12', [{ groupId: 'ID19' }]],
      ['ID15', 'ID12', [{ groupId: 'ID20' }]],
      ['ID13', 'ID12', [{ groupId: 'ID18' }]],
      ['ID14', 'ID12', [{ groupId: 'ID17' }]],
    ],
  );
  assert.deepEqual(
    transfer.objects.map((o) => [o.id, o.groupId]),
    [
      ['ID11', 'ID10'],
      ['ID23', 'ID17'],
      ['ID21', 'ID18'],
      ['ID22', 'ID19'],
      ['ID24', 'ID20'],
    ],
  );
});

test('a manifest named as As@lae/Pastell name it (the only XML file at the root) is found; two candidates are refused', async () => {
  const out = await mkdtemp(join(work, 'out-'));
  const name = 'vitam-cookbook-signinginformation-1-cas-simple-manifest.xml';
  const result = await readSip(await sipFile('asalae.zip', await packedExampleZip(name, 'bordereau_versement.xml')), { workDir: out });
  assert.equal(result.manifestName, 'bordereau_versement.xml');
  const { manifest, files } = packExample(fixture(name));
  const two = await zipOf({ 'a.xml': manifest, 'b.xml': manifest, ...files });
  await assert.rejects(readSip(await sipFile('two.zip', two), { workDir: out }), (error: unknown) => {
    assert.ok(error instanceof SedaError);
    assert.equal(error.issues[0]!.key, 'archives.seda.manifest.ambiguous');
    assert.match(sedaMessage('fr', error.issues[0]!), /plusieurs bordereaux possibles \(a\.xml, b\.xml\)/);
    return true;
  });
});

test('a manifest over 1 MiB is parsed in a worker thread, with the same result and the same refusals', async () => {
  const units = 1000;
  const data = (i: number) => Buffer.from(`pièce ${i}\n`);
  const transfer: SedaArchiveTransfer = {
    messageIdentifier: 'GROS-VERSEMENT',
    date: '2026-12-06T04:00:00Z',
    comments: [],
    archivalAgency: 'FRAD031',
    transferringAgency: 'COMMUNE-31555',
    objects: Array.from({ length: units }, (_, i) => ({
      id: `o${i}`,
      uri: `content/o${i}.txt`,
      digest: { algorithm: 'SHA-512' as const, value: createHash('sha512').update(data(i)).digest('hex') },
      size: data(i).length,
    })),
    physicalObjects: [],
    units: Array.from({ length: units }, (_, i) => ({
      id: `u${i}`,
      content: { title: `Dossier ${i} —${' description longue'.repeat(40)}`, descriptionLevel: 'File' },
      objectRefs: [{ objectId: `o${i}` }],
      children: [],
    })),
  };
  const path = join(work, 'big.zip');
  await writeSip(transfer, (o) => Readable.from([data(Number(o.id.slice(1)))]), path);
  const manifest = [...archiveTransferChunks(transfer)].join('');
  assert.ok(Buffer.byteLength(manifest) > WORKER_MANIFEST_BYTES, 'the manifest must take the worker path');
  const result = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')) });
  assert.deepEqual(result.transfer, transfer);
  // Refusals come back from the worker too: a reference to a missing group, and the unit cap.
  const capped = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')), limits: { maxUnits: 10 } }).catch((e: unknown) => e);
  assert.ok(capped instanceof SedaError);
  assert.deepEqual(
    capped.issues.map((i) => i.key),
    ['archives.seda.unit.too_many'],
  );
  const invalid = await zipOf({
    'manifest.xml': manifest.replace('<MessageIdentifier>GROS-VERSEMENT</MessageIdentifier>', ''),
    ...Object.fromEntries(transfer.objects.map((o, i) => [o.uri!, data(i)])),
  });
  const refused = await readSip(await sipFile('big-invalid.zip', invalid), { workDir: await mkdtemp(join(work, 'out-')) }).catch((e: unknown) => e);
  assert.ok(refused instanceof SedaError);
  assert.equal(refused.issues[0]!.key, 'archives.seda.xml.invalid');
});

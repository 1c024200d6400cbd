// Writing SEDA 2.3: a transfer written as a zip validates against the official XSDs and reads back into the
// same structure (round trip); objects whose bytes changed since ingest make the stream fail; the DIP's
// ArchiveDeliveryRequestReply validates; an ArchiveTransferReply gives the archival agency's identifiers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import yauzl from 'yauzl';
import {
  createDipStream,
  createSipStream,
  readSip,
  readTransferReply,
  sedaId,
  SedaError,
  validateSedaXml,
  writeSip,
  archiveTransferChunks,
  type SedaArchiveTransfer,
} from './index.ts';
import { sampleTransfer } from '../../../../test/support/archives/seda.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'seda-write-'));
});
after(() => rm(work, { recursive: true, force: true }));

async function entryOf(zipPath: string, name: string): Promise<Buffer> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    zip.close();
    return Buffer.concat(chunks);
  }
  throw new Error(`${name} not in ${zipPath}`);
}

test('round trip: a transfer written, validated against the XSDs and read back gives the same structure', async () => {
  const { transfer, bytes } = sampleTransfer();
  const path = join(work, 'roundtrip.zip');
  await writeSip(transfer, (o) => Readable.from([bytes.get(o.id)!]), path);
  assert.deepEqual(validateSedaXml(await entryOf(path, 'manifest.xml')), []);
  const out = await mkdtemp(join(work, 'out-'));
  const result = await readSip(path, { workDir: out });
  assert.deepEqual(result.transfer, transfer);
  assert.deepEqual(
    result.objects.map((o) => o.size),
    transfer.objects.map((o) => o.size),
  );
});

test('the written manifest escapes markup and drops characters XML cannot carry', async () => {
  const { transfer, bytes } = sampleTransfer();
  transfer.units[0]!.content.title = 'A <b>&amp; "quoted"\u0001 \ud800 title';
  const path = join(work, 'escape.zip');
  await writeSip(transfer, (o) => Readable.from([bytes.get(o.id)!]), path);
  const out = await mkdtemp(join(work, 'out-'));
  const result = await readSip(path, { workDir: out });
  assert.equal(result.transfer.units[0]!.content.title, 'A <b>&amp; "quoted"\ufffd \ufffd title');
});

test('an object whose bytes no longer match its recorded digest or size fails the stream', async () => {
  const { transfer, bytes } = sampleTransfer();
  const tampered = (id: string) => {
    const b = Buffer.from(bytes.get(id)!);
    if (id === 'obj-2') b[10] = b[10]! ^ 1;
    return b;
  };
  await assert.rejects(
    pipeline(
      createSipStream(transfer, (o) => Readable.from([tampered(o.id)])),
      createWriteStream(join(work, 'tampered.zip')),
    ),
    (error: unknown) => error instanceof SedaError && error.issues[0]!.key === 'archives.seda.write.content' && error.issues[0]!.params.id === 'obj-2',
  );
  const shorter = (id: string) => (id === 'obj-3' ? bytes.get(id)!.subarray(1) : bytes.get(id)!);
  await assert.rejects(
    pipeline(
      createSipStream(transfer, (o) => Readable.from([shorter(o.id)])),
      createWriteStream(join(work, 'short.zip')),
    ),
  );
});

test('ids that are not XML names, shared ids and unknown references are refused before writing', () => {
  const { transfer } = sampleTransfer();
  const bad: SedaArchiveTransfer = structuredClone(transfer);
  bad.units[0]!.id = '01J-not-an-ncname';
  bad.units[0]!.children[0]!.id = 'obj-1';
  bad.units[0]!.children[0]!.objectRefs.push({ groupId: 'nowhere' });
  bad.objects[2]!.uri = '../outside.txt';
  assert.throws(
    () => createSipStream(bad, () => Readable.from([])),
    (error: unknown) => {
      assert.ok(error instanceof SedaError);
      assert.deepEqual(
        error.issues.map((i) => [i.key, i.params.id ?? i.params.ref]),
        [
          ['archives.seda.object.unsafe_uri', 'obj-3'],
          ['archives.seda.write.id', '01J-not-an-ncname'],
          ['archives.seda.write.id', 'obj-1'],
          ['archives.seda.write.unknown_object', 'nowhere'],
        ],
      );
      return true;
    },
  );
});

test('sedaId turns any identifier into a distinct XML name', () => {
  assert.equal(sedaId('unit-1'), 'unit-1');
  assert.equal(sedaId('01J8ZK'), 'id-01J8ZK');
  assert.equal(sedaId('a/b'), 'id-a_2f_b');
  assert.notEqual(sedaId('id-x'), sedaId('x'));
  for (const raw of ['01J8ZK', 'a b', 'é', 'id-x', '7']) assert.match(sedaId(raw), /^[A-Za-z_][A-Za-z0-9._-]*$/);
});

test('a DIP is a zip whose ArchiveDeliveryRequestReply manifest validates, with the selected units and their objects', async () => {
  const { transfer, bytes } = sampleTransfer();
  const path = join(work, 'dip.zip');
  await pipeline(
    createDipStream(transfer, { messageRequestIdentifier: 'DEMANDE-2026-42', requester: 'CITOYEN-OU-SERVICE' }, (o) => Readable.from([bytes.get(o.id)!])),
    createWriteStream(path),
  );
  const manifest = await entryOf(path, 'manifest.xml');
  assert.deepEqual(validateSedaXml(manifest, 'ArchiveDeliveryRequestReply'), []);
  assert.match(manifest.toString(), /<MessageRequestIdentifier>DEMANDE-2026-42<\/MessageRequestIdentifier>/);
  assert.match(manifest.toString(), /<UnitIdentifier>unit-root<\/UnitIdentifier>/);
  assert.deepEqual(await entryOf(path, 'content/obj-2 décision.pdf'), bytes.get('obj-2'));
});

test('the manifest is written in pieces, none holding the whole document', () => {
  const { transfer } = sampleTransfer();
  const pieces = [...archiveTransferChunks(transfer)];
  assert.ok(pieces.length > 10);
  assert.ok(Math.max(...pieces.map((p) => p.length)) < pieces.join('').length / 2);
});

const REPLY = (code: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ArchiveTransferReply xmlns="fr:gouv:culture:archivesdefrance:seda:v2.3">
  <Comment>Versement accepté</Comment>
  <Date>2026-12-07T10:00:00</Date>
  <MessageIdentifier>AD31-ATR-0007</MessageIdentifier>
  <CodeListVersions><ReplyCodeListVersion>ReplyCodeListVersion0</ReplyCodeListVersion></CodeListVersions>
  <DataObjectPackage>
    <DescriptiveMetadata>
      <ArchiveUnit id="unit-root">
        <Content><Title>Dossiers</Title><SystemId>aeaqaaaaaahgausqab7boak55nw5vqaaaaaq</SystemId><ArchivalAgencyArchiveUnitIdentifier>3 W 12</ArchivalAgencyArchiveUnitIdentifier></Content>
        <ArchiveUnit id="unit-a"><Content><Title>PC</Title><ArchivalAgencyArchiveUnitIdentifier>3 W 12/1</ArchivalAgencyArchiveUnitIdentifier></Content></ArchiveUnit>
      </ArchiveUnit>
    </DescriptiveMetadata>
    <ManagementMetadata/>
  </DataObjectPackage>
  <ReplyCode>${code}</ReplyCode>
  <MessageRequestIdentifier>BASTIDE-TR-2026-0001</MessageRequestIdentifier>
  <GrantDate>2026-12-07T09:00:00</GrantDate>
  <ArchivalAgency><Identifier>FRAD031</Identifier></ArchivalAgency>
  <TransferringAgency><Identifier>COMMUNE-31555</Identifier></TransferringAgency>
</ArchiveTransferReply>`;

test('an ArchiveTransferReply gives the request it answers, its outcome and the archival agency identifiers of units', () => {
  const reply = readTransferReply(Buffer.from(REPLY('OK')));
  assert.equal(reply.accepted, true);
  assert.equal(reply.replyCode, 'OK');
  assert.equal(reply.messageRequestIdentifier, 'BASTIDE-TR-2026-0001');
  assert.equal(reply.grantDate, '2026-12-07T09:00:00');
  assert.equal(reply.archivalAgency, 'FRAD031');
  assert.deepEqual(reply.units, [
    { id: 'unit-root', archivalAgencyIdentifiers: ['3 W 12'], systemIds: ['aeaqaaaaaahgausqab7boak55nw5vqaaaaaq'] },
    { id: 'unit-a', archivalAgencyIdentifiers: ['3 W 12/1'], systemIds: [] },
  ]);
  assert.equal(readTransferReply(Buffer.from(REPLY('KO'))).accepted, false);
});

test('a reply that is not an ArchiveTransferReply, or not valid, is refused with the reason', () => {
  assert.throws(
    () => readTransferReply(Buffer.from(REPLY('OK').replace(/<MessageRequestIdentifier>.*<\/MessageRequestIdentifier>/, ''))),
    (e: unknown) => e instanceof SedaError && e.issues[0]!.key === 'archives.seda.xml.invalid' && Number(e.issues[0]!.params.line) > 0,
  );
  const { transfer } = sampleTransfer();
  const manifest = Buffer.from([...archiveTransferChunks(transfer)].join(''));
  assert.throws(
    () => readTransferReply(manifest),
    (e: unknown) => e instanceof SedaError && e.issues[0]!.key === 'archives.seda.xml.root',
  );
});

test('writeSip writes to a file and reports its size', async () => {
  const { transfer, bytes } = sampleTransfer();
  const path = join(work, 'size.zip');
  const size = await writeSip(transfer, (o) => Readable.from([bytes.get(o.id)!]), path);
  assert.equal(size, (await stat(path)).size);
});

// Transfer to the definitive archive through the API: attacks first (roles, other collectivités, replies that
// lie or carry entities, rows that must not change), then the package (valid against the official XSDs, its
// digests those recorded at ingest, the unit tree and rules), the reply marking units transferred, and an
// object altered on disk that stops the package from being completed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest, tamperBlob, type ArchivesTenant } from '../../../test/support/archives/archives.ts';
import { postReply as postReplyTo, transferReply } from '../../../test/support/archives/transfers.ts';
import { pdf } from '../../../test/support/archives/files.ts';
import { readSip, sedaId, flattenUnits } from './seda/index.ts';
import type { IngestResult } from './index.ts';

let t: TestApp;
let work: string;
before(async () => {
  t = await startTestApp();
  work = await mkdtemp(join(tmpdir(), 'transfer-api-'));
});
after(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function deliberations(a: ArchivesTenant): Promise<IngestResult> {
  return ingest(t, a.tenant.id, [
    {
      title: 'Délibérations du conseil 2019',
      description: 'Registre des délibérations et leurs annexes.',
      level: 'File',
      start_date: '2019-01-01',
      end_date: '2019-12-31',
      originating_agency: 'Secrétariat général',
      archival_agency: 'FRAD031',
      keywords: ['conseil municipal', 'délibération'],
      rules: [
        { category: 'appraisal', rule_code: 'APP-DELIB-C', start_date: '2019-12-31' },
        { category: 'access', rule_code: 'ACC-00', start_date: '2019-12-31' },
      ],
      objects: [{ filename: 'registre 2019.pdf', source: bytes(pdf('1.7')) }],
      children: [
        { title: 'Annexe budgétaire', level: 'Item', objects: [{ filename: 'annexe.csv', source: bytes('poste;montant\nvoirie;1200\n') }] },
        {
          title: 'Annexe nominative',
          level: 'Item',
          rules: [{ category: 'access', rule_code: 'ACC-50', start_date: '2019-12-31' }],
          prevent_inheritance: ['access'],
        },
      ],
    },
  ]);
}

const reply = transferReply;
const postReply = (a: ArchivesTenant, id: string, xml: string, token = a.archivistToken) => postReplyTo(t, a, id, xml, token);

test('attack: only archivists transfer; another collectivité’s units and transfers are out of reach; rows cannot be changed', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const ingested = await deliberations(a);
  const root = ingested.units[0]!.id;
  const byAgent = await t.app.inject({ method: 'POST', url: `${a.api}/transfers`, headers: auth(a.agentToken), payload: { units: [root] } });
  assert.equal(byAgent.statusCode, 403);
  // B's archivist names A's unit under B's address: invisible, as if it never existed.
  const cross = await t.app.inject({ method: 'POST', url: `${b.api}/transfers`, headers: auth(b.archivistToken), payload: { units: [root] } });
  assert.equal(cross.statusCode, 404);
  const created = await t.app.inject({ method: 'POST', url: `${a.api}/transfers`, headers: auth(a.archivistToken), payload: { units: [root] } });
  assert.equal(created.statusCode, 201, created.body);
  const { id, message_identifier } = created.json<{ id: string; message_identifier: string }>();
  for (const path of [`${b.api}/transfers/${id}`, `${b.api}/transfers/${id}.zip`]) {
    assert.equal((await t.app.inject({ method: 'GET', url: path, headers: auth(b.archivistToken) })).statusCode, 404, path);
  }
  assert.equal((await t.app.inject({ method: 'GET', url: `${a.api}/transfers/${id}.zip`, headers: auth(a.agentToken) })).statusCode, 403);
  assert.equal((await postReply(b, id, reply(message_identifier, []), b.archivistToken)).statusCode, 404);
  assert.equal((await postReply(a, id, reply(message_identifier, []), a.agentToken)).statusCode, 403);
  // Bad requests: no units, not ids, no archival agency anywhere.
  const none = await t.app.inject({ method: 'POST', url: `${a.api}/transfers`, headers: auth(a.archivistToken), payload: { units: [] } });
  assert.equal(none.statusCode, 422);
  assert.equal(none.json<{ errors: Array<{ code: string }> }>().errors[0]!.code, 'archives.seda.transfer.units');
  const other = await ingest(t, a.tenant.id, [{ title: 'Sans service d’archives' }]);
  const noAgency = await t.app.inject({ method: 'POST', url: `${a.api}/transfers`, headers: auth(a.archivistToken), payload: { units: [other.units[0]!.id] } });
  assert.equal(noAgency.statusCode, 422);
  // Insert-only: the application role can neither rewrite nor remove a transfer or what it names.
  for (const sql of ["update archives_transfers set archival_agency = 'X'", 'delete from archives_transfer_units', 'delete from archives_transfers']) {
    await assert.rejects(
      t.db.transaction(a.tenant.id, (tx) => tx.query(sql)),
      /permission denied/,
      sql,
    );
  }
});

test('a transfer’s package validates against the XSDs, carries the recorded digests, the tree and the rules', async () => {
  const a = await archivesTenant(t);
  const ingested = await deliberations(a);
  const root = ingested.units[0]!.id;
  const created = await t.app.inject({
    method: 'POST',
    url: `${a.api}/transfers`,
    headers: auth(a.archivistToken),
    payload: { units: [root], comment: 'Versement annuel' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json<{ id: string; message_identifier: string; units: number; objects: number }>();
  assert.equal(body.units, 3);
  assert.equal(body.objects, 2);
  const zip = await t.app.inject({ method: 'GET', url: `${a.api}/transfers/${body.id}.zip`, headers: auth(a.archivistToken) });
  assert.equal(zip.statusCode, 200);
  assert.equal(zip.headers['content-type'], 'application/zip');
  const path = join(work, 'transfer.zip');
  await writeFile(path, zip.rawPayload);
  // readSip validates the manifest against the official XSDs and every object's size and digest.
  const read = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')) });
  const sent = read.transfer;
  assert.equal(sent.messageIdentifier, body.message_identifier);
  assert.equal(sent.archivalAgency, 'FRAD031');
  assert.deepEqual(sent.comments, ['Versement annuel']);
  assert.deepEqual(read.objects.map((o) => [o.object.fileInfo?.filename, o.sha512]).sort(), ingested.objects.map((o) => [o.filename, o.sha512]).sort());
  const flat = flattenUnits(sent.units);
  // Siblings made in one ingest have no order of their own: compared as a set.
  assert.deepEqual(flat.map(({ unit, parentId }) => [unit.content.title, parentId]).sort(), [
    ['Annexe budgétaire', sedaId(root)],
    ['Annexe nominative', sedaId(root)],
    ['Délibérations du conseil 2019', null],
  ]);
  const nominative = flat.find(({ unit }) => unit.content.title === 'Annexe nominative')!.unit;
  const top = flat[0]!.unit;
  assert.deepEqual(top.content.originatingAgencyIdentifiers, [root]);
  assert.deepEqual(top.content.keywords, [{ content: 'conseil municipal' }, { content: 'délibération' }]);
  assert.equal(top.content.startDate, '2019-01-01');
  assert.equal(top.management?.appraisal?.rules[0]?.rule, 'APP-DELIB-C');
  assert.ok(['Keep', 'Destroy'].includes(top.management!.appraisal!.finalAction));
  assert.deepEqual(top.management?.access, { rules: [{ rule: 'ACC-00', startDate: '2019-12-31' }] });
  assert.deepEqual(nominative.management?.access, { rules: [{ rule: 'ACC-50', startDate: '2019-12-31' }], preventInheritance: true });
});

test('the archival agency’s reply: refused when it answers another message or carries a DTD; accepted, it marks the units transferred', async () => {
  const a = await archivesTenant(t);
  const ingested = await deliberations(a);
  const root = ingested.units[0]!.id;
  const created = await t.app.inject({ method: 'POST', url: `${a.api}/transfers`, headers: auth(a.archivistToken), payload: { units: [root] } });
  const { id, message_identifier } = created.json<{ id: string; message_identifier: string }>();
  const status = () =>
    t.app
      .inject({ method: 'GET', url: `${a.api}/transfers/${id}`, headers: auth(a.archivistToken) })
      .then((r) => r.json<{ status: string; replies: unknown[] }>());
  assert.equal((await status()).status, 'sent');

  const other = await postReply(a, id, reply('BASTIDE-TRANSFER-another', [[sedaId(root), '3 W 1']]));
  assert.equal(other.statusCode, 422);
  assert.match(other.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /Cette réponse concerne le message BASTIDE-TRANSFER-another/);
  const xxe = await postReply(
    a,
    id,
    reply(message_identifier, [[sedaId(root), '&xxe;']], 'OK', '<!DOCTYPE ArchiveTransferReply [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
  );
  assert.equal(xxe.statusCode, 422);
  assert.equal(xxe.json<{ errors: Array<{ code: string }> }>().errors[0]!.code, 'archives.seda.xml.dtd');
  assert.equal((await status()).replies.length, 0);

  const ok = await postReply(
    a,
    id,
    reply(message_identifier, [
      [sedaId(root), '3 W 12'],
      ['not-ours', '3 W 99'],
    ]),
  );
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { transfer: id, accepted: true, reply_code: 'OK', units: [{ id: root, archival_identifiers: ['3 W 12'] }] });
  assert.equal((await status()).status, 'accepted');
  const transferred = await t.db.transaction(a.tenant.id, async (tx) => {
    const { transferredUnitIds } = await import('./actions/transfer.ts');
    return transferredUnitIds(
      tx,
      ingested.units.map((u) => u.id),
    );
  });
  assert.equal(transferred.size, 3);
});

test('an object altered on disk since ingest: the package is never completed', async () => {
  const a = await archivesTenant(t);
  const ingested = await deliberations(a);
  const created = await t.app.inject({
    method: 'POST',
    url: `${a.api}/transfers`,
    headers: auth(a.archivistToken),
    payload: { units: [ingested.units[0]!.id] },
  });
  const { id } = created.json<{ id: string }>();
  const altered = ingested.objects.find((o) => o.filename === 'annexe.csv')!;
  tamperBlob(join(t.config.dataDir, 'files', a.tenant.id, altered.sha256.slice(0, 2), altered.sha256), 'poste;montant\nvoirie;9999\n');
  let zip;
  try {
    zip = await t.app.inject({ method: 'GET', url: `${a.api}/transfers/${id}.zip`, headers: auth(a.archivistToken) });
  } catch {
    return; // the response was aborted: nothing complete was sent
  }
  const path = join(work, 'altered.zip');
  await writeFile(path, zip.rawPayload);
  await assert.rejects(readSip(path, { workDir: await mkdtemp(join(work, 'out-')) }));
});

async function zipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const { default: yauzl } = await import('yauzl');
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of file.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

test('communication: a DIP of the selected units validates as an ArchiveDeliveryRequestReply and is journaled; others are refused', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const ingested = await deliberations(a);
  const annexe = ingested.units.find((u) => u.title === 'Annexe budgétaire')!;
  const ask = (who: ArchivesTenant, token: string, payload: object) => t.app.inject({ method: 'POST', url: `${who.api}/dips`, headers: auth(token), payload });
  assert.equal((await ask(a, a.agentToken, { units: [annexe.id], request: 'R-1', requester: 'Mme X' })).statusCode, 403);
  assert.equal((await ask(b, b.archivistToken, { units: [annexe.id], request: 'R-1', requester: 'Mme X' })).statusCode, 404);
  const incomplete = await ask(a, a.archivistToken, { units: [annexe.id] });
  assert.equal(incomplete.statusCode, 422);
  assert.deepEqual(
    incomplete.json<{ errors: Array<{ code: string }> }>().errors.map((e) => e.code),
    ['archives.seda.communication.request', 'archives.seda.communication.requester'],
  );
  const dip = await ask(a, a.archivistToken, { units: [annexe.id], request: 'DEMANDE-2026-17', requester: 'Service urbanisme' });
  assert.equal(dip.statusCode, 200, dip.body);
  assert.equal(dip.headers['content-type'], 'application/zip');
  const entries = await zipEntries(dip.rawPayload);
  const manifest = entries.get('manifest.xml')!;
  const { validateSedaXml } = await import('./seda/index.ts');
  assert.deepEqual(validateSedaXml(manifest, 'ArchiveDeliveryRequestReply'), []);
  assert.match(manifest.toString(), /<MessageRequestIdentifier>DEMANDE-2026-17<\/MessageRequestIdentifier>/);
  assert.match(manifest.toString(), new RegExp(`<UnitIdentifier>${sedaId(annexe.id)}</UnitIdentifier>`));
  assert.doesNotMatch(manifest.toString(), /Délibérations du conseil 2019/);
  const csv = ingested.objects.find((o) => o.filename === 'annexe.csv')!;
  assert.deepEqual([...entries.keys()].sort(), ['content/' + sedaId(csv.id) + '.csv', 'manifest.xml']);
  assert.equal(entries.get('content/' + sedaId(csv.id) + '.csv')!.toString(), 'poste;montant\nvoirie;1200\n');
  const logged = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ data: { request: string; units: number } }>("select data from journal_entries where action = 'archives.communication'"),
  );
  assert.deepEqual(
    logged.map((l) => [l.data.request, l.data.units]),
    [['DEMANDE-2026-17', 1]],
  );
});

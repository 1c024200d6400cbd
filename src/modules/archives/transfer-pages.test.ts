// The archivist's transfer and communication pages, through HTTP: attacks first (another collectivité's
// archivist, an agent, a form without its CSRF token, a bad reply file), then the happy path (a transfer
// from ticked units, its package, the reply marking it accepted, a DIP from the search list).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, postForm, type TestApp, type Browser } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest, principal, type ArchivesTenant } from '../../../test/support/archives/archives.ts';
import { createTransfer } from './actions/transfer.ts';
import { MAX_REPLY_BYTES } from './seda/reply-reader.ts';
import { transferReply } from '../../../test/support/archives/transfers.ts';
import { multipart } from '../../../test/support/catalogue/datasets.ts';
import { pdf } from '../../../test/support/archives/files.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t.close();
});

async function oneUnit(a: ArchivesTenant, title = 'Délibérations 2019'): Promise<string> {
  const r = await ingest(t, a.tenant.id, [
    {
      title,
      level: 'File',
      start_date: '2019-01-01',
      end_date: '2019-12-31',
      archival_agency: 'FRAD044',
      objects: [{ filename: 'registre.pdf', source: bytes(pdf('1.7')) }],
      children: [{ title: 'Annexe', level: 'Item', objects: [{ filename: 'annexe.csv', source: bytes('a;b\n1;2\n') }] }],
    },
  ]);
  return r.units[0]!.id;
}

const count = async (a: ArchivesTenant, table: string) =>
  (await t.db.transaction(a.tenant.id, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`)))!.n;

function uploadReply(a: ArchivesTenant, browser: Browser, id: string, body: string | Buffer | null, csrf: string | null = browser.csrf) {
  const { payload, contentType } = multipart(
    body === null ? [{ name: 'note', value: 'x' }] : [{ name: 'reply', value: body, filename: 'reponse.xml', type: 'application/xml' }],
  );
  const query = csrf === null ? '' : `?_csrf=${encodeURIComponent(csrf)}`;
  return t.app.inject({
    method: 'POST',
    url: `${a.base}/transferts/${id}/reponse${query}`,
    headers: { ...browser.headers, 'content-type': contentType },
    payload,
  });
}

async function createByPage(a: ArchivesTenant, units: string[]): Promise<{ id: string; message_identifier: string }> {
  const r = await postForm(t, a.archivist, `${a.base}/transferts`, { units, archival_agency: 'FRAD044' });
  assert.equal(r.statusCode, 303, r.body);
  return (await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ id: string; message_identifier: string }>('select id, message_identifier from archives_transfers order by created_at desc, id desc limit 1'),
  ))!;
}

test('attack: another collectivité’s archivist gets nothing, an agent is refused, forms need their CSRF token', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const root = await oneUnit(a);
  const transfer = await createByPage(a, [root]);

  // B's archivist: A's units and transfer do not exist under B's address.
  const bPage = await t.app.inject({ method: 'GET', url: `${b.base}/transferts`, headers: b.archivist.headers });
  assert.equal(bPage.statusCode, 200);
  assert.ok(!bPage.body.includes(root) && !bPage.body.includes(transfer.id), 'B’s page lists nothing of A');
  assert.equal((await postForm(t, b.archivist, `${b.base}/transferts`, { units: [root] })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url: `${b.base}/transferts/${transfer.id}/paquet.zip`, headers: b.archivist.headers })).statusCode, 404);
  assert.equal((await uploadReply(b, b.archivist, transfer.id, transferReply(transfer.message_identifier, []))).statusCode, 404);
  assert.equal((await postForm(t, b.archivist, `${b.base}/communication`, { units: [root], request: 'R-1', requester: 'x' })).statusCode, 404);
  // B's archivist under A's address: not an archivist of A.
  assert.equal((await t.app.inject({ method: 'GET', url: `${a.base}/transferts`, headers: b.archivist.headers })).statusCode, 403);

  // An agent of A: refused everywhere.
  assert.equal((await t.app.inject({ method: 'GET', url: `${a.base}/transferts`, headers: a.agent.headers })).statusCode, 403);
  assert.equal((await postForm(t, a.agent, `${a.base}/transferts`, { units: [root] })).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: `${a.base}/transferts/${transfer.id}/paquet.zip`, headers: a.agent.headers })).statusCode, 403);
  assert.equal((await uploadReply(a, a.agent, transfer.id, transferReply(transfer.message_identifier, []))).statusCode, 403);
  assert.equal((await postForm(t, a.agent, `${a.base}/communication`, { units: [root], request: 'R-1', requester: 'x' })).statusCode, 403);
  const search = await t.app.inject({ method: 'GET', url: a.base, headers: a.agent.headers });
  assert.ok(!search.body.includes('/communication'), 'no communication form for an agent');

  // Without the CSRF token: refused, nothing written.
  const transfers = await count(a, 'archives_transfers');
  const noCsrf = await t.app.inject({
    method: 'POST',
    url: `${a.base}/transferts`,
    headers: { ...a.archivist.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ units: root }).toString(),
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(await count(a, 'archives_transfers'), transfers);
  assert.equal((await uploadReply(a, a.archivist, transfer.id, transferReply(transfer.message_identifier, []), null)).statusCode, 403);
  assert.equal((await uploadReply(a, a.archivist, transfer.id, transferReply(transfer.message_identifier, []), b.archivist.csrf)).statusCode, 403);
  assert.equal(await count(a, 'archives_transfer_replies'), 0);
});

test('a bad reply file is refused with a clear message and nothing is written', async () => {
  const a = await archivesTenant(t);
  const root = await oneUnit(a);
  const transfer = await createByPage(a, [root]);
  const journal = await count(a, 'journal_entries');
  const cases: Array<[string | null, RegExp]> = [
    [null, /Joignez le fichier XML/],
    ['ceci n’est pas du XML', /./],
    [transferReply('BASTIDE-TRANSFER-autre', []), /BASTIDE-TRANSFER-autre/],
    [transferReply(transfer.message_identifier, [], 'OK', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'), /./],
  ];
  for (const [body, message] of cases) {
    const r = await uploadReply(a, a.archivist, transfer.id, body);
    assert.equal(r.statusCode, 422, r.body);
    assert.match(r.body, /class="error-summary"/);
    assert.match(r.body, message);
  }
  // Past the API's bound: refused with the bound named, without being read whole.
  const big = await uploadReply(a, a.archivist, transfer.id, Buffer.alloc(MAX_REPLY_BYTES + 1024, 0x20));
  assert.equal(big.statusCode, 422);
  assert.match(big.body, /dépasse 32 Mo/);
  assert.equal(await count(a, 'archives_transfer_replies'), 0);
  assert.equal(await count(a, 'journal_entries'), journal);
  // A DIP request without its reference: the form again, with the message, in the page's language.
  const dip = await postForm(t, a.archivist, `${a.base}/communication`, { units: [root], requester: 'Mme X' });
  assert.equal(dip.statusCode, 422);
  assert.match(dip.body, /class="error-summary"/);
  assert.ok(dip.body.includes(`value="${root}" checked`));
  assert.equal(await count(a, 'journal_entries'), journal);
  // No unit ticked for a transfer.
  const none = await postForm(t, a.archivist, `${a.base}/transferts`, { archival_agency: 'FRAD044' });
  assert.equal(none.statusCode, 422);
  assert.match(none.body, /class="error-summary"/);
});

test('happy path: a transfer from ticked units, its package, the reply accepting it, and a DIP from the search list', async () => {
  const a = await archivesTenant(t);
  const root = await oneUnit(a, 'Registre des arrêtés');
  const page = await t.app.inject({ method: 'GET', url: `${a.base}/transferts`, headers: a.archivist.headers });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(`name="units" value="${root}"`), 'the root unit is offered');
  assert.ok(
    (await t.app.inject({ method: 'GET', url: a.base, headers: a.archivist.headers })).body.includes(`href="${a.base}/transferts"`),
    'in the navigation',
  );

  const transfer = await createByPage(a, [root]);
  const listed = await t.app.inject({ method: 'GET', url: `${a.base}/transferts?notice=transfer_created`, headers: a.archivist.headers });
  assert.match(listed.body, /Transfert préparé/);
  assert.ok(listed.body.includes(`${a.base}/transferts/${transfer.id}/paquet.zip`));
  assert.match(listed.body, /envoyé, sans réponse/);
  assert.ok(!listed.body.includes(`name="units" value="${root}"`), 'a unit awaiting its reply is not offered again');

  const zip = await t.app.inject({ method: 'GET', url: `${a.base}/transferts/${transfer.id}/paquet.zip`, headers: a.archivist.headers });
  assert.equal(zip.statusCode, 200);
  assert.equal(zip.headers['content-type'], 'application/zip');
  assert.equal(zip.rawPayload.subarray(0, 2).toString(), 'PK');

  const replied = await uploadReply(a, a.archivist, transfer.id, transferReply(transfer.message_identifier, []));
  assert.equal(replied.statusCode, 303, replied.body);
  const after = await t.app.inject({ method: 'GET', url: `${a.base}/transferts`, headers: a.archivist.headers });
  assert.match(after.body, />accepté</);
  const journal = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ action: string }>("select action from journal_entries where action like 'archives.transfer%' order by seq"),
  );
  assert.deepEqual(
    journal.map((j) => j.action),
    ['archives.transfer.create', 'archives.transfer.reply'],
  );

  const search = await t.app.inject({ method: 'GET', url: a.base, headers: a.archivist.headers });
  assert.ok(search.body.includes(`action="${a.base}/communication"`));
  const dip = await postForm(t, a.archivist, `${a.base}/communication`, { units: [root], request: 'DEM-2026-12', requester: 'Mme Martin' });
  assert.equal(dip.statusCode, 200, dip.body);
  assert.equal(dip.headers['content-type'], 'application/zip');
  assert.equal(dip.rawPayload.subarray(0, 2).toString(), 'PK');
  const communicated = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ n: number }>("select count(*)::int as n from journal_entries where action = 'archives.communication'"),
  );
  assert.equal(communicated!.n, 1);
});

test('a full page (50 transfers awaiting their reply, 150 units offered) stays within the staff budgets', async () => {
  const a = await archivesTenant(t);
  const roots = await ingest(
    t,
    a.tenant.id,
    Array.from({ length: 220 }, (_, i) => ({
      title: `Registre ${String(i).padStart(3, '0')} des délibérations`,
      archival_agency: 'FRAD044',
      start_date: '2001-01-01',
      end_date: '2001-12-31',
    })),
  );
  const ids = roots.units.map((u) => u.id);
  for (const id of ids.slice(0, 60)) await createTransfer(t.deps, principal(a.tenant.id, ['archivist'], a.archivistId), { units: [id] }, 'X');
  const page = await t.app.inject({ method: 'GET', url: `${a.base}/transferts`, headers: a.archivist.headers });
  assert.equal(page.statusCode, 200);
  const elements = (page.body.match(/<[a-z][a-z0-9]*[\s>/]/gi) ?? []).length;
  const kb = Buffer.byteLength(page.body) / 1024;
  assert.equal((page.body.match(/paquet\.zip/g) ?? []).length, 50);
  assert.equal((page.body.match(/name="units"/g) ?? []).length, 150);
  assert.ok(elements <= 1500, `${elements} elements`);
  assert.ok(kb <= 150, `${kb.toFixed(1)} KB`);
  console.log(`transfers page, full: ${elements} elements, ${kb.toFixed(1)} KB of HTML`);
});

test('the multipart page forms (deposit, reply) carry their CSRF token in their address, which the server accepts', async () => {
  const a = await archivesTenant(t);
  const form = await t.app.inject({ method: 'GET', url: `${a.base}/verser`, headers: a.archivist.headers });
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data">/.exec(form.body)?.[1]?.replaceAll('&amp;', '&');
  assert.ok(action?.includes('_csrf='), 'the deposit form’s address holds the token');
  const { payload, contentType } = multipart([
    { name: 'title', value: 'Versement par le formulaire' },
    { name: 'file', value: 'bonjour\n', filename: 'note.txt', type: 'text/plain' },
  ]);
  const r = await t.app.inject({ method: 'POST', url: action!, headers: { ...a.archivist.headers, 'content-type': contentType }, payload });
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
});

// Elimination end to end through the archivist's pages: units whose DUA ended with "destroy" are proposed;
// nothing is destroyed before the visa is recorded; a legal hold blocks it (even one placed after the
// visa); then the objects' bytes leave the store, their rows become tombstones that keep the digests, a
// blob another unit still uses stays, and a certificate (PDF kept as a blob, journal entry) remains.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { postForm, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest } from '../../../test/support/archives/archives.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const blobPath = (tenantId: string, sha256: string) => join(t.config.dataDir, 'files', tenantId, sha256.slice(0, 2), sha256);

test('propose, record the visa, destroy, certificate; holds and missing visas stop it; shared bytes stay', async () => {
  const a = await archivesTenant(t);
  const b = await archivesTenant(t);
  const due = { category: 'appraisal' as const, rule_code: 'APP-DOSSIER-10-D', start_date: '2010-01-01' };
  const r = await ingest(t, a.tenant.id, [
    {
      title: 'Subventions 2009',
      end_date: '2009-12-31',
      rules: [due],
      objects: [
        { filename: 'demande.txt', source: bytes('demande 2009\n') },
        { filename: 'commun.txt', source: bytes('octets partagés\n') },
      ],
    },
    { title: 'Subventions 2009 bis (gelé)', end_date: '2009-12-31', rules: [due], objects: [{ filename: 'gel.txt', source: bytes('gelé\n') }] },
    { title: 'À garder', objects: [{ filename: 'commun-garde.txt', source: bytes('octets partagés\n') }] },
    { title: 'Pas encore échu', rules: [{ ...due, start_date: '2024-01-01' }], objects: [{ filename: 'recent.txt', source: bytes('récent\n') }] },
  ]);
  const [target, frozen, kept, young] = r.units;
  const [demande, commun] = r.objects;
  // A hold on the second unit, through its page.
  assert.equal((await postForm(t, a.archivist, `${a.base}/unites/${frozen!.id}/gel`, { rule: 'HOLD-CONTENTIEUX', note: 'Recours TA' })).statusCode, 303);

  const list = await t.app.inject({ url: `${a.base}/eliminations`, headers: a.archivist.headers });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Subventions 2009/);
  assert.doesNotMatch(list.body, /Pas encore échu|À garder/);

  // Proposals the law does not allow: a held unit, a unit not due, another collectivité's unit.
  assert.equal((await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [frozen!.id] })).statusCode, 422);
  assert.equal((await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [young!.id] })).statusCode, 422);
  assert.equal((await postForm(t, b.archivist, `${b.base}/eliminations`, { units: [target!.id] })).statusCode, 404);
  assert.equal((await postForm(t, a.agent, `${a.base}/eliminations`, { units: [target!.id] })).statusCode, 403);

  const proposed = await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [target!.id] });
  assert.equal(proposed.statusCode, 303);
  const page = String(proposed.headers.location).split('?')[0]!;
  // No visa yet: execution refused, nothing touched.
  assert.equal((await postForm(t, a.archivist, `${page}/executer`, {})).statusCode, 422);
  assert.ok(existsSync(blobPath(a.tenant.id, demande!.sha256)));
  // A visa needs its four parts, and a date that is not in the future.
  assert.equal(
    (await postForm(t, a.archivist, `${page}/visa`, { visa_authority: 'AD 44', visa_signatory: '', visa_reference: 'V-1', visa_date: '2025-01-10' }))
      .statusCode,
    422,
  );
  assert.equal(
    (await postForm(t, a.archivist, `${page}/visa`, { visa_authority: 'AD 44', visa_signatory: 'M. Dupont', visa_reference: 'V-1', visa_date: '2999-01-10' }))
      .statusCode,
    422,
  );
  const visa = {
    visa_authority: 'Archives départementales de Loire-Atlantique',
    visa_signatory: 'Mme Durand, directrice',
    visa_reference: 'AD44/2025/118',
    visa_date: '2025-01-10',
  };
  assert.equal((await postForm(t, a.archivist, `${page}/visa`, visa)).statusCode, 303);

  // A hold placed after the visa still stops the destruction.
  assert.equal((await postForm(t, a.archivist, `${a.base}/unites/${target!.id}/gel`, { rule: 'HOLD-CONTENTIEUX', note: 'Demande du juge' })).statusCode, 303);
  const blocked = await postForm(t, a.archivist, `${page}/executer`, {});
  assert.equal(blocked.statusCode, 422);
  assert.match(blocked.body, /sous gel/);
  assert.ok(existsSync(blobPath(a.tenant.id, demande!.sha256)));
  assert.equal((await postForm(t, a.archivist, `${a.base}/unites/${target!.id}/gel/lever`, { rule: 'HOLD-CONTENTIEUX' })).statusCode, 303);

  const executed = await postForm(t, a.archivist, `${page}/executer`, {});
  assert.equal(executed.statusCode, 303, executed.body.slice(0, 500));
  // The bytes only this unit used are gone; those another unit keeps stay.
  assert.equal(existsSync(blobPath(a.tenant.id, demande!.sha256)), false);
  assert.equal(existsSync(blobPath(a.tenant.id, commun!.sha256)), true);
  const rows = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ filename: string; eliminated: boolean; blob: string | null; sha512: string }>(
      `select filename, eliminated_at is not null as eliminated, blob_sha256 as blob, sha512 from archives_objects where unit_id = $1 order by filename`,
      [target!.id],
    ),
  );
  assert.deepEqual(
    rows.map((o) => [o.filename, o.eliminated, o.blob, o.sha512.length]),
    [
      ['commun.txt', true, null, 128],
      ['demande.txt', true, null, 128],
    ],
  );
  const blobs = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [[demande!.sha256, commun!.sha256]]),
  );
  assert.deepEqual(
    blobs.map((x) => x.sha256),
    [commun!.sha256],
  );
  // Journal: proposal, visa (with its reference), execution (with the digests of what was destroyed).
  const journalRows = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ action: string; data: { visa?: { reference: string }; objects?: Array<{ sha512: string }> } }>(
      `select action, data from journal_entries where action like 'archives.elimination.%' order by at, id`,
    ),
  );
  assert.deepEqual(
    journalRows.map((j) => j.action),
    ['archives.elimination.propose', 'archives.elimination.approve', 'archives.elimination.execute'],
  );
  assert.equal(journalRows[2]!.data.visa!.reference, 'AD44/2025/118');
  assert.deepEqual(journalRows[2]!.data.objects!.map((o) => o.sha512).sort(), [demande!.sha512, commun!.sha512].sort());
  // The certificate: a PDF kept as a blob, downloadable by the archivist only.
  const cert = await t.app.inject({ url: `${page}/certificat.pdf`, headers: a.archivist.headers });
  assert.equal(cert.statusCode, 200);
  assert.equal(cert.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal((await t.app.inject({ url: `${page}/certificat.pdf`, headers: a.agent.headers })).statusCode, 403);
  // The unit page says it is eliminated; its objects cannot be downloaded; a second execution is refused.
  const unitPage = await t.app.inject({ url: `${a.base}/unites/${target!.id}`, headers: a.archivist.headers });
  assert.match(unitPage.body, /Éliminé le/);
  assert.equal((await t.app.inject({ url: `${a.base}/unites/${target!.id}/objets/${demande!.id}`, headers: a.archivist.headers })).statusCode, 404);
  assert.equal((await postForm(t, a.archivist, `${page}/executer`, {})).statusCode, 422);
  // Kept units are untouched.
  const keptRow = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ n: number }>('select count(*)::int as n from archives_objects where unit_id = $1 and eliminated_at is null', [kept!.id]),
  );
  assert.equal(keptRow!.n, 1);
});

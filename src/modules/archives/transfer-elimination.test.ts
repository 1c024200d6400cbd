// Elimination consults transfers to the definitive archive. A unit in a transfer the archival agency has
// not answered is on its way there: it is not proposed, not eliminable, and a transfer made after the
// visa stops the execution (destroying it could lose the only copy if the reply refuses it). A refused
// transfer gives the unit back to its own DUA. A unit whose transfer was accepted is kept by the archival
// agency: its local copy is proposed and eliminated with the same visa, whatever its DUA says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { postForm, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { archivesTenant, bytes, ingest, type ArchivesTenant } from '../../../test/support/archives/archives.ts';
import { createTransfer, postReply, transferReply } from '../../../test/support/archives/transfers.ts';
import { sedaId } from './seda/index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const blobPath = (tenantId: string, sha256: string) => join(t.config.dataDir, 'files', tenantId, sha256.slice(0, 2), sha256);
const visa = { visa_authority: 'AD 44', visa_signatory: 'Mme Durand', visa_reference: 'AD44/3', visa_date: '2025-01-10' };

async function approve(a: ArchivesTenant, unitId: string): Promise<string> {
  const proposed = await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [unitId] });
  assert.equal(proposed.statusCode, 303, proposed.body.slice(0, 300));
  const page = String(proposed.headers.location).split('?')[0]!;
  assert.equal((await postForm(t, a.archivist, `${page}/visa`, visa)).statusCode, 303);
  return page;
}

test('attack: a unit awaiting the archival agency’s reply is never eliminated; refused, it follows its DUA; accepted, its local copy goes with a visa', async () => {
  const a = await archivesTenant(t);
  const due = { category: 'appraisal' as const, rule_code: 'APP-DOSSIER-10-D', start_date: '2010-01-01' };
  const keep = { category: 'appraisal' as const, rule_code: 'APP-DELIB-C', start_date: '2019-12-31' };
  const r = await ingest(t, a.tenant.id, [
    { title: 'Dossier échu', end_date: '2009-12-31', rules: [due], objects: [{ filename: 'echu.txt', source: bytes('échu\n') }] },
    { title: 'Délibération', rules: [keep], objects: [{ filename: 'delib.txt', source: bytes('délibération\n') }] },
    { title: 'Dossier visé', end_date: '2009-12-31', rules: [due], objects: [{ filename: 'vise.txt', source: bytes('visé\n') }] },
  ]);
  const [dueUnit, kept, visaed] = r.units;
  // The third unit gets its visa, then all three leave in a transfer not yet answered.
  const visaPage = await approve(a, visaed!.id);
  const sent = await createTransfer(t, a, [dueUnit!.id, kept!.id, visaed!.id]);

  const list = await t.app.inject({ url: `${a.base}/eliminations`, headers: a.archivist.headers });
  assert.match(list.body, new RegExp(`id="c-${dueUnit!.id}" name="units" value="${dueUnit!.id}" disabled>`));
  assert.match(list.body, /transfert en attente de réponse/);
  assert.doesNotMatch(list.body, /Délibération/);
  const refused = await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [dueUnit!.id] });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /attend sa réponse/);
  const blocked = await postForm(t, a.archivist, `${visaPage}/executer`, {});
  assert.equal(blocked.statusCode, 422);
  assert.match(blocked.body, /attend sa réponse/);
  assert.ok(existsSync(blobPath(a.tenant.id, r.objects[2]!.sha256)));

  // The archival agency refuses the transfer: the units follow their own DUA again.
  assert.equal((await postReply(t, a, sent.id, transferReply(sent.message_identifier, [], 'KO'))).statusCode, 200);
  assert.equal((await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [kept!.id] })).statusCode, 422);
  assert.equal((await postForm(t, a.archivist, `${visaPage}/executer`, {})).statusCode, 303);
  assert.equal(existsSync(blobPath(a.tenant.id, r.objects[2]!.sha256)), false);

  // A second transfer of the deliberation, accepted: its local copy is proposed, and goes with a visa.
  const again = await createTransfer(t, a, [kept!.id]);
  assert.equal((await postReply(t, a, again.id, transferReply(again.message_identifier, [[sedaId(kept!.id), '3 W 12']]))).statusCode, 200);
  const after = await t.app.inject({ url: `${a.base}/eliminations`, headers: a.archivist.headers });
  assert.match(after.body, /Délibération.*transférée \(copie locale éliminable\)/);
  const page = await approve(a, kept!.id);
  assert.equal((await postForm(t, a.archivist, `${page}/executer`, {})).statusCode, 303);
  assert.equal(existsSync(blobPath(a.tenant.id, r.objects[1]!.sha256)), false);
  // The first unit, whose transfer was refused, is an ordinary due unit again.
  assert.equal((await postForm(t, a.archivist, `${a.base}/eliminations`, { units: [dueUnit!.id] })).statusCode, 303);
});

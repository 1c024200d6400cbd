// Proof of integrity ("relevé de valeur probante"): a unit's report holds and the standalone verifier
// accepts it, run alone as a third party would; then each attack makes verification fail and names what
// failed — a tampered object (its record in the report, its bytes on disk, its bytes handed over), a
// tampered journal entry (even with its hash recomputed), a reordered chain of entries or checkpoints, a
// unit's description rewritten in the database behind the triggers' back, a checkpoint other than the one
// kept outside Bastide. Only archivists issue reports; checkpoints are written once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postForm, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { NODE } from '../../../test/cli/cli.ts';
import { archivesTenant, bytes, ingest, principal, tamperBlob } from '../../../test/support/archives/archives.ts';
import { buildProof, checkpointJournal } from './index.ts';
import { entryHash, verifyReport, type ProofReport } from './proof/verify-proof.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const VERIFIER = new URL('./proof/verify-proof.ts', import.meta.url).pathname;
const blobPath = (tenantId: string, sha256: string) => join(t.config.dataDir, 'files', tenantId, sha256.slice(0, 2), sha256);
const copy = (r: ProofReport): ProofReport => JSON.parse(JSON.stringify(r)) as ProofReport;
const subjects = (r: ProofReport, options = {}) => verifyReport(r, options).map((f) => f.subject);

/** Runs the verifier alone, as a third party would: exit code and output. */
function runVerifier(report: ProofReport, ...args: string[]): { code: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'proof-'));
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  try {
    return { code: 0, out: execFileSync(NODE, [VERIFIER, join(dir, 'report.json'), ...args], { encoding: 'utf8' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

async function setup() {
  const a = await archivesTenant(t);
  const r = await ingest(t, a.tenant.id, [
    {
      title: 'Délibérations 2019',
      keywords: ['conseil'],
      end_date: '2019-12-31',
      rules: [{ category: 'appraisal', rule_code: 'APP-DOSSIER-10-D', start_date: null }],
      objects: [
        { filename: 'deliberation.txt', source: bytes('délibération n° 1\n') },
        { filename: 'annexe.txt', source: bytes('annexe\n') },
      ],
      children: [{ title: 'Pièce', objects: [{ filename: 'piece.txt', source: bytes('pièce\n') }] }],
    },
    { title: 'Voisine', objects: [{ filename: 'voisine.txt', source: bytes('voisine\n') }] },
  ]);
  const unit = r.units[0]!;
  // A hold placed and lifted: two more entries about the unit, in a later checkpoint.
  await checkpointJournal(t.db, a.tenant.id);
  assert.equal((await postForm(t, a.archivist, `${a.base}/unites/${unit.id}/gel`, { rule: 'HOLD-CONTENTIEUX', note: 'Recours' })).statusCode, 303);
  assert.equal((await postForm(t, a.archivist, `${a.base}/unites/${unit.id}/gel/lever`, { rule: 'HOLD-CONTENTIEUX' })).statusCode, 303);
  return { a, r, unit };
}

test('a unit’s proof holds, the standalone verifier accepts it; every tampering fails and is named', async () => {
  const { a, r, unit } = await setup();
  // Before a checkpoint covers the hold entries, the page says so and offers one (the form posts it).
  const before = await buildProof(t.deps, principal(a.tenant.id), unit.id);
  assert.equal(before.pending_entries, 2);
  const made = await postForm(t, a.archivist, `${a.base}/unites/${unit.id}/preuve`, {});
  assert.equal(made.statusCode, 303);
  const report = await buildProof(t.deps, principal(a.tenant.id), unit.id);
  assert.equal(report.pending_entries, 0);
  assert.deepEqual(
    report.entries.map((e) => e.action),
    ['archives.ingest', 'archives.hold.place', 'archives.hold.lift'],
  );
  assert.equal(report.checkpoints.length, 2);
  assert.deepEqual(
    report.objects.map((o) => [o.filename, o.stored]),
    r.objects
      .filter((o) => o.unit_id === unit.id)
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map((o) => [o.filename, 'intact']),
  );
  assert.deepEqual(verifyReport(report), []);

  // The third party: the JSON, the objects named by id, the checkpoint hash they were given.
  const objects = mkdtempSync(join(tmpdir(), 'proof-objects-'));
  writeFileSync(join(objects, r.objects[0]!.id), 'délibération n° 1\n');
  writeFileSync(join(objects, r.objects[1]!.id), 'annexe\n');
  const anchor = report.checkpoints[1]!.hash;
  const ok = runVerifier(report, objects, '--checkpoint', anchor);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /^OK: unit /);

  // A tampered object record (a digest changed in the report).
  const forged = copy(report);
  forged.objects[0]!.sha512 = 'f'.repeat(128);
  assert.deepEqual(subjects(forged), [`object:${forged.objects[0]!.id}`]);
  const run = runVerifier(forged);
  assert.equal(run.code, 1);
  assert.match(run.out, new RegExp(`FAILED object:${forged.objects[0]!.id}: .*altered`));
  // Altered bytes handed over with an intact report.
  writeFileSync(join(objects, r.objects[1]!.id), 'annexe modifiée\n');
  const handed = runVerifier(report, objects);
  assert.equal(handed.code, 1);
  assert.match(handed.out, new RegExp(`FAILED object:${r.objects[1]!.id}: annexe.txt: the file's SHA-512`));

  // A tampered journal entry: its data changed; then with its hash recomputed to match (the checkpoint still betrays it).
  const entry = copy(report);
  (entry.entries[0]!.data as Record<string, unknown>).objects = 99;
  assert.deepEqual(subjects(entry), [`entry:${entry.entries[0]!.chain_pos}`]);
  const rehashed = copy(entry);
  rehashed.entries[0]!.hash = entryHash(a.tenant.id, rehashed.entries[0]!);
  const findings = verifyReport(rehashed);
  assert.equal(findings[0]!.subject, `entry:${rehashed.entries[0]!.chain_pos}`);
  assert.match(findings[0]!.reason, /not in checkpoint 1/);

  // The unit's description rewritten in the report.
  const unitForged = copy(report);
  unitForged.unit.title = 'Autre titre';
  assert.deepEqual(subjects(unitForged), ['unit']);

  // Reordered chains: two entries swapped; two checkpoints swapped; a checkpoint left out.
  const swapped = copy(report);
  [swapped.entries[1], swapped.entries[2]] = [swapped.entries[2]!, swapped.entries[1]!];
  assert.ok(verifyReport(swapped).some((f) => f.subject === `entry:${report.entries[1]!.chain_pos}` && /reordered/.test(f.reason)));
  const cps = copy(report);
  cps.checkpoints.reverse();
  assert.ok(verifyReport(cps).some((f) => f.subject.startsWith('checkpoint:') && /reordered/.test(f.reason)));
  const dropped = copy(report);
  dropped.checkpoints.shift();
  assert.ok(verifyReport(dropped).some((f) => f.subject === `entry:${report.entries[0]!.chain_pos}` && /not covered/.test(f.reason)));
  // A checkpoint other than the one kept outside Bastide.
  assert.deepEqual(subjects(report, { checkpoint: '0'.repeat(64) }), ['checkpoint:2']);
  assert.equal(runVerifier(report, '--checkpoint', '0'.repeat(64)).code, 1);
});

test('tampering on the platform: bytes altered on disk, a description rewritten behind the triggers; pages and access', async () => {
  const { a, r, unit } = await setup();
  await checkpointJournal(t.db, a.tenant.id);
  // Bytes altered in the store: the report says so and does not verify.
  tamperBlob(blobPath(a.tenant.id, r.objects[0]!.sha256), 'falsifié\n');
  const altered = await buildProof(t.deps, principal(a.tenant.id), unit.id);
  assert.equal(altered.objects.find((o) => o.id === r.objects[0]!.id)!.stored, 'altered');
  assert.ok(verifyReport(altered).some((f) => f.subject === `object:${r.objects[0]!.id}` && /altered/.test(f.reason)));

  // The owner of the schema turns the guard off and rewrites the title: the proof no longer holds.
  await t.db.ownerTransaction(async (tx) => {
    await tx.query('alter table archives_units disable trigger archives_units_guard');
    await tx.query(`update archives_units set title = 'Titre réécrit' where tenant_id = $1 and id = $2`, [a.tenant.id, unit.id]);
    await tx.query('alter table archives_units enable trigger archives_units_guard');
  });
  const rewritten = await buildProof(t.deps, principal(a.tenant.id), unit.id);
  assert.ok(verifyReport(rewritten).some((f) => f.subject === 'unit'));

  // The page and the JSON (archivists only; another collectivité's archivist gets 404).
  const page = await t.app.inject({ url: `${a.base}/unites/${unit.id}/preuve`, headers: a.archivist.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /La vérification échoue/);
  assert.match(page.body, /<code>unit<\/code>/);
  const json = await t.app.inject({ url: `${a.base}/unites/${unit.id}/preuve.json`, headers: a.archivist.headers });
  assert.equal(json.statusCode, 200);
  assert.equal((JSON.parse(json.body) as ProofReport).unit.id, unit.id);
  assert.equal((await t.app.inject({ url: `${a.base}/unites/${unit.id}/preuve`, headers: a.agent.headers })).statusCode, 403);
  const b = await archivesTenant(t);
  assert.equal((await t.app.inject({ url: `${b.base}/unites/${unit.id}/preuve`, headers: b.archivist.headers })).statusCode, 404);
  const api = await t.app.inject({ url: `${a.api}/units/${unit.id}/proof`, headers: { authorization: `Bearer ${a.archivistToken}` } });
  assert.equal(api.statusCode, 200);
  assert.equal((await t.app.inject({ url: `${a.api}/units/${unit.id}/proof`, headers: { authorization: `Bearer ${a.agentToken}` } })).statusCode, 403);
  const verifier = await t.app.inject({ url: `${a.base}/verificateur-preuve.ts`, headers: a.archivist.headers });
  assert.equal(verifier.statusCode, 200);
  assert.match(verifier.body, /export function verifyReport/);

  // Checkpoints are written once, even by the owner.
  await assert.rejects(t.db.transaction(a.tenant.id, (tx) => tx.query(`update archives_checkpoints set root = hash`)));
  await assert.rejects(t.db.ownerTransaction((tx) => tx.query(`delete from archives_checkpoints where tenant_id = $1`, [a.tenant.id])));
});

// Decided dossiers flow into the archives (issue 13): a dossier whose procedure's retention says "archive"
// becomes an archive unit (answers JSON, PDF print, receipt, journal extract, attachments — SHA-512 of the
// bytes), with the procedure's rules; procedures then applies its own `then` only after the unit is
// committed; a second run files nothing twice; another collectivité's dossiers never land here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createTestTenant, type TestApp } from '../../../test/helpers/app.ts';
import {
  ATTACHMENT,
  archiveProcedure as withRetention,
  decidedDossier as decided,
  setRetention,
  startOpsApp,
  sweepRetention,
  SUBSIDY_ANSWERS,
} from '../../../test/support/archives/dossiers.ts';
import { archiveDecidedDossiers, ARCHIVE_DOSSIERS_JOB } from './index.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');
const archiveProcedure = (tenantId: string, retention: Record<string, unknown>) => withRetention(t, tenantId, retention);
const decidedDossier = (tenantId: string, procedureId: string) => decided(t, tenantId, procedureId);

async function unitsOf(tenantId: string) {
  return t.db.transaction(tenantId, (tx) =>
    tx.query<{ id: string; title: string; source_ref: string; appraisal_final: string | null; keywords: string[] }>(
      `select u.id, u.title, i.source_ref, u.appraisal_final, u.keywords from archives_units u
       join archives_ingests i on i.tenant_id = u.tenant_id and i.id = u.ingest_id where i.kind = 'procedures' order by u.title`,
    ),
  );
}

test('a decided dossier becomes a unit with its objects and rules; procedures deletes it only after; a second run files nothing', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await archiveProcedure(tenant.id, { after_decision: 'archive', days: 0, then: 'delete' });
  const d = await decidedDossier(tenant.id, procedure.id);
  const swept = await sweepRetention(t.db, t.deps);
  assert.ok(swept.archived >= 1);
  assert.ok(await t.db.transaction(tenant.id, (tx) => tx.one('select 1 from dossiers where id = $1', [d.id])), 'flagged, not yet deleted');

  // Through the scheduled job, as in production.
  await t.db.transaction(null, (tx) => tx.query(`insert into jobs (kind, payload) values ($1, '{}')`, [ARCHIVE_DOSSIERS_JOB]));
  await t.deps.jobs.drain();

  const units = await unitsOf(tenant.id);
  assert.equal(units.length, 1);
  const unit = units[0]!;
  assert.equal(unit.source_ref, d.id);
  assert.match(unit.title, new RegExp(`^Dossier n° ${d.number} — `));
  assert.ok(unit.keywords.includes('Accepté'));
  const rules = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ category: string; rule_code: string }>('select category, rule_code from archives_unit_rules where unit_id = $1 order by category', [unit.id]),
  );
  assert.deepEqual(
    rules.map((r) => [r.category, r.rule_code]),
    [
      ['access', 'ACC-50'],
      ['appraisal', 'APP-DOSSIER-10-D'],
    ],
    'the default rules (the procedure names none)',
  );
  assert.equal(unit.appraisal_final, 'destroy');

  const objects = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ filename: string; sha512: string; size: string; blob_sha256: string; format_id: string | null }>(
      'select filename, sha512, size::text as size, blob_sha256, format_id from archives_objects where unit_id = $1 order by filename',
      [unit.id],
    ),
  );
  assert.deepEqual(
    objects.map((o) => o.filename),
    [`accuse-reception-${d.number}.pdf`, `dossier-${d.number}.json`, `dossier-${d.number}.pdf`, `journal-dossier-${d.number}.jsonl`, 'statuts.pdf'],
  );
  // Every object's recorded SHA-512 is the SHA-512 of the bytes the store gives back.
  const store = (await import('../../core/files/store.ts')).blobStoreFor(t.deps.config);
  const read = async (sha256: string) => {
    const opened = (await store.open(tenant.id, sha256))!;
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const contents = new Map<string, Buffer>();
  for (const o of objects) {
    const bytes = await read(o.blob_sha256);
    assert.equal(sha512(bytes), o.sha512, o.filename);
    assert.equal(bytes.length, Number(o.size));
    contents.set(o.filename, bytes);
  }
  assert.equal(sha512(contents.get('statuts.pdf')!), sha512(ATTACHMENT));
  const record = JSON.parse(contents.get(`dossier-${d.number}.json`)!.toString()) as Record<string, unknown>;
  assert.deepEqual(record.answers, SUBSIDY_ANSWERS);
  assert.equal((record.messages as Array<{ body: string }>)[0]!.body, 'Votre RIB, svp.');
  assert.deepEqual(
    (record.history as Array<{ to: string }>).map((h) => h.to),
    ['en_construction', 'en_instruction', 'accepte'],
  );
  const journalLines = contents
    .get(`journal-dossier-${d.number}.jsonl`)!
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; subject_id: string });
  assert.ok(journalLines.length >= 3 && journalLines.every((l) => l.subject_id === d.id));
  assert.ok(journalLines.some((l) => l.action === 'procedures.dossier.retention.archive'));
  assert.equal(objects.find((o) => o.filename.startsWith('accuse-'))!.format_id?.startsWith('fmt/'), true, 'the receipt is identified as PDF');

  // Procedures kept what its retention says: nothing (then = delete), after the unit was committed.
  assert.equal(await t.db.transaction(tenant.id, (tx) => tx.one('select 1 from dossiers where id = $1', [d.id])), null);
  const entries = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ action: string; data: { unit?: string } }>(
      `select action, data from journal_entries where subject_id = $1 or action = 'archives.ingest' order by seq`,
      [d.id],
    ),
  );
  const actions = entries.map((e) => e.action);
  assert.ok(actions.indexOf('archives.ingest') < actions.indexOf('procedures.dossier.archived'), 'archived, then purged');
  assert.equal(entries.find((e) => e.action === 'procedures.dossier.archived')!.data.unit, unit.id, 'the link dossier → unit is journaled');

  const again = await archiveDecidedDossiers(t.deps, { tenantId: tenant.id });
  assert.deepEqual(again, { archived: 0, relinked: 0, failed: [] });
  assert.equal((await unitsOf(tenant.id)).length, 1);
});

test('a run interrupted after the ingest files nothing twice; "keep" and "anonymise" keep what they say', async () => {
  const tenant = await createTestTenant(t.db);
  const keep = await archiveProcedure(tenant.id, { after_decision: 'archive', days: 0, appraisal_rule: 'APP-DELIB-C', access_rule: 'ACC-00' });
  const anonymise = await archiveProcedure(tenant.id, { after_decision: 'archive', days: 0, then: 'anonymise' });
  const kept = await decidedDossier(tenant.id, keep.id);
  const anon = await decidedDossier(tenant.id, anonymise.id);
  await sweepRetention(t.db, t.deps);
  const first = await archiveDecidedDossiers(t.deps, { tenantId: tenant.id });
  assert.deepEqual(first, { archived: 2, relinked: 0, failed: [] });
  const rows = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ id: string; applicant_email: string | null; messages: string; after_archive: string; archive_unit_id: string }>(
      `select d.id, d.applicant_email, (select count(*) from dossier_messages m where m.dossier_id = d.id)::text as messages, r.after_archive, r.archive_unit_id
       from dossiers d join dossier_retention r on r.tenant_id = d.tenant_id and r.dossier_id = d.id`,
    ),
  );
  const by = new Map(rows.map((r) => [r.id, r]));
  assert.equal(by.get(kept.id)!.after_archive, 'keep');
  assert.equal(by.get(kept.id)!.applicant_email, 'applicant@example.org');
  assert.equal(by.get(anon.id)!.after_archive, 'anonymise');
  assert.equal(by.get(anon.id)!.applicant_email, null);
  assert.equal(by.get(anon.id)!.messages, '0');
  const units = await unitsOf(tenant.id);
  assert.deepEqual(units.map((u) => u.id).sort(), [by.get(kept.id)!.archive_unit_id, by.get(anon.id)!.archive_unit_id].sort());
  assert.equal(units.find((u) => u.source_ref === kept.id)!.appraisal_final, 'keep', 'the procedure’s own appraisal rule');

  // As if the process had stopped between the ingest's commit and procedures' record: the next run finds
  // the committed unit and only records the link.
  await t.db.transaction(tenant.id, (tx) =>
    tx.query('update dossier_retention set archived_at = null, archive_unit_id = null where dossier_id = $1', [kept.id]),
  );
  const second = await archiveDecidedDossiers(t.deps, { tenantId: tenant.id });
  assert.deepEqual(second, { archived: 0, relinked: 1, failed: [] });
  assert.equal((await unitsOf(tenant.id)).length, 2);
});

test('attack: a unit that cannot be committed (unknown rule, missing attachment) leaves the dossier whole and flagged', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await archiveProcedure(tenant.id, { after_decision: 'archive', days: 0, then: 'delete', appraisal_rule: 'APP-NOWHERE' });
  const d = await decidedDossier(tenant.id, procedure.id);
  await sweepRetention(t.db, t.deps);
  const run = await archiveDecidedDossiers(t.deps, { tenantId: tenant.id });
  assert.equal(run.archived, 0);
  assert.equal(run.failed.length, 1);
  assert.match(JSON.stringify(run.failed[0]!.errors), /APP-NOWHERE/);
  assert.ok(await t.db.transaction(tenant.id, (tx) => tx.one('select 1 from dossiers where id = $1', [d.id])), 'never deleted before its unit exists');
  assert.equal((await unitsOf(tenant.id)).length, 0);
  assert.ok(
    await t.db.transaction(tenant.id, (tx) => tx.one(`select 1 from journal_entries where action = 'archives.dossier.failed' and subject_id = $1`, [d.id])),
  );

  // The attachment's bytes lost from the store: refused too, the dossier stays.
  await setRetention(t, tenant.id, procedure.id, { after_decision: 'archive', days: 0, then: 'delete' });
  const { blobStoreFor } = await import('../../core/files/store.ts');
  const sha = createHash('sha256').update(ATTACHMENT).digest('hex');
  await blobStoreFor(t.deps.config).remove(tenant.id, sha);
  const lost = await archiveDecidedDossiers(t.deps, { tenantId: tenant.id });
  assert.equal(lost.failed.length, 1);
  assert.ok(await t.db.transaction(tenant.id, (tx) => tx.one('select 1 from dossiers where id = $1', [d.id])));
  assert.equal((await unitsOf(tenant.id)).length, 0, 'the ingest was refused whole');
});

test('attack: another collectivité’s dossiers never land in this collectivité’s archives', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const pa = await archiveProcedure(a.id, { after_decision: 'archive', days: 0 });
  const pb = await archiveProcedure(b.id, { after_decision: 'archive', days: 0 });
  const da = await decidedDossier(a.id, pa.id);
  const db = await decidedDossier(b.id, pb.id);
  await sweepRetention(t.db, t.deps);
  await archiveDecidedDossiers(t.deps);
  assert.deepEqual(
    (await unitsOf(a.id)).map((u) => u.source_ref),
    [da.id],
  );
  assert.deepEqual(
    (await unitsOf(b.id)).map((u) => u.source_ref),
    [db.id],
  );
  // Asked to file B's dossier in A's name, the job finds nothing: A's transaction cannot see it.
  const { archiveDossier } = await import('./actions/archive-dossiers.ts');
  await t.db.transaction(b.id, (tx) => tx.query('update dossier_retention set archived_at = null where dossier_id = $1', [db.id]));
  assert.equal(await archiveDossier(t.deps, a.id, db.id), 'gone');
  assert.deepEqual(
    (await unitsOf(a.id)).map((u) => u.source_ref),
    [da.id],
  );
});

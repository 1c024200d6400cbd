// Fixity audit: a blob altered or removed on disk is found by the nightly job (journal entry, mail to the
// archivists through a real SMTP server), and by `bastide archives audit`, which exits non-zero naming the
// first altered object and 0 when everything is intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { startSmtp, parseMail } from '../../../test/support/procedures/ops.ts';
import { archivesTenant, bytes, ingest, principal, tamperBlob } from '../../../test/support/archives/archives.ts';
import { freshInstallation } from '../../../test/cli/cli.ts';
import { createTenant } from '../../core/tenancy/create-tenant.ts';
import { ingestUnits } from './index.ts';
import { AUDIT_JOB } from './actions/audit.ts';
import { enqueue } from '../../core/jobs/queue.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
});
after(async () => {
  await t.close();
  await smtp.stop();
});

const blobPath = (dataDir: string, tenantId: string, sha256: string) => join(dataDir, 'files', tenantId, sha256.slice(0, 2), sha256);

test('the scheduled audit finds an altered and a missing object: journal entry and a mail to each archivist; intact objects stay quiet', async () => {
  process.env.BASTIDE_ARCHIVES_AUDIT_SHARE = '1';
  const a = await archivesTenant(t);
  const quiet = await archivesTenant(t);
  const r = await ingest(t, a.tenant.id, [
    {
      title: 'Registre',
      objects: [
        { filename: 'intact.txt', source: bytes('intact\n') },
        { filename: 'altere.txt', source: bytes('original\n') },
        { filename: 'perdu.txt', source: bytes('perdu\n') },
      ],
    },
  ]);
  await ingest(t, quiet.tenant.id, [{ title: 'Calme', objects: [{ filename: 'ok.txt', source: bytes('ok\n') }] }]);
  const [, altered, lost] = r.objects;
  tamperBlob(blobPath(t.config.dataDir, a.tenant.id, altered!.sha256), 'modifié\n');
  rmSync(blobPath(t.config.dataDir, a.tenant.id, lost!.sha256));
  const start = smtp.received.length;
  await t.db.transaction(null, (tx) => enqueue(tx, AUDIT_JOB, {}));
  await t.deps.jobs.drain();
  await t.deps.jobs.drain();
  const entries = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ action: string; data: { checked: number; altered: number; missing: number; problems: Array<{ object_id: string; outcome: string }> } }>(
      `select action, data from journal_entries where action like 'archives.audit%'`,
    ),
  );
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.action, 'archives.audit.failed');
  assert.deepEqual([entries[0]!.data.checked, entries[0]!.data.altered, entries[0]!.data.missing], [3, 1, 1]);
  assert.deepEqual(
    entries[0]!.data.problems.map((p) => [p.object_id, p.outcome]).sort(),
    [
      [altered!.id, 'altered'],
      [lost!.id, 'missing'],
    ].sort(),
  );
  const quietEntries = await t.db.transaction(quiet.tenant.id, (tx) =>
    tx.query<{ action: string }>(`select action from journal_entries where action like 'archives.audit%'`),
  );
  assert.deepEqual(
    quietEntries.map((e) => e.action),
    ['archives.audit'],
  );
  const mails = smtp.received.slice(start);
  const archivistEmail = (await t.db.transaction(null, (tx) => tx.one<{ email: string }>('select email from people where id = $1', [a.archivistId])))!.email;
  assert.deepEqual(
    mails.map((m) => m.to[0]),
    [archivistEmail],
    'one mail, to the archivist of A only',
  );
  const mail = parseMail(mails[0]!.raw);
  assert.match(mail.subject, /2 objets altérés ou manquants/);
  assert.match(mail.text, /altere\.txt/);
  assert.match(mail.text, /perdu\.txt/);
  const fixity = await t.db.transaction(a.tenant.id, (tx) => tx.query<{ outcome: string }>('select outcome from archives_fixity order by outcome'));
  assert.deepEqual(
    fixity.map((f) => f.outcome),
    ['altered', 'missing', 'ok'],
  );
});

test('bastide archives audit: exit 0 when intact, 2 naming the first altered object; --tenant limits it; an unknown slug is an error', async () => {
  const inst = await freshInstallation();
  try {
    const ids = await inst.withDb(async (db) => {
      const created = await createTenant(db, { kind: 'syndicate', name: 'Syndicat des archives', slug: 'syndicat-archives' });
      const other = await createTenant(db, { kind: 'syndicate', name: 'Autre syndicat', slug: 'autre-syndicat' });
      assert.ok(created.ok && other.ok);
      const deps = { db, config: { dataDir: inst.dataDir } };
      const r = await ingestUnits(deps, principal(created.tenant.id), {
        kind: 'upload',
        units: [
          {
            title: 'Pièces',
            objects: [
              { filename: 'piece.pdf', source: bytes('%PDF-1.4\n%%EOF\n') },
              { filename: 'note.txt', source: bytes('note\n') },
            ],
          },
        ],
      });
      await ingestUnits(deps, principal(other.tenant.id), {
        kind: 'upload',
        units: [{ title: 'Autres', objects: [{ filename: 'autre.txt', source: bytes('autre\n') }] }],
      });
      return { tenant: created.tenant.id, object: r.objects[0]!, other: other.tenant.id };
    });
    // Written by this process outside the CLI's own folder preparation: closed to other accounts as the CLI wants.
    execFileSync('chmod', ['-R', 'go-rwx', inst.dataDir]);
    const ok = await inst.run(['archives', 'audit']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /archives intact: 3 objects checked in 2 collectivité/);
    tamperBlob(blobPath(inst.dataDir, ids.tenant, ids.object.sha256), '%PDF-1.4\n% falsifié\n%%EOF\n');
    const bad = await inst.run(['archives', 'audit']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, new RegExp(`archives altered: syndicat-archives, object ${ids.object.id} \\(piece\\.pdf\\)`));
    const onlyOther = await inst.run(['archives', 'audit', '--tenant', 'autre-syndicat']);
    assert.equal(onlyOther.code, 0, onlyOther.stderr);
    assert.match(onlyOther.stdout, /1 objects checked/);
    const unknown = await inst.run(['archives', 'audit', '--tenant', 'nulle-part']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no collectivité with the slug nulle-part/);
  } finally {
    await inst.cleanup();
  }
});

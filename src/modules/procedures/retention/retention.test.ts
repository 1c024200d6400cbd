// Retention, with dates moved in SQL: decided dossiers archived (flagged), anonymised or deleted after
// their procedure's delay, each journaled; drafts reminded once before expiry, then deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTenant, type TestApp } from '../../../../test/helpers/app.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { transitionDossier } from '../actions/transition-dossier.ts';
import { agentMessage } from '../actions/dossier-messages.ts';
import { updateOperationsSettings } from '../operations/update-settings.ts';
import { RETENTION_JOB } from './sweep.ts';
import { MAIL_JOB } from '../../../core/mail/mail.ts';
import { startOpsApp, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';
import { sweepRetention } from './sweep.ts';

let t: TestApp;
before(async () => {
  t = await startOpsApp();
});
after(() => t.close());

const guest = (tenantId: string) => ({ ...principal(tenantId, []), actor: 'anonymous', viaToken: false });

async function decidedDossier(tenantId: string, procedureId: string, decidedDaysAgo: number): Promise<number> {
  const { dossier } = await submitDossier(t.deps, guest(tenantId), { procedure: procedureId, email: 'applicant@example.org', data: SUBSIDY_ANSWERS });
  const agent = principal(tenantId, ['agent']);
  const n = Number(dossier.number);
  await agentMessage(t.db, agent, n, { body: 'Votre RIB, svp.' });
  await transitionDossier(t.db, agent, n, { to: 'en_instruction' });
  await transitionDossier(t.db, agent, n, { to: 'accepte' });
  await t.db.transaction(tenantId, (tx) =>
    tx.query(`update dossiers set decided_at = now() - make_interval(days => $2) where number = $1`, [n, decidedDaysAgo]),
  );
  return n;
}

async function journalCount(tenantId: string, action: string): Promise<number> {
  const row = await t.db.transaction(tenantId, (tx) => tx.one<{ n: string }>('select count(*)::text as n from journal_entries where action = $1', [action]));
  return Number(row!.n);
}

test('after the decision: anonymise, delete or flag for the archive once the delay has passed', async () => {
  const tenant = await createTestTenant(t.db);
  const admin = principal(tenant.id, ['procedure_admin']);
  const anonymise = await publishedProcedure(t, tenant.id);
  const remove = await publishedProcedure(t, tenant.id);
  const archive = await publishedProcedure(t, tenant.id);
  await updateOperationsSettings(t.db, admin, anonymise.id, { retention: { after_decision: 'anonymise', days: 30 } }, { allowHttp: false });
  await updateOperationsSettings(t.db, admin, remove.id, { retention: { after_decision: 'delete', days: 365 } }, { allowHttp: false });
  await updateOperationsSettings(t.db, admin, archive.id, { retention: { after_decision: 'archive', days: 0 } }, { allowHttp: false });

  const anonOld = await decidedDossier(tenant.id, anonymise.id, 31);
  const anonRecent = await decidedDossier(tenant.id, anonymise.id, 29);
  const deleteOld = await decidedDossier(tenant.id, remove.id, 400);
  const deleteRecent = await decidedDossier(tenant.id, remove.id, 300);
  const archived = await decidedDossier(tenant.id, archive.id, 1);
  const { dossier: pending } = await submitDossier(t.deps, guest(tenant.id), { procedure: remove.id, email: 'p@example.org', data: SUBSIDY_ANSWERS });

  const result = await sweepRetention(t.db, t.deps);
  assert.deepEqual({ ...result, reminded: 0, expired: 0 }, { archived: 1, anonymised: 1, deleted: 1, reminded: 0, expired: 0 });

  const rows = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{
      number: string;
      state: string;
      data: Record<string, unknown>;
      applicant_email: string | null;
      decided_at: Date | null;
      messages: string;
      outcome: string | null;
    }>(
      `select d.number::text as number, d.state, d.data, d.applicant_email, d.decided_at,
            (select count(*) from dossier_messages m where m.tenant_id = d.tenant_id and m.dossier_id = d.id)::text as messages, r.outcome
     from dossiers d left join dossier_retention r on r.tenant_id = d.tenant_id and r.dossier_id = d.id order by d.number`,
    ),
  );
  const by = new Map(rows.map((r) => [Number(r.number), r]));
  const anon = by.get(anonOld)!;
  assert.deepEqual(anon.data, { commune: '44109', domaine: 'Culture' }, 'only statistical answers are kept');
  assert.equal(anon.applicant_email, null);
  assert.equal(anon.messages, '0');
  assert.equal(anon.state, 'accepte');
  assert.ok(anon.decided_at, 'dates kept for statistics');
  assert.equal(anon.outcome, 'anonymise');
  assert.equal(by.get(anonRecent)!.data.siret, '73282932000074', 'not yet due');
  assert.equal(by.has(deleteOld), false);
  assert.ok(by.has(deleteRecent));
  assert.equal(by.get(archived)!.outcome, 'archive');
  assert.equal(by.get(archived)!.data.siret, '73282932000074', 'archived dossiers are kept whole');
  assert.equal(by.get(Number(pending.number))!.state, 'en_construction', 'undecided dossiers are never touched');

  assert.equal(await journalCount(tenant.id, 'procedures.dossier.retention.anonymise'), 1);
  assert.equal(await journalCount(tenant.id, 'procedures.dossier.retention.delete'), 1);
  assert.equal(await journalCount(tenant.id, 'procedures.dossier.retention.archive'), 1);
  const again = await sweepRetention(t.db, t.deps);
  assert.equal(again.anonymised + again.deleted + again.archived, 0, 'each dossier is handled once');
});

test('drafts: one reminder before expiry, deletion after the delay; the scheduled job runs the sweep', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  await updateOperationsSettings(
    t.db,
    principal(tenant.id, ['procedure_admin']),
    procedure.id,
    { drafts: { expire_after_days: 30, remind_before_days: 5 } },
    { allowHttp: false },
  );
  const draft = async (email: string, daysAgo: number) => {
    const { dossier } = await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email, data: { nom: 'En cours' }, draft: true });
    await t.db.transaction(tenant.id, (tx) =>
      tx.query(`update dossiers set updated_at = now() - make_interval(days => $2) where id = $1`, [dossier.id, daysAgo]),
    );
    return Number(dossier.number);
  };
  const fresh = await draft(`fresh-${tenant.slug}@example.org`, 10);
  const soon = await draft(`soon-${tenant.slug}@example.org`, 26);
  await draft(`old-${tenant.slug}@example.org`, 31); // past the 30 days: deleted, so not in `left` below

  await t.db.transaction(null, (tx) => tx.query(`insert into jobs (kind, payload) values ($1, '{}')`, [RETENTION_JOB]));
  await t.deps.jobs.drain();
  await sweepRetention(t.db, t.deps); // a second run sends no second reminder
  const mails = await t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { to: string; subject: string; text: string } }>(`select payload from jobs where kind = $1 and payload->>'to' like $2`, [
      MAIL_JOB,
      `%-${tenant.slug}@example.org`,
    ]),
  );
  assert.deepEqual(
    mails.map((m) => m.payload.to),
    [`soon-${tenant.slug}@example.org`],
  );
  assert.match(mails[0]!.payload.subject, new RegExp(`^Votre brouillon n° ${soon} sera supprimé le \\d{2}/\\d{2}/\\d{4}$`));
  assert.ok(mails[0]!.payload.text.includes(`/${tenant.slug}/dossiers/${soon}?code=`), 'a guest resumes through the private link');
  const left = await t.db.transaction(tenant.id, (tx) => tx.query<{ number: string }>(`select number::text as number from dossiers order by number`));
  assert.deepEqual(
    left.map((r) => Number(r.number)),
    [fresh, soon],
  );
  assert.equal(await journalCount(tenant.id, 'procedures.draft.expire'), 1);
  assert.equal(await journalCount(tenant.id, 'procedures.draft.remind'), 1);

  // Editing the draft after its reminder earns a new reminder next time it nears expiry.
  // (Both dates moved together: reminded 28 days ago, edited the day after, untouched since.)
  await t.db.transaction(tenant.id, async (tx) => {
    await tx.query(`update dossier_retention set draft_reminded_at = now() - interval '28 days'`);
    await tx.query(`update dossiers set updated_at = now() - interval '27 days' where number = $1`, [soon]);
  });
  const later = await sweepRetention(t.db, t.deps);
  assert.equal(later.reminded, 1);
});

// Following a debate: the phase sweep announces a started phase once, whatever the number of sweeps; the
// follow mail reaches followers only, with a signed unsubscribe link; a draft debate announces nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createPerson, type TestApp } from '../../../../test/helpers/app.ts';
import { kitsTenant } from '../../../../test/support/debates/kits.ts';
import { copyKitIntoDebate } from './actions/copy-kit.ts';
import { FOLLOW_MAIL_JOB, followDebate, followMailHandler, phaseSweepHandler, unsubscribeSignature } from './actions/follow.ts';
import { setDebateStatus } from '../debates.repository.ts';
import { today } from '../phases.ts';
import type { Job } from '../../../core/jobs/runner.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('a started phase is announced once to the followers, with a signed unsubscribe link', async () => {
  const a = await kitsTenant(t.db);
  const created = await copyKitIntoDebate(t.db, a.as(), { product: 'debat-local-5g' }, { startsOn: today() });
  const follower = await createPerson(t.db, { [a.tenant.id]: ['citizen'] });
  await createPerson(t.db, { [a.tenant.id]: ['citizen'] });
  const p = { ...a.as(['citizen']), personId: follower.id, actor: `person:${follower.id}` };
  const jobsOf = (kind: string) =>
    t.db.ownerTransaction((tx) =>
      tx.query<Job>('select id, tenant_id, kind, payload, attempts, max_attempts from jobs where tenant_id = $1 and kind = $2', [a.tenant.id, kind]),
    );
  await phaseSweepHandler(t.deps)();
  assert.equal((await jobsOf(FOLLOW_MAIL_JOB)).length, 0, 'a draft announces nothing');
  await t.db.ownerTransaction((tx) => tx.query('delete from debate_phase_notices where tenant_id = $1', [a.tenant.id]));
  await t.db.transaction(a.tenant.id, (tx) => setDebateStatus(tx, created.debate.id, 'published'));
  await followDebate(t.db, p, created.debate.slug, true);
  await phaseSweepHandler(t.deps)();
  await phaseSweepHandler(t.deps)();
  const announced = await jobsOf(FOLLOW_MAIL_JOB);
  assert.equal(announced.length, 1, 'once, however many sweeps');
  await followMailHandler(t.deps)(announced[0]!);
  const mails = await jobsOf('core.mail.send');
  assert.equal(mails.length, 1, 'the follower only');
  const mail = mails[0]!.payload as { to: string; subject: string; text: string };
  assert.equal(mail.to, follower.email);
  assert.match(mail.subject, /Nouvelle étape/);
  assert.ok(mail.text.includes(`signature=${unsubscribeSignature(t.deps.secret, a.tenant.id, created.debate.id, follower.id)}`));
});

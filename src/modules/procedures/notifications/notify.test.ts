// Notifications through a real SMTP server: the receipt email (with its PDF) at submission, an email per
// state change with the procedure's own template, the agent's message notice, and the daily digest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createTestTenant, createPerson, type TestApp } from '../../../../test/helpers/app.ts';
import { submitDossier } from '../actions/submit-dossier.ts';
import { trackingCodeFor } from '../tracking-code.ts';
import { transitionDossier } from '../actions/transition-dossier.ts';
import { agentMessage, citizenMessage } from '../actions/dossier-messages.ts';
import { assignDossier } from '../actions/assign-dossier.ts';
import { updateOperationsSettings } from '../operations/update-settings.ts';
import { sendDailyDigests } from './digest.ts';
import { fillTemplate } from './templates.ts';
import { startOpsApp, startSmtp, parseMail, principal, publishedProcedure, SUBSIDY_ANSWERS } from '../../../../test/support/procedures/ops.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
before(async () => {
  smtp = await startSmtp();
  t = await startOpsApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, BASTIDE_BASE_URL: 'https://bastide.example' });
});
after(async () => {
  await t.close();
  await smtp.stop();
});

const guest = (tenantId: string) => ({ ...principal(tenantId, []), actor: 'anonymous', viaToken: false });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email)).map((m) => parseMail(m.raw));

test('a guest gets the receipt email with the PDF and a private tracking link', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const email = `camille-${tenant.slug}@example.org`;
  const { dossier, trackingCode } = await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email, data: SUBSIDY_ANSWERS });
  assert.equal(mailsTo(email).length, 0, 'nothing leaves before the jobs run');
  await t.deps.jobs.drain();
  const [mail, ...others] = mailsTo(email);
  assert.equal(others.length, 0);
  assert.equal(mail!.subject, `Votre dossier n° ${dossier.number} a bien été déposé`);
  assert.ok(mail!.text.includes('« Demande de subvention associative »'), mail!.text);
  assert.ok(mail!.text.includes(`https://bastide.example/${tenant.slug}/dossiers/${dossier.number}?code=${trackingCode}`), mail!.text);
  assert.equal(trackingCode, trackingCodeFor(t.deps.secret, tenant.id, dossier.id));
  assert.equal(mail!.attachments.length, 1);
  const pdf = mail!.attachments[0]!;
  assert.equal(pdf.filename, `accuse-reception-${dossier.number}.pdf`);
  assert.equal(pdf.contentType, 'application/pdf');
  assert.ok(pdf.content.subarray(0, 8).toString('latin1').startsWith('%PDF-1.4'));
  if (spawnSync('pdftotext', ['-v']).status === 0) {
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf.content }).stdout.toString('utf8').replace(/\s+/g, ' ');
    for (const expected of [
      'Accusé de réception',
      'Demande de subvention associative',
      String(dossier.number),
      'Les Amis de l’École « Jean-Zay »',
      'Nantes',
      'Culture',
    ]) {
      assert.ok(text.includes(expected), `${expected} in ${text}`);
    }
  }
});

test('each state change emails the citizen with the procedure template, or the default one', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const admin = principal(tenant.id, ['procedure_admin']);
  await updateOperationsSettings(
    t.db,
    admin,
    procedure.id,
    {
      notifications: {
        templates: { refuse: { subject: 'Refus du dossier {numero}', body: 'Dossier {numero} ({demarche}) : {etat}. Motif : {motivation}. {inconnu} {lien}' } },
      },
    },
    { allowHttp: false },
  );
  const email = `dominique-${tenant.slug}@example.org`;
  const { dossier } = await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email, data: SUBSIDY_ANSWERS });
  const agent = principal(tenant.id, ['agent']);
  await transitionDossier(t.db, agent, Number(dossier.number), { to: 'en_instruction' });
  await transitionDossier(t.db, agent, Number(dossier.number), { to: 'refuse', motivation: 'Budget épuisé pour 2026' });
  await t.deps.jobs.drain();
  const mails = mailsTo(email);
  assert.deepEqual(
    mails.map((m) => m.subject),
    [
      `Votre dossier n° ${dossier.number} a bien été déposé`,
      `Votre dossier n° ${dossier.number} est en cours d’instruction`,
      `Refus du dossier ${dossier.number}`,
    ],
  );
  const refusal = mails[2]!;
  assert.ok(
    refusal.text.startsWith(
      `Dossier ${dossier.number} (Demande de subvention associative) : Refusé. Motif : Budget épuisé pour 2026. {inconnu} https://bastide.example/`,
    ),
    refusal.text,
  );
  assert.equal(refusal.attachments.length, 0);
});

test('an agent message is announced to the citizen, a private note is not', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const email = `lou-${tenant.slug}@example.org`;
  const { dossier } = await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email, data: SUBSIDY_ANSWERS });
  const agent = principal(tenant.id, ['agent']);
  await agentMessage(t.db, agent, Number(dossier.number), { body: 'Pouvez-vous joindre vos statuts ?' });
  await agentMessage(t.db, agent, Number(dossier.number), { body: 'Dossier incomplet', private: true });
  await t.deps.jobs.drain();
  const subjects = mailsTo(email).map((m) => m.subject);
  assert.deepEqual(subjects, [`Votre dossier n° ${dossier.number} a bien été déposé`, `Nouveau message sur votre dossier n° ${dossier.number}`]);
  assert.ok(!mailsTo(email)[1]!.text.includes('statuts'), 'the message itself stays on the site');

  // The citizen answers: the assigned agent is told.
  const assignee = await createPerson(t.db, { [tenant.id]: ['agent'] });
  await assignDossier(t.db, principal(tenant.id, ['procedure_admin']), Number(dossier.number), assignee.id);
  await citizenMessage(
    t.db,
    { ...guest(tenant.id), actor: `guest:${email}` },
    { id: dossier.id, number: Number(dossier.number) },
    { body: 'Voici nos statuts.' },
  );
  await t.deps.jobs.drain();
  const told = mailsTo(assignee.email);
  assert.equal(told.length, 1);
  assert.equal(told[0]!.subject, `Dossier n° ${dossier.number} : nouvelle réponse de l’usager`);
  assert.ok(told[0]!.text.includes(`/${tenant.slug}/instruction/dossiers/${dossier.number}`));
});

test('notifications can be switched off per procedure', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  await updateOperationsSettings(t.db, principal(tenant.id, ['procedure_admin']), procedure.id, { notifications: { enabled: false } }, { allowHttp: false });
  const email = `silence-${tenant.slug}@example.org`;
  await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email, data: SUBSIDY_ANSWERS });
  await t.deps.jobs.drain();
  assert.equal(mailsTo(email).length, 0);
});

test('placeholders: known ones filled, unknown ones kept, subjects stay on one line', () => {
  assert.equal(fillTemplate('{numero} {demarche} {x}', { numero: '12', demarche: 'Salle' }), '12 Salle {x}');
});

test('the daily digest goes once a day to each agent with work waiting, in their groups', async () => {
  const tenant = await createTestTenant(t.db);
  const procedure = await publishedProcedure(t, tenant.id);
  const agentA = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const idle = await createPerson(t.db, { [tenant.id]: ['agent'] });
  // idle belongs to a group no dossier is routed to; dossiers routed to no group are everyone's.
  const groupId = await t.db.transaction(tenant.id, async (tx) => {
    const g = await tx.one<{ id: string }>(`insert into agent_groups (tenant_id, name) values (app_tenant(), 'Autre') returning id`);
    await tx.query('insert into agent_group_members (tenant_id, group_id, person_id) values (app_tenant(), $1, $2)', [g!.id, idle.id]);
    return g!.id;
  });
  assert.ok(groupId);
  for (let i = 0; i < 2; i++)
    await submitDossier(t.deps, guest(tenant.id), { procedure: procedure.id, email: `d${i}-${tenant.slug}@example.org`, data: SUBSIDY_ANSWERS });
  // Only the digest jobs of this test matter here: run the function with a fixed time (9:00 Paris).
  const morning = new Date(Date.now() + 1000);
  morning.setUTCHours(8, 0, 0, 0);
  const before = smtp.received.length;
  await sendDailyDigests(t.db, t.config, new Date(morning.getTime() - 3 * 3600_000)); // 6:00 Paris: too early
  await sendDailyDigests(t.db, t.config, morning);
  await sendDailyDigests(t.db, t.config, new Date(morning.getTime() + 3600_000)); // an hour later: already sent today
  await t.deps.jobs.drain();
  const digests = smtp.received
    .slice(before)
    .filter((m) => m.to.includes(agentA.email) || m.to.includes(idle.email))
    .map((m) => ({ to: m.to[0], mail: parseMail(m.raw) }));
  assert.equal(digests.length, 2, 'one each: unrouted dossiers are seen by every agent');
  const a = digests.find((d) => d.to === agentA.email)!;
  assert.match(a.mail.subject, /2 nouveaux dossiers, 2 en attente$/);
  assert.ok(a.mail.text.includes('Depuis hier : 2 nouveaux dossiers déposés dans vos groupes.'), a.mail.text);
  assert.ok(a.mail.text.includes(`https://bastide.example/${tenant.slug}/instruction`));
});

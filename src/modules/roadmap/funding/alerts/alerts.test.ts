// Saved searches: a new programme that fits is mailed once (two runs, one mail), a programme closing soon too;
// the unsubscribe link stops the alert (a GET changes nothing); someone else's alert cannot be deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp } from '../../../../../test/helpers/app.ts';
import type { Tenant } from '../../../../core/tenancy/tenants.ts';
import { MAIL_JOB } from '../../../../core/mail/mail.ts';
import { seedProgrammes } from '../seed.ts';
import { sendFundingAlerts } from './alerts.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let agent: { id: string; email: string };

const mails = () =>
  t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { to: string; subject: string; text: string } }>(`select payload from jobs where kind = $1 and payload->>'to' = $2 order by id`, [
      MAIL_JOB,
      agent.email,
    ]),
  );

before(async () => {
  t = await startTestApp();
  a = await createTestTenant(t.db);
  b = await createTestTenant(t.db);
  agent = await createPerson(t.db, { [a.id]: ['agent'] });
  await seedProgrammes(t);
});
after(() => t.close());

test('a new programme that fits is mailed once, with an unsubscribe link that works', async () => {
  const browser = await browserFor(t, agent.id);
  const created = await postForm(t, browser, `/${a.slug}/admin/feuille-de-route/alertes`, { title: 'Inclusion', themes: ['inclusion'], text_query: '' });
  assert.equal(created.statusCode, 303, created.body);
  const bad = await postForm(t, browser, `/${a.slug}/admin/feuille-de-route/alertes`, { title: '', themes: ['nope'] });
  assert.equal(bad.statusCode, 422);

  // Programmes created before the alert are not news; one created after is, and one closing in 10 days too.
  await t.db.ownerTransaction((tx) =>
    tx.query(
      `insert into roadmap_programmes (slug, name, funder, nature, audiences, territory, themes, recurrence, closes_on, created_at)
       values ('tiers-lieux', 'Tiers-lieux numériques', 'Région', 'grant', '{commune}', '{FR}', '{inclusion}', 'one_off', null, now() + interval '1 second'),
              ('hors-sujet', 'Hors sujet', 'Région', 'grant', '{commune}', '{FR}', '{hosting}', 'one_off', null, now() + interval '1 second')`,
    ),
  );
  await t.db.ownerTransaction((tx) =>
    tx.query(`update roadmap_programmes set closes_on = current_date + 10 where slug = 'detr-dotation-d-equipement-des-territoires-ruraux'`),
  );
  const later = new Date(Date.now() + 5000);
  assert.equal(await sendFundingAlerts(t.db, t.config, later), 1);
  assert.equal(await sendFundingAlerts(t.db, t.config, later), 0, 'nothing announced twice');
  const sent = await mails();
  assert.equal(sent.length, 1);
  const text = sent[0]!.payload.text;
  assert.match(sent[0]!.payload.subject, /2 programmes de financement/);
  assert.match(text, /Tiers-lieux numériques/);
  assert.match(text, /Dotation d’équipement des territoires ruraux \(DETR\) \(clôture le/);
  assert.doesNotMatch(text, /Hors sujet/);
  const link = /\/feuille-de-route\/alertes\/desabonner\/[A-Za-z0-9_-]+/.exec(text)![0];

  // Another collectivité's staff cannot delete it; a GET of the link changes nothing; the form stops it.
  const other = await browserFor(t, (await createPerson(t.db, { [b.id]: ['tenant_admin'] })).id);
  const alertId = (await t.db.transaction(a.id, (tx) => tx.one<{ id: string }>('select id from roadmap_funding_alerts')))!.id;
  assert.equal((await postForm(t, other, `/${b.slug}/admin/feuille-de-route/alertes/${alertId}/supprimer`, {})).statusCode, 404);
  assert.equal((await t.app.inject({ url: `/${a.slug}${link}` })).statusCode, 200);
  assert.equal((await t.db.transaction(a.id, (tx) => tx.one<{ active: boolean }>('select active from roadmap_funding_alerts')))!.active, true);
  const anonymous = await browserFor(t, null);
  const stopped = await postForm(t, anonymous, `/${a.slug}${link}`, {});
  assert.match(stopped.body, /vous ne recevrez plus cette alerte/);
  assert.equal((await t.db.transaction(a.id, (tx) => tx.one<{ active: boolean }>('select active from roadmap_funding_alerts')))!.active, false);
  // The same link on another collectivité's address finds nothing.
  assert.match((await postForm(t, anonymous, `/${b.slug}${link}`, {})).body, /aucune alerte active/);
});

// The team's new-debate form and "save as kit" button through HTTP. Attacks first: a citizen and another
// collectivité's moderator are refused and nothing is written; a debate of another collectivité cannot be
// saved as a kit from one's own (404); bad dates come back with the row's message (fr/en) and what was
// typed, nothing written. Then a debate set up through the form, and saved as a kit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, createPerson, createTestTenant, postForm, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import { today } from '../phases.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const day = (offset: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const counts = (tenantId: string) =>
  t.db.transaction(tenantId, async (tx) => ({
    debates: Number((await tx.one<{ n: string }>('select count(*) as n from debates'))!.n),
    phases: Number((await tx.one<{ n: string }>('select count(*) as n from debate_phases'))!.n),
    kits: Number((await tx.one<{ n: string }>('select count(*) as n from debate_kits'))!.n),
  }));
const good = (title: string): Record<string, string> => ({
  title,
  presentation: 'Le projet de parc.',
  status: 'draft',
  moderation: 'pre',
  charter: 'Restez courtois.',
  'phases.0.kind': 'information',
  'phases.0.summary': 'On lit le projet.',
  'phases.0.starts_on': day(1),
  'phases.0.ends_on': day(10),
  'phases.1.kind': 'contributions',
  'phases.2.kind': 'synthesis',
  'phases.2.title': 'Le bilan',
  'phases.2.summary': 'On dit ce qui a été retenu.',
  'phases.2.starts_on': day(11),
  'phases.2.ends_on': day(20),
  'phases.3.kind': 'answers',
});
const postEnglish = (b: Browser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: `${b.cookie}; bastide_lang=en`, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    payload: new URLSearchParams({ _csrf: b.csrf, ...fields }).toString(),
  });

test('a citizen and another collectivité’s moderator cannot use the form; another’s debate is not saved as a kit', async () => {
  const a = await createTestTenant(t.db);
  const b = await createTestTenant(t.db);
  const citizen = await browserFor(t, (await createPerson(t.db, { [a.id]: ['citizen'] })).id);
  const bModerator = await browserFor(t, (await createPerson(t.db, { [b.id]: ['moderator'] })).id);
  const aModerator = await browserFor(t, (await createPerson(t.db, { [a.id]: ['moderator'] })).id);
  const url = `/${a.slug}/admin/concertations/nouvelle`;
  for (const who of [citizen, bModerator]) {
    assert.equal((await t.app.inject({ method: 'GET', url, headers: who.headers })).statusCode, 403);
    assert.equal((await postForm(t, who, url, good('Intrus'))).statusCode, 403);
  }
  const anonymous = await t.app.inject({ method: 'GET', url });
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/auth\/sign-in/);
  assert.deepEqual(await counts(a.id), { debates: 0, phases: 0, kits: 0 });
  const created = await postForm(t, aModerator, url, good('Parc des Oiseaux'));
  assert.equal(created.statusCode, 303, created.body);
  const slug = /concertations\/([a-z0-9-]+)\/moderation/.exec(String(created.headers.location))![1]!;
  // B's moderator names A's debate from B's own address: RLS keeps it out of sight.
  assert.equal((await postForm(t, bModerator, `/${b.slug}/concertations/${slug}/moderation/enregistrer-kit`, {})).statusCode, 404);
  assert.equal((await postForm(t, bModerator, `/${a.slug}/concertations/${slug}/moderation/enregistrer-kit`, {})).statusCode, 403);
  assert.equal((await postForm(t, citizen, `/${a.slug}/concertations/${slug}/moderation/enregistrer-kit`, {})).statusCode, 403);
  assert.equal((await counts(a.id)).kits, 0);
  assert.equal((await counts(b.id)).kits, 0);
  // Without the CSRF token, refused.
  const forged = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...aModerator.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'title=x',
  });
  assert.equal(forged.statusCode, 403);
});

test('bad dates and a missing title come back with each row’s message and the typed values (fr, en); nothing written', async () => {
  const a = await createTestTenant(t.db);
  const moderator = await browserFor(t, (await createPerson(t.db, { [a.id]: ['moderator'] })).id);
  const url = `/${a.slug}/admin/concertations/nouvelle`;
  const bad = { ...good(''), 'phases.2.starts_on': day(12), 'phases.2.ends_on': day(11), 'phases.0.ends_on': 'demain' };
  const fr = await postForm(t, moderator, url, bad);
  assert.equal(fr.statusCode, 422);
  assert.match(fr.body, /Ce champ est obligatoire\./);
  assert.match(fr.body, /id="f-phases\.2\.ends_on-error">La phase finit avant de commencer\./, 'the message is on the row typed in');
  assert.match(fr.body, /id="f-phases\.0\.ends_on-error">Date attendue au format AAAA-MM-JJ\./);
  assert.match(fr.body, /On dit ce qui a été retenu\./, 'typed values kept');
  assert.match(fr.body, /value="Le bilan"/);
  assert.match(fr.body, /id="f-moderation-pre" name="moderation" value="pre" checked/);
  const en = await postEnglish(moderator, url, bad);
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /The phase ends before it starts\./);
  assert.match(en.body, /This field is required\./);
  const none = await postForm(t, moderator, url, { title: 'Sans phase' });
  assert.equal(none.statusCode, 422);
  assert.match(none.body, /id="f-phases"/);
  assert.deepEqual(await counts(a.id), { debates: 0, phases: 0, kits: 0 });
});

test('a debate set up through the form, then saved as a kit from its team page', async () => {
  const a = await createTestTenant(t.db);
  const moderator = await browserFor(t, (await createPerson(t.db, { [a.id]: ['moderator'] })).id);
  const form = await t.app.inject({ method: 'GET', url: `/${a.slug}/admin/concertations/nouvelle`, headers: moderator.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /name="_csrf"/);
  const created = await postForm(t, moderator, `/${a.slug}/admin/concertations/nouvelle`, good('Parc des Oiseaux'));
  assert.equal(created.statusCode, 303, created.body);
  const teamPage = await t.app.inject({ method: 'GET', url: String(created.headers.location), headers: moderator.headers });
  assert.equal(teamPage.statusCode, 200);
  assert.match(teamPage.body, /La concertation est créée\./);
  assert.match(teamPage.body, /Modération a priori/);
  const rows = await t.db.transaction(a.id, (tx) =>
    tx.query<{ kind: string; title: string; summary: string; starts_on: string }>(
      `select p.kind, p.title, p.summary, p.starts_on::text from debate_phases p join debates d on d.tenant_id = p.tenant_id and d.id = p.debate_id
       where d.title = 'Parc des Oiseaux' and d.status = 'draft' and d.moderation = 'pre' order by p.position`,
    ),
  );
  assert.deepEqual(
    rows.map((r) => [r.kind, r.title, r.summary, r.starts_on]),
    [
      ['information', 'Information', 'On lit le projet.', day(1)],
      ['synthesis', 'Le bilan', 'On dit ce qui a été retenu.', day(11)],
    ],
  );
  const action = /action="([^"]+\/moderation\/enregistrer-kit)"/.exec(teamPage.body)![1]!;
  const saved = await postForm(t, moderator, action, { note: 'Premier modèle' });
  assert.equal(saved.statusCode, 303, saved.body);
  const kitPage = await t.app.inject({ method: 'GET', url: String(saved.headers.location), headers: moderator.headers });
  assert.equal(kitPage.statusCode, 200);
  assert.match(kitPage.body, /Parc des Oiseaux/);
  assert.equal((await counts(a.id)).kits, 1);
});

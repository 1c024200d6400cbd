// The team's pages on a debate (routes/staff-pages.ts) through HTTP. Attacks first: a citizen, another
// collectivité's moderator (on our address: 403; naming our debate from theirs: 404), an anonymous visitor
// and a form without its CSRF token change nothing; hostile input (markup, huge text, wrong dates, bad
// capacity) comes back with a localised message per field (fr and en) and nothing written. Then the team
// edits the presentation and phases, the FAQ and questions, the meetings — each change journaled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, createPerson, createTestTenant, postForm, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { translator } from '../../../core/i18n/i18n.ts';
import { createDebate } from '../actions/create-debate.ts';
import { today } from '../phases.ts';
import { addDays } from './kit-format.ts';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let moderator: Browser;
let citizen: Browser;
let bModerator: Browser;
let slug: string;
let debateId: string;
let phaseIds: string[];

before(async () => {
  t = await startTestApp();
  a = await createTestTenant(t.db);
  b = await createTestTenant(t.db);
  const mod = await createPerson(t.db, { [a.id]: ['moderator'] });
  moderator = await browserFor(t, mod.id);
  citizen = await browserFor(t, (await createPerson(t.db, { [a.id]: ['citizen'] })).id);
  bModerator = await browserFor(t, (await createPerson(t.db, { [b.id]: ['moderator'] })).id);
  const created = await createDebate(
    t.db,
    {
      tenantId: a.id,
      actor: `person:${mod.id}`,
      personId: mod.id,
      displayName: 'M',
      viaToken: false,
      roles: ['moderator'],
      t: translator('fr'),
      address: null,
    },
    {
      title: 'Parc des Oiseaux',
      presentation: 'Le projet.',
      status: 'published',
      phases: [
        { kind: 'information', summary: 'On lit.', starts_on: addDays(today(), -5), ends_on: addDays(today(), 5) },
        { kind: 'contributions', summary: 'On propose.', starts_on: addDays(today(), 6), ends_on: addDays(today(), 20) },
      ],
    },
  );
  slug = created.debate.slug;
  debateId = created.debate.id;
  phaseIds = created.phases.map((p) => p.id);
});
after(() => t.close());

const url = (path = '') => `/${a.slug}/concertations/${slug}/gestion${path}`;
/** Everything the team's pages may change, to compare before and after a refused request. */
const snapshot = () =>
  t.db.transaction(a.id, async (tx) => ({
    debate: await tx.one('select title, presentation, charter, status, moderation from debates where id = $1', [debateId]),
    phases: await tx.query('select title, summary, starts_on::text, ends_on::text from debate_phases where debate_id = $1 order by position', [debateId]),
    faq: await tx.query('select question, answer, position from debate_faq where debate_id = $1 order by position', [debateId]),
    questions: await tx.query('select addressee, text, position from debate_questions where debate_id = $1 order by position', [debateId]),
    meetings: await tx.query('select title, starts_at, ends_at, capacity, cancelled from debate_meetings where debate_id = $1 order by id', [debateId]),
    documents: await tx.query('select title, url from debate_documents where debate_id = $1 order by id', [debateId]),
    journal: Number((await tx.one<{ n: string }>("select count(*) as n from journal_entries where action like 'debates.%'"))!.n),
  }));
const setup = (over: Record<string, string> = {}): Record<string, string> => ({
  title: 'Parc des Oiseaux',
  presentation: 'Le projet du parc.',
  charter: '',
  status: 'published',
  moderation: 'post',
  'phases.0.id': phaseIds[0]!,
  'phases.0.title': 'Information',
  'phases.0.summary': 'On lit le projet.',
  'phases.0.starts_on': addDays(today(), -5),
  'phases.0.ends_on': addDays(today(), 7),
  'phases.1.id': phaseIds[1]!,
  'phases.1.title': 'Contributions',
  'phases.1.summary': 'On propose.',
  'phases.1.starts_on': addDays(today(), 8),
  'phases.1.ends_on': addDays(today(), 30),
  ...over,
});
const meeting = (over: Record<string, string> = {}): Record<string, string> => ({
  title: 'Atelier du parc',
  format: 'in_person',
  place: 'Salle des fêtes',
  online_url: '',
  day: addDays(today(), 10),
  start: '18:30',
  end: '20:00',
  capacity: '2',
  description: 'On dessine le parc.',
  ...over,
});
const postEnglish = (who: Browser, path: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: path,
    headers: { cookie: `${who.cookie}; bastide_lang=en`, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    payload: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
  });

test('a citizen, another collectivité’s moderator, an anonymous visitor and a forged form change nothing', async () => {
  const before = await snapshot();
  const meetingId = await t.db.transaction(
    a.id,
    async (tx) =>
      (await tx.one<{ id: string }>(
        `insert into debate_meetings (tenant_id, debate_id, title, format, starts_at, ends_at) values (app_tenant(), $1, 'Réunion', 'in_person', now() + interval '3 days', now() + interval '3 days 2 hours') returning id`,
        [debateId],
      ))!.id,
  );
  const snap = await snapshot();
  const posts: Array<[string, Record<string, string>]> = [
    ['', setup({ title: 'Piraté' })],
    ['/faq', { question: 'Piraté ?', answer: 'Oui.', do: 'save' }],
    ['/questions', { addressee: 'Opérateurs', text: 'Piraté ?', do: 'save' }],
    ['/reunions', meeting({ title: 'Piraté' })],
    [`/reunions/${meetingId}`, meeting({ title: 'Piraté' })],
    [`/reunions/${meetingId}/annuler`, {}],
    ['/documents/lien', { link_title: 'Piraté', url: 'https://exemple.fr/x.pdf' }],
  ];
  for (const page of ['', '/faq', '/questions', '/reunions', '/documents', '/donnees', `/reunions/${meetingId}`]) {
    assert.equal((await t.app.inject({ method: 'GET', url: url(page), headers: citizen.headers })).statusCode, 403, page);
    assert.equal((await t.app.inject({ method: 'GET', url: url(page), headers: bModerator.headers })).statusCode, 403, page);
    const anonymous = await t.app.inject({ method: 'GET', url: url(page) });
    assert.equal(anonymous.statusCode, 303, page);
    assert.match(String(anonymous.headers.location), /^\/auth\/sign-in/);
    // From B's own address, A's debate does not exist (row-level security).
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/${b.slug}/concertations/${slug}/gestion${page}`, headers: bModerator.headers })).statusCode,
      404,
      page,
    );
  }
  for (const [path, fields] of posts) {
    assert.equal((await postForm(t, citizen, url(path), fields)).statusCode, 403, path);
    assert.equal((await postForm(t, bModerator, url(path), fields)).statusCode, 403, path);
    assert.equal((await postForm(t, bModerator, `/${b.slug}/concertations/${slug}/gestion${path}`, fields)).statusCode, 404, path);
    const forged = await t.app.inject({
      method: 'POST',
      url: url(path),
      headers: { ...moderator.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    assert.equal(forged.statusCode, 403, `${path} without CSRF`);
  }
  assert.deepEqual(await snapshot(), snap);
  await t.db.transaction(a.id, (tx) => tx.execute('delete from debate_meetings where id = $1', [meetingId]));
  assert.deepEqual(await snapshot(), before);
});

test('hostile input comes back with a message per field (fr, en) and what was typed; nothing written', async () => {
  const before = await snapshot();
  const markup = await postForm(t, moderator, url(), setup({ presentation: 'Voir <script>alert(1)</script>', 'phases.1.summary': '<b>Gras</b>' }));
  assert.equal(markup.statusCode, 422);
  assert.match(markup.body, /id="f-presentation-error">Le texte contient du HTML ou du code/);
  assert.match(markup.body, /id="f-phases\.1\.summary-error">Le texte contient du HTML/);
  assert.match(markup.body, /Voir &lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'what was typed comes back, escaped');
  assert.doesNotMatch(markup.body, /<script>alert/);
  const huge = await postForm(t, moderator, url(), setup({ title: 'x'.repeat(201), presentation: 'y'.repeat(20_001) }));
  assert.equal(huge.statusCode, 422);
  assert.match(huge.body, /id="f-title-error">[^<]*200/);
  assert.match(huge.body, /id="f-presentation-error">[^<]*20000/);
  const dates = await postForm(
    t,
    moderator,
    url(),
    setup({ 'phases.0.ends_on': addDays(today(), -10), 'phases.1.starts_on': '2027-02-30', 'phases.1.ends_on': addDays(today(), 30) }),
  );
  assert.equal(dates.statusCode, 422);
  assert.match(dates.body, /id="f-phases\.0\.ends_on-error">La phase finit avant de commencer\./);
  assert.match(dates.body, /id="f-phases\.1\.starts_on-error">Date attendue au format AAAA-MM-JJ\./);
  const overlap = await postEnglish(moderator, url(), setup({ 'phases.1.starts_on': addDays(today(), 7) }));
  assert.equal(overlap.statusCode, 422);
  assert.match(overlap.body, /id="f-phases\.1\.starts_on-error">[^<]+/);
  const stale = await postForm(t, moderator, url(), setup({ 'phases.1.id': phaseIds[0]! }));
  assert.equal(stale.statusCode, 422);
  assert.match(stale.body, /Les phases ont changé/);
  const status = await postForm(t, moderator, url(), setup({ status: 'deleted' }));
  assert.equal(status.statusCode, 422);

  const faq = await postForm(t, moderator, url('/faq'), { question: 'Quoi <img src=x onerror=alert(1)> ?', answer: 'a'.repeat(5001), do: 'save' });
  assert.equal(faq.statusCode, 422);
  assert.match(faq.body, /id="f-new-question-error">Le texte contient du HTML/);
  assert.match(faq.body, /id="f-new-answer-error">[^<]*5000/);
  const faqEn = await postEnglish(moderator, url('/faq'), { question: '', answer: 'x', do: 'save' });
  assert.equal(faqEn.statusCode, 422);
  assert.match(faqEn.body, /This field is required\./);
  const question = await postForm(t, moderator, url('/questions'), { addressee: 'x'.repeat(201), text: '', do: 'save' });
  assert.equal(question.statusCode, 422);
  assert.match(question.body, /Ce champ est obligatoire\./);

  for (const [fields, field, message] of [
    [meeting({ end: '17:00' }), 'end', /La réunion finit avant de commencer\./],
    [meeting({ day: '2027-13-01' }), 'day', /Date attendue/],
    [meeting({ day: '1900-01-01' }), 'day', /Date attendue/],
    [meeting({ start: '25:00' }), 'start', /Heure attendue/],
    [meeting({ format: 'online', online_url: '' }), 'online_url', /obligatoire/],
    [meeting({ format: 'hybrid', online_url: 'javascript:alert(1)' }), 'online_url', /https:\/\//],
    [meeting({ capacity: '-3' }), 'capacity', /Nombre entier de places/],
    [meeting({ format: 'teleport' }), 'format', /Choisissez/],
    [meeting({ title: '<a href=x>piège</a>' }), 'title', /HTML/],
  ] as const) {
    const r = await postForm(t, moderator, url('/reunions'), fields);
    assert.equal(r.statusCode, 422, field);
    assert.match(r.body, new RegExp(`id="f-${field}(-error)?"`), field);
    assert.match(r.body, message, field);
  }
  const en = await postEnglish(moderator, url('/reunions'), meeting({ end: '17:00' }));
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /The meeting ends before it starts\./);
  assert.deepEqual(await snapshot(), before);
});

test('the team edits the presentation and the phases’ dates and summaries; journaled', async () => {
  const form = await t.app.inject({ method: 'GET', url: url(), headers: moderator.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /name="phases\.1\.summary"/);
  assert.match(form.body, /aria-current="page"/);
  const saved = await postForm(
    t,
    moderator,
    url(),
    setup({ presentation: 'Le projet du parc, version 2.', moderation: 'pre', 'phases.1.summary': 'Chacun propose.' }),
  );
  assert.equal(saved.statusCode, 303, saved.body);
  const s = await snapshot();
  assert.deepEqual(s.debate, { title: 'Parc des Oiseaux', presentation: 'Le projet du parc, version 2.', charter: '', status: 'published', moderation: 'pre' });
  assert.deepEqual(s.phases, [
    { title: 'Information', summary: 'On lit le projet.', starts_on: addDays(today(), -5), ends_on: addDays(today(), 7) },
    { title: 'Contributions', summary: 'Chacun propose.', starts_on: addDays(today(), 8), ends_on: addDays(today(), 30) },
  ]);
  const entry = await t.db.transaction(a.id, (tx) =>
    tx.one<{ data: { changed: string[] } }>("select data from journal_entries where action = 'debates.debate.update' order by at desc limit 1"),
  );
  assert.deepEqual(entry?.data.changed.sort(), ['moderation', 'presentation']);
  const page = await t.app.inject({ method: 'GET', url: String(saved.headers.location), headers: moderator.headers });
  assert.match(page.body, /La concertation est enregistrée\./);
  const publicPage = await t.app.inject({ method: 'GET', url: `/${a.slug}/concertations/${slug}` });
  assert.match(publicPage.body, /Chacun propose\./);
});

test('the FAQ and the questions to ask: add, edit, move, remove', async () => {
  for (const q of ['Qu’est-ce que le parc ?', 'Qui paie ?', 'Quand ?']) {
    const r = await postForm(t, moderator, url('/faq'), { question: q, answer: `Réponse à « ${q} ».`, do: 'save' });
    assert.equal(r.statusCode, 303, r.body);
  }
  const faqIds = async () =>
    t.db.transaction(a.id, (tx) =>
      tx.query<{ id: string; question: string }>('select id, question from debate_faq where debate_id = $1 order by position', [debateId]),
    );
  let items = await faqIds();
  assert.deepEqual(
    items.map((i) => i.question),
    ['Qu’est-ce que le parc ?', 'Qui paie ?', 'Quand ?'],
  );
  assert.equal((await postForm(t, moderator, url('/faq'), { id: items[2]!.id, do: 'up' })).statusCode, 303);
  assert.equal((await postForm(t, moderator, url('/faq'), { id: items[0]!.id, do: 'up' })).statusCode, 303, 'the first cannot go higher: nothing moves');
  assert.equal(
    (await postForm(t, moderator, url('/faq'), { id: items[1]!.id, question: 'Qui finance le parc ?', answer: 'La commune et la région.', do: 'save' }))
      .statusCode,
    303,
  );
  assert.equal((await postForm(t, moderator, url('/faq'), { id: items[0]!.id, do: 'remove' })).statusCode, 303);
  items = await faqIds();
  assert.deepEqual(
    items.map((i) => i.question),
    ['Quand ?', 'Qui finance le parc ?'],
  );
  const positions = await t.db.transaction(a.id, (tx) =>
    tx.query<{ position: number }>('select position from debate_faq where debate_id = $1 order by position', [debateId]),
  );
  assert.deepEqual(
    positions.map((p) => p.position),
    [0, 1],
  );
  // Another debate's item (or a made-up id) is not found through this debate.
  assert.equal((await postForm(t, moderator, url('/faq'), { id: '00000000-0000-4000-8000-000000000000', do: 'remove' })).statusCode, 404);
  assert.equal(
    (await postForm(t, moderator, url('/questions'), { addressee: 'Les opérateurs', text: 'Où seront les antennes ?', do: 'save' })).statusCode,
    303,
  );
  const info = await t.app.inject({ method: 'GET', url: `/${a.slug}/concertations/${slug}/informations` });
  assert.match(info.body, /Qui finance le parc \?/);
  assert.match(info.body, /Les opérateurs :<\/strong> Où seront les antennes \?/);
  const actions = await t.db.transaction(a.id, (tx) =>
    tx.query<{ action: string }>(
      "select distinct action from journal_entries where action like 'debates.faq.%' or action like 'debates.questions.%' order by action",
    ),
  );
  assert.deepEqual(
    actions.map((r) => r.action),
    ['debates.faq.add', 'debates.faq.move', 'debates.faq.remove', 'debates.faq.update', 'debates.questions.add'],
  );
  const page = await t.app.inject({ method: 'GET', url: url('/faq'), headers: moderator.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /value="Qui finance le parc \?"/);
});

test('meetings: create, edit, a capacity under the registrations refused, cancel and restore', async () => {
  const created = await postForm(t, moderator, url('/reunions'), meeting());
  assert.equal(created.statusCode, 303, created.body);
  const meetingId = /reunions\/([0-9a-f-]{36})/.exec(String(created.headers.location))![1]!;
  const row = () =>
    t.db.transaction(a.id, (tx) =>
      tx.one<{ title: string; place: string; capacity: number | null; cancelled: boolean; starts_at: Date; ends_at: Date }>(
        'select title, place, capacity, cancelled, starts_at, ends_at from debate_meetings where id = $1',
        [meetingId],
      ),
    );
  let m = (await row())!;
  assert.equal(m.ends_at.getTime() - m.starts_at.getTime(), 90 * 60_000);
  // Two people register (the meeting has 2 seats).
  for (let i = 0; i < 2; i++) {
    const person = await browserFor(t, (await createPerson(t.db, { [a.id]: ['citizen'] })).id);
    assert.equal((await postForm(t, person, `/${a.slug}/concertations/${slug}/reunions/${meetingId}/inscription`, {})).statusCode, 303);
  }
  const tooSmall = await postForm(t, moderator, url(`/reunions/${meetingId}`), meeting({ capacity: '1' }));
  assert.equal(tooSmall.statusCode, 422);
  assert.match(tooSmall.body, /2 personnes sont déjà inscrites/);
  const edited = await postForm(
    t,
    moderator,
    url(`/reunions/${meetingId}`),
    meeting({ format: 'hybrid', online_url: 'https://visio.exemple.fr/parc', place: 'Mairie', capacity: '' }),
  );
  assert.equal(edited.statusCode, 303, edited.body);
  m = (await row())!;
  assert.equal(m.place, 'Mairie');
  assert.equal(m.capacity, null);
  assert.equal((await postForm(t, moderator, url(`/reunions/${meetingId}/annuler`), {})).statusCode, 303);
  assert.equal((await row())!.cancelled, true);
  // The two people registered are told by email, queued with the change.
  const mails = await t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { to: string; subject: string; text: string } }>("select payload from jobs where tenant_id = $1 and kind = 'core.mail.send'", [a.id]),
  );
  assert.equal(mails.filter((j) => j.payload.subject === 'Réunion annulée : « Atelier du parc »').length, 2);
  assert.ok(mails.every((j) => j.payload.text.includes(`/concertations/${slug}/reunions/${meetingId}`)));
  const ics = await t.app.inject({ method: 'GET', url: `/${a.slug}/concertations/${slug}/reunions.ics` });
  assert.match(ics.body, /STATUS:CANCELLED/);
  const page = await t.app.inject({ method: 'GET', url: url(`/reunions/${meetingId}`), headers: moderator.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Rétablir la réunion/);
  assert.equal((await postForm(t, moderator, url(`/reunions/${meetingId}/retablir`), {})).statusCode, 303);
  assert.equal((await row())!.cancelled, false);
  const actions = await t.db.transaction(a.id, (tx) =>
    tx.query<{ action: string }>("select action from journal_entries where subject_id = $1 and action not like '%register%' order by at", [meetingId]),
  );
  assert.deepEqual(
    actions.map((r) => r.action),
    ['debates.meeting.create', 'debates.meeting.update', 'debates.meeting.cancel', 'debates.meeting.restore'],
  );
  assert.equal((await t.app.inject({ method: 'GET', url: url('/reunions/00000000-0000-4000-8000-000000000000'), headers: moderator.headers })).statusCode, 404);
});

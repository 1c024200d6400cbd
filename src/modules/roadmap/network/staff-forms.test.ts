// The network secretariat's HTML forms through HTTP, with sessions and CSRF tokens. Attacks first: a member
// collectivité's administrator, another network's administrator, a citizen and an anonymous visitor cannot
// create, edit or remove anything (403, 404 at the other network's slug, sign-in for the anonymous), and
// nothing changes; hostile input (markup, huge text, dates in the wrong order, a seat for a collectivité that
// is not a member, a wrong file) comes back with a localised message beside each field and nothing stored.
// Then each form works, each change journaled; a member edits and withdraws its own declared solution, never
// another's; the network's privacy register lists the seats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp, type TestPerson } from '../../../../test/helpers/app.ts';
import { createTenant } from '../../../core/tenancy/create-tenant.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { renderPdf } from '../../procedures/index.ts';

let t: TestApp;
let net: Tenant;
let net2: Tenant;
let a: Tenant;
let b: Tenant;
let c: Tenant;
let netAdmin: TestPerson;
let net2Admin: TestPerson;
let aAdmin: TestPerson;
let aAgent: TestPerson;
let bAdmin: TestPerson;
let cAdmin: TestPerson;
let citizen: TestPerson;
let english: TestPerson;

async function network(name: string, slug: string): Promise<Tenant> {
  const r = await createTenant(t.db, { kind: 'network', name, slug });
  if (!r.ok) throw new Error(r.message);
  return r.tenant;
}
const json = (token: string, method: 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const count = (sql: string, params: unknown[] = []) => t.db.ownerTransaction(async (tx) => (await tx.one<{ n: number }>(sql, params))!.n);
const journaled = (action: string) => count(`select count(*)::int as n from journal_entries where tenant_id = $1 and action = $2`, [net.id, action]);
const as = (p: TestPerson | null) => browserFor(t, p?.id ?? null);
const g = () => `/${net.slug}/reseau/gestion`;
/** Everything the secretariat keeps, to check that a refused request changed nothing. */
const snapshot = () =>
  t.db.ownerTransaction(async (tx) => {
    const rows = await tx.query<{ k: string; v: string }>(
      `select 'bodies' as k, coalesce(string_agg(slug || ':' || kind || ':' || name || ':' || description, '|' order by slug), '') as v from network_bodies where tenant_id = $1
       union all select 'seats', coalesce(string_agg(seat_role || ':' || holder_name || ':' || holder_title || ':' || coalesce(since::text, '') || ':' || coalesce(until::text, ''), '|' order by id), '') from network_seats where tenant_id = $1
       union all select 'meetings', coalesce(string_agg(title || ':' || held_on || ':' || place || ':' || agenda::text, '|' order by id), '') from network_meetings where tenant_id = $1
       union all select 'contributions', coalesce(string_agg(slug || ':' || title || ':' || summary || ':' || body || ':' || state || ':' || visibility, '|' order by slug), '') from network_contributions where tenant_id = $1
       union all select 'versions', count(*)::text from network_contribution_versions where tenant_id = $1
       union all select 'events', coalesce(string_agg(slug || ':' || title || ':' || starts_on || ':' || ends_on, '|' order by slug), '') from network_events where tenant_id = $1
       union all select 'sessions', coalesce(string_agg(title || ':' || starts_at::text, '|' order by id), '') from network_event_sessions where tenant_id = $1
       union all select 'programmes', coalesce(string_agg(slug || ':' || name || ':' || link, '|' order by slug), '') from network_programmes where tenant_id = $1
       union all select 'journal', count(*)::text from journal_entries where tenant_id = $1`,
      [net.id],
    );
    return Object.fromEntries(rows.map((r) => [r.k, r.v]));
  });
const idOf = async (sql: string, params: unknown[] = []) => (await t.db.ownerTransaction((tx) => tx.one<{ id: string }>(sql, params)))!.id;

before(async () => {
  t = await startTestApp();
  net = await network('Réseau de la gestion', `gestion-${process.pid}`);
  net2 = await network('Un autre réseau', `autre-gestion-${process.pid}`);
  [a, b, c] = [await createTestTenant(t.db), await createTestTenant(t.db), await createTestTenant(t.db)];
  netAdmin = await createPerson(t.db, { [net.id]: ['tenant_admin'] });
  net2Admin = await createPerson(t.db, { [net2.id]: ['tenant_admin'] });
  aAdmin = await createPerson(t.db, { [a.id]: ['tenant_admin'] });
  aAgent = await createPerson(t.db, { [a.id]: ['agent'] });
  bAdmin = await createPerson(t.db, { [b.id]: ['tenant_admin'] });
  cAdmin = await createPerson(t.db, { [c.id]: ['tenant_admin'] });
  citizen = await createPerson(t.db, { [net.id]: ['citizen'], [a.id]: ['citizen'] });
  english = await createPerson(t.db, { [net.id]: ['tenant_admin'] });
  await t.db.ownerTransaction((tx) => tx.query(`update people set locale = 'en' where id = $1`, [english.id]));
  const token = await apiToken(t, net.id, 'tenant_admin', netAdmin.id);
  for (const [m, admin] of [
    [a, aAdmin],
    [b, bAdmin],
  ] as const) {
    assert.equal((await json(token, 'POST', `/api/v1/${net.slug}/reseau/invitations`, { member: m.slug })).statusCode, 204);
    assert.equal((await json(await apiToken(t, m.id, 'tenant_admin', admin.id), 'POST', `/api/v1/${m.slug}/reseaux/${net.slug}/adhesion`)).statusCode, 204);
  }
  assert.equal(
    (await json(token, 'POST', `/api/v1/${net.slug}/reseau/instances`, { slug: 'numerique', kind: 'commission', name: 'Commission' })).statusCode,
    201,
  );
  assert.equal(
    (await json(token, 'POST', `/api/v1/${net.slug}/reseau/instances/numerique/sieges`, { member: a.slug, seat_role: 'Co-présidence', holder_name: 'Élue A' }))
      .statusCode,
    201,
  );
  assert.equal(
    (await json(token, 'POST', `/api/v1/${net.slug}/reseau/instances/numerique/reunions`, { held_on: '2021-02-04', title: 'Réunion', agenda: ['Point 1'] }))
      .statusCode,
    201,
  );
  assert.equal((await json(token, 'POST', `/api/v1/${net.slug}/reseau/contributions`, { slug: 'cite', title: 'Contribution' })).statusCode, 201);
  assert.equal(
    (
      await json(token, 'POST', `/api/v1/${net.slug}/reseau/evenements`, {
        slug: 'forum',
        kind: 'forum',
        title: 'Forum',
        starts_on: '2021-03-17',
        ends_on: '2021-03-18',
      })
    ).statusCode,
    201,
  );
  assert.equal((await json(token, 'POST', `/api/v1/${net.slug}/reseau/programmes`, { slug: 'prod', name: 'Territoir’Prod' })).statusCode, 201);
  for (const slug of ['publik', 'nextcloud'])
    assert.equal((await json(token, 'POST', `/api/v1/${net.slug}/reseau/solutions`, { slug, name: slug, kind: 'software', theme: 'outils' })).statusCode, 201);
});
after(() => t.close());

test('a member’s administrator, another network’s administrator and a citizen can create, edit or remove nothing (403), anonymous is sent to sign in', async () => {
  const seat = await idOf('select id from network_seats where tenant_id = $1', [net.id]);
  const meeting = await idOf('select id from network_meetings where tenant_id = $1', [net.id]);
  const writes: Array<[string, Record<string, string>]> = [
    [`${g()}/instances/nouvelle`, { slug: 'bureau', kind: 'board', name: 'Bureau' }],
    [`${g()}/instances/numerique`, { kind: 'board', name: 'Pris' }],
    [`${g()}/instances/numerique/supprimer`, { confirm: 'yes' }],
    [`${g()}/instances/numerique/sieges/nouveau`, { member: a.slug, seat_role: 'Pris' }],
    [`${g()}/instances/numerique/sieges/${seat}`, { member: a.slug, seat_role: 'Pris' }],
    [`${g()}/instances/numerique/sieges/${seat}/supprimer`, {}],
    [`${g()}/instances/numerique/reunions/nouvelle`, { held_on: '2021-01-01', title: 'Pris' }],
    [`${g()}/instances/numerique/reunions/${meeting}`, { held_on: '2021-01-01', title: 'Pris' }],
    [`${g()}/contributions/nouvelle`, { slug: 'prise', title: 'Pris', visibility: 'public' }],
    [`${g()}/contributions/cite`, { title: 'Pris', visibility: 'public' }],
    [`${g()}/contributions/cite/adoption`, { body: 'numerique', adopted_on: '2021-02-04', visibility: 'public' }],
    [`${g()}/evenements/nouveau`, { slug: 'pris', kind: 'forum', title: 'Pris', starts_on: '2021-01-01', ends_on: '2021-01-02', online: 'no' }],
    [`${g()}/evenements/forum`, { kind: 'forum', title: 'Pris', starts_on: '2021-01-01', ends_on: '2021-01-02', online: 'no' }],
    [`${g()}/programmes/nouveau`, { slug: 'pris', name: 'Pris' }],
    [`${g()}/programmes/prod`, { name: 'Pris' }],
  ];
  const before = await snapshot();
  for (const person of [aAdmin, net2Admin, citizen]) {
    const browser = await as(person);
    assert.equal((await t.app.inject({ url: g(), headers: browser.headers })).statusCode, 403);
    assert.equal((await t.app.inject({ url: `${g()}/instances/numerique`, headers: browser.headers })).statusCode, 403);
    for (const [url, fields] of writes) assert.equal((await postForm(t, browser, url, fields)).statusCode, 403, `${url} as ${person.email}`);
  }
  const anonymous = await as(null);
  for (const [url, fields] of writes) {
    const r = await postForm(t, anonymous, url, fields);
    assert.equal(r.statusCode, 303, url);
    assert.match(String(r.headers.location), /^\/auth\/sign-in/);
  }
  // Another network's administrator at its own slug, with this network's ids and slugs: nothing there (RLS).
  const other = await as(net2Admin);
  const g2 = `/${net2.slug}/reseau/gestion`;
  assert.equal((await t.app.inject({ url: g2, headers: other.headers })).statusCode, 200);
  for (const url of [`${g2}/instances/numerique`, `${g2}/contributions/cite`, `${g2}/evenements/forum`, `${g2}/programmes/prod`])
    assert.equal((await t.app.inject({ url, headers: other.headers })).statusCode, 404, url);
  // (Creating at its own slug is its right: only the addresses naming this network's rows are tried.)
  for (const [url, fields] of writes.filter(([u]) => !/gestion\/[a-z]+\/nouve(au|lle)$/.test(u))) {
    const r = await postForm(t, other, url.replace(g(), g2), fields);
    assert.equal(r.statusCode, 404, url);
  }
  // A member collectivité's management address is not a network's: 404.
  assert.equal((await t.app.inject({ url: `/${a.slug}/reseau/gestion`, headers: (await as(aAdmin)).headers })).statusCode, 404);
  // A post without its CSRF token, by the network's own administrator: refused.
  const admin = await as(netAdmin);
  const noCsrf = await t.app.inject({
    method: 'POST',
    url: `${g()}/instances/nouvelle`,
    headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'slug=bureau&kind=board&name=Bureau',
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.deepEqual(await snapshot(), before);
});

test('hostile input: markup, huge text, bad identifiers and kinds get a message beside each field (fr, en), nothing stored', async () => {
  const admin = await as(netAdmin);
  const before = await snapshot();
  const body = await postForm(t, admin, `${g()}/instances/nouvelle`, {
    slug: 'Bureau <b>',
    kind: 'parlement',
    name: '<script>alert(1)</script>',
    description: 'x'.repeat(5001),
  });
  assert.equal(body.statusCode, 422);
  assert.match(body.body, /id="error-slug"[^>]*>Lettres minuscules/);
  assert.match(body.body, /id="error-kind"[^>]*>Choisissez une des valeurs proposées\./);
  assert.match(body.body, /id="error-name"[^>]*>Texte simple seulement/);
  assert.match(body.body, /id="error-description"[^>]*>Trop long : 5000 caractères au plus\./);
  assert.doesNotMatch(body.body, /<script>alert/);
  assert.match(body.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const reserved = await postForm(t, admin, `${g()}/instances/nouvelle`, { slug: 'nouvelle', kind: 'board', name: 'Bureau' });
  assert.match(reserved.body, /id="error-slug"[^>]*>Cet identifiant est réservé/);
  const taken = await postForm(t, admin, `${g()}/instances/nouvelle`, { slug: 'numerique', kind: 'board', name: 'Bureau' });
  assert.equal(taken.statusCode, 422);
  assert.match(taken.body, /id="error-slug"[^>]*>Cet identifiant est déjà utilisé/);
  const contribution = await postForm(t, admin, `${g()}/contributions/nouvelle`, {
    slug: 'longue',
    title: 'Titre',
    summary: 'ok',
    body: 'y'.repeat(100_001),
    topics: ['Cloud', '<img src=x onerror=alert(1)>'].join('\n'),
    visibility: 'everyone',
  });
  assert.equal(contribution.statusCode, 422);
  assert.match(contribution.body, /id="error-body"[^>]*>Trop long : 100000 caractères au plus\./);
  assert.match(contribution.body, /id="error-topics"[^>]*>Texte simple seulement/);
  assert.match(contribution.body, /id="error-visibility"/);
  const programme = await postForm(t, admin, `${g()}/programmes/nouveau`, { slug: 'p2', name: 'P &amp; Q', link: 'javascript:alert(1)' });
  assert.equal(programme.statusCode, 422);
  assert.match(programme.body, /id="error-name"[^>]*>Texte simple seulement/);
  assert.match(programme.body, /id="error-link"[^>]*>Adresse attendue en https:\/\//);
  const en = await postForm(t, await as(english), `${g()}/programmes/nouveau`, { slug: 'p3', name: '', link: 'http://example.org' });
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /id="error-name"[^>]*>This field is required\./);
  assert.match(en.body, /id="error-link"[^>]*>An https:\/\/ address expected/);
  assert.deepEqual(await snapshot(), before);
});

test('seats: a collectivité that is not a member, dates in the wrong order, markup — refused per field; then added, edited, removed, journaled', async () => {
  const admin = await as(netAdmin);
  const url = `${g()}/instances/numerique/sieges/nouveau`;
  const before = await snapshot();
  const bad = await postForm(t, admin, url, {
    member: c.slug,
    seat_role: 'r'.repeat(121),
    holder_name: '<a href="x">Nom</a>',
    holder_title: '',
    since: '2021-06-01',
    until: '2021-01-01',
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-member"[^>]*>Cette collectivité n’est pas membre du réseau\./);
  assert.match(bad.body, /id="error-seat_role"[^>]*>Trop long : 120 caractères au plus\./);
  assert.match(bad.body, /id="error-holder_name"[^>]*>Texte simple seulement/);
  assert.match(bad.body, /id="error-until"[^>]*>La fin doit venir après le début\./);
  assert.match(bad.body, /<div class="error-summary"/);
  const badDate = await postForm(t, admin, url, { member: a.slug, seat_role: 'Membre', since: '2021-02-30' });
  assert.match(badDate.body, /id="error-since"[^>]*>Date attendue au format AAAA-MM-JJ\./);
  // Another network's member: not this network's member either.
  const otherNet = await postForm(t, admin, url, { member: `${net2.slug}`, seat_role: 'Membre' });
  assert.match(otherNet.body, /id="error-member"/);
  assert.deepEqual(await snapshot(), before);

  const added = await postForm(t, admin, url, {
    member: b.slug,
    seat_role: 'Co-présidente',
    holder_name: 'Marie Curie',
    holder_title: 'vice-présidente',
    since: '2021-02-04',
    until: '2026-03-31',
  });
  assert.equal(added.statusCode, 303);
  assert.equal(await journaled('roadmap.network.seat.add'), 2);
  const seat = await idOf(`select id from network_seats where tenant_id = $1 and holder_name = 'Marie Curie'`, [net.id]);
  const page = await t.app.inject({ url: `/${net.slug}/reseau/instances/numerique` });
  assert.match(page.body, /Marie Curie, vice-présidente \(jusqu’au 31 mars 2026\)/);
  const form = await t.app.inject({ url: `${g()}/instances/numerique/sieges/${seat}`, headers: admin.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /value="2026-03-31"/);
  const edited = await postForm(t, admin, `${g()}/instances/numerique/sieges/${seat}`, {
    member: b.slug,
    seat_role: 'Co-présidente',
    holder_name: 'Marie Curie',
    holder_title: 'présidente',
    since: '2021-02-04',
    until: '',
  });
  assert.equal(edited.statusCode, 303);
  assert.equal(await count(`select count(*)::int as n from network_seats where id = $1 and holder_title = 'présidente' and until is null`, [seat]), 1);
  assert.equal(await journaled('roadmap.network.seat.update'), 1);
  const badEdit = await postForm(t, admin, `${g()}/instances/numerique/sieges/${seat}`, {
    member: c.slug,
    seat_role: 'X',
    since: '2022-01-01',
    until: '2021-01-01',
  });
  assert.equal(badEdit.statusCode, 422);
  assert.equal(await count(`select count(*)::int as n from network_seats where id = $1 and member_tenant_id = $2`, [seat, b.id]), 1);
  assert.equal((await postForm(t, admin, `${g()}/instances/numerique/sieges/${seat}/supprimer`, {})).statusCode, 303);
  assert.equal(await count(`select count(*)::int as n from network_seats where id = $1`, [seat]), 0);
  assert.equal(await journaled('roadmap.network.seat.remove'), 1);
  assert.equal((await postForm(t, admin, `${g()}/instances/numerique/sieges/${seat}/supprimer`, {})).statusCode, 404);
});

test('bodies and meetings: created, edited; a meeting with a wrong date refused; a body that adopted a contribution cannot be removed, another can', async () => {
  const admin = await as(netAdmin);
  assert.equal(
    (await postForm(t, admin, `${g()}/instances/nouvelle`, { slug: 'bureau', kind: 'board', name: 'Bureau', description: 'Six élus.' })).statusCode,
    303,
  );
  assert.equal(await journaled('roadmap.network.body.create'), 2);
  assert.equal((await postForm(t, admin, `${g()}/instances/bureau`, { kind: 'board', name: 'Bureau du réseau', description: 'Huit élus.' })).statusCode, 303);
  assert.equal(await count(`select count(*)::int as n from network_bodies where tenant_id = $1 and name = 'Bureau du réseau'`, [net.id]), 1);
  assert.equal(await journaled('roadmap.network.body.update'), 1);

  const before = await snapshot();
  const bad = await postForm(t, admin, `${g()}/instances/bureau/reunions/nouvelle`, {
    held_on: '2021-13-01',
    title: '',
    agenda: Array(51).fill('Point').join('\n'),
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-held_on"/);
  assert.match(bad.body, /id="error-title"[^>]*>Ce champ est obligatoire\./);
  assert.match(bad.body, /id="error-agenda"[^>]*>50 éléments au plus\./);
  assert.deepEqual(await snapshot(), before);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/instances/bureau/reunions/nouvelle`, {
        held_on: '2021-05-10',
        title: 'Bureau de mai',
        place: 'Paris',
        agenda: 'Budget\r\n\r\nForum',
      })
    ).statusCode,
    303,
  );
  const meeting = await idOf(`select id from network_meetings where tenant_id = $1 and title = 'Bureau de mai'`, [net.id]);
  assert.equal(await count(`select count(*)::int as n from network_meetings where id = $1 and agenda = '["Budget","Forum"]'::jsonb`, [meeting]), 1);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/instances/bureau/reunions/${meeting}`, {
        held_on: '2021-05-11',
        title: 'Bureau de mai',
        place: 'Lyon',
        agenda: 'Budget',
      })
    ).statusCode,
    303,
  );
  assert.equal(await count(`select count(*)::int as n from network_meetings where id = $1 and place = 'Lyon' and held_on = '2021-05-11'`, [meeting]), 1);
  assert.equal(await journaled('roadmap.network.meeting.update'), 1);
  // The meeting belongs to the board: not reachable under the commission's address.
  assert.equal((await t.app.inject({ url: `${g()}/instances/numerique/reunions/${meeting}`, headers: admin.headers })).statusCode, 404);

  // Removing needs the confirmation box.
  const unconfirmed = await postForm(t, admin, `${g()}/instances/bureau/supprimer`, {});
  assert.equal(unconfirmed.statusCode, 422);
  assert.match(unconfirmed.body, /Cochez la case de confirmation/);
  assert.equal(await count(`select count(*)::int as n from network_bodies where tenant_id = $1 and slug = 'bureau'`, [net.id]), 1);
  assert.equal((await postForm(t, admin, `${g()}/instances/bureau/supprimer`, { confirm: 'yes' })).statusCode, 303);
  assert.equal(await count(`select count(*)::int as n from network_bodies where tenant_id = $1 and slug = 'bureau'`, [net.id]), 0);
  assert.equal(await count(`select count(*)::int as n from network_meetings where id = $1`, [meeting]), 0);
  assert.equal(await journaled('roadmap.network.body.remove'), 1);
});

function multipart(url: string, browser: { headers: Record<string, string>; csrf: string }, name: string, type: string, bytes: Buffer) {
  const boundary = 'xBOUNDARYx';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\nrelue\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `${url}?_csrf=${encodeURIComponent(browser.csrf)}`,
    headers: { ...browser.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

test('contributions: created with its text, edited, a new version of its document (a wrong file refused), adopted by a body on a date', async () => {
  const admin = await as(netAdmin);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/contributions/nouvelle`, {
        slug: 'cloud',
        title: 'Cloud souverain',
        summary: 'Un résumé.',
        body: 'Premier paragraphe.\n\nSecond paragraphe.',
        topics: 'Cloud\nDonnées',
        visibility: 'public',
      })
    ).statusCode,
    303,
  );
  assert.equal(await journaled('roadmap.network.contribution.create'), 2);
  // Drafts stay with the secretariat until adopted.
  assert.equal((await t.app.inject({ url: `/${net.slug}/reseau/contributions/cloud` })).statusCode, 404);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/contributions/cloud`, {
        title: 'Cloud souverain',
        summary: 'Résumé revu.',
        body: 'Un seul paragraphe.',
        topics: 'Cloud',
        visibility: 'public',
      })
    ).statusCode,
    303,
  );
  assert.equal(await journaled('roadmap.network.contribution.update'), 1);

  const url = `${g()}/contributions/cloud/versions`;
  const wrong = await multipart(url, admin, 'x.pdf', 'application/pdf', Buffer.from('<html>pas un PDF</html>'));
  assert.equal(wrong.statusCode, 422);
  assert.match(wrong.body, /id="error-file"/);
  assert.equal(await count('select count(*)::int as n from network_contribution_versions where tenant_id = $1', [net.id]), 0);
  const other = await as(aAdmin);
  assert.equal((await multipart(url, other, 'c.pdf', 'application/pdf', renderPdf({ title: 'v', blocks: [] }))).statusCode, 403);
  const ok = await multipart(url, admin, 'cloud.pdf', 'application/pdf', renderPdf({ title: 'Cloud', blocks: [{ type: 'paragraph', text: 'Texte' }] }));
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(await count('select count(*)::int as n from network_contribution_versions where tenant_id = $1', [net.id]), 1);
  assert.equal(await journaled('roadmap.network.contribution.version'), 1);

  const before = await snapshot();
  const bad = await postForm(t, admin, `${g()}/contributions/cloud/adoption`, { body: 'inconnue', adopted_on: '04/02/2021', visibility: 'public' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-body"[^>]*>Cette instance n’existe pas dans le réseau\./);
  assert.match(bad.body, /id="error-adopted_on"[^>]*>Date attendue/);
  assert.deepEqual(await snapshot(), before);
  assert.equal(
    (await postForm(t, admin, `${g()}/contributions/cloud/adoption`, { body: 'numerique', adopted_on: '2021-02-04', visibility: 'public' })).statusCode,
    303,
  );
  assert.equal(await journaled('roadmap.network.contribution.adopt'), 1);
  const pub = await t.app.inject({ url: `/${net.slug}/reseau/contributions/cloud` });
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /<p>Un seul paragraphe\.<\/p>/);
  assert.match(pub.body, /cloud\.pdf/);
  // The commission adopted it: it cannot be removed.
  const refused = await postForm(t, admin, `${g()}/instances/numerique/supprimer`, { confirm: 'yes' });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /a adopté une contribution/);
  assert.equal(await count(`select count(*)::int as n from network_bodies where tenant_id = $1 and slug = 'numerique'`, [net.id]), 1);
});

test('events: dates and programme times out of order refused per field; created with its programme, edited (a blank row removes a session)', async () => {
  const admin = await as(netAdmin);
  const before = await snapshot();
  const bad = await postForm(t, admin, `${g()}/evenements/nouveau`, {
    slug: 'forum-2022',
    kind: 'forum',
    title: 'Forum 2022',
    starts_on: '2022-03-18',
    ends_on: '2022-03-17',
    online: 'no',
    session_0_starts_at: '2022-03-17T10:00',
    session_0_ends_at: '2022-03-17T09:00',
    session_0_title: 'Ouverture',
    session_1_starts_at: '2022-05-01T10:00',
    session_1_ends_at: '2022-05-01T11:00',
    session_1_title: 'Hors dates',
    session_2_starts_at: 'demain',
    session_2_ends_at: '',
    session_2_title: '',
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="error-ends_on"[^>]*>La fin doit venir après le début\./);
  assert.match(bad.body, /id="error-session_0_ends_at"[^>]*>La fin doit venir après le début\./);
  assert.match(bad.body, /id="error-session_2_starts_at"[^>]*>Date et heure attendues/);
  assert.match(bad.body, /id="error-session_2_title"[^>]*>Ce champ est obligatoire\./);
  assert.match(bad.body, /value="Hors dates"/);
  assert.deepEqual(await snapshot(), before);

  const fields = {
    slug: 'forum-2022',
    kind: 'forum',
    title: 'Forum 2022',
    description: 'Deux jours.',
    starts_on: '2022-03-17',
    ends_on: '2022-03-18',
    place: 'Lyon',
    online: 'yes',
    session_0_starts_at: '2022-03-17T09:30',
    session_0_ends_at: '2022-03-17T10:00',
    session_0_title: 'Ouverture',
    session_0_speakers: 'La présidence',
    session_1_starts_at: '2022-03-18T14:00',
    session_1_ends_at: '2022-03-18T15:30',
    session_1_title: 'Cloud souverain',
    session_1_speakers: '',
    session_2_starts_at: '',
    session_2_ends_at: '',
    session_2_title: '',
    session_2_speakers: '',
  };
  const outside = await postForm(t, admin, `${g()}/evenements/nouveau`, {
    ...fields,
    session_1_starts_at: '2022-03-19T14:00',
    session_1_ends_at: '2022-03-19T15:00',
  });
  assert.match(outside.body, /id="error-session_1_starts_at"[^>]*>La séquence doit commencer pendant l’événement\./);
  assert.equal((await postForm(t, admin, `${g()}/evenements/nouveau`, fields)).statusCode, 303);
  assert.equal(await journaled('roadmap.network.event.create'), 2);
  // Paris local times: 09:30 in March is 08:30 UTC.
  assert.equal(
    await count(`select count(*)::int as n from network_event_sessions where tenant_id = $1 and starts_at = '2022-03-17T08:30:00Z' and title = 'Ouverture'`, [
      net.id,
    ]),
    1,
  );
  const form = await t.app.inject({ url: `${g()}/evenements/forum-2022`, headers: admin.headers });
  assert.match(form.body, /name="session_0_starts_at" type="datetime-local" value="2022-03-17T09:30"/);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/evenements/forum-2022`, {
        ...fields,
        title: 'Forum des membres 2022',
        session_0_starts_at: '',
        session_0_ends_at: '',
        session_0_title: '',
        session_0_speakers: '',
      })
    ).statusCode,
    303,
  );
  assert.equal(await journaled('roadmap.network.event.update'), 1);
  const pub = await t.app.inject({ url: `/${net.slug}/reseau/evenements/forum-2022` });
  assert.match(pub.body, /Forum des membres 2022/);
  assert.match(pub.body, /Cloud souverain/);
  assert.doesNotMatch(pub.body, /Ouverture/);
});

test('support programmes: created and edited', async () => {
  const admin = await as(netAdmin);
  assert.equal(
    (
      await postForm(t, admin, `${g()}/programmes/nouveau`, {
        slug: 'incubateur',
        name: 'Incubateur',
        description: 'Six mois.',
        link: 'https://example.org/incubateur',
      })
    ).statusCode,
    303,
  );
  assert.equal(
    (await postForm(t, admin, `${g()}/programmes/incubateur`, { name: 'Incubateur des territoires', description: 'Neuf mois.', link: '' })).statusCode,
    303,
  );
  assert.equal(
    await count(`select count(*)::int as n from network_programmes where tenant_id = $1 and name = 'Incubateur des territoires' and link = ''`, [net.id]),
    1,
  );
  assert.equal(await journaled('roadmap.network.programme.create'), 2);
  assert.equal(await journaled('roadmap.network.programme.update'), 1);
  const index = await t.app.inject({ url: g(), headers: (await as(netAdmin)).headers });
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /Incubateur des territoires/);
  const home = await t.app.inject({ url: `/${net.slug}/reseau`, headers: (await as(netAdmin)).headers });
  assert.match(home.body, new RegExp(`href="${g()}"`));
  assert.doesNotMatch((await t.app.inject({ url: `/${net.slug}/reseau` })).body, /reseau\/gestion/);
});

test('a declared solution: its member edits and withdraws its own declaration, never another member’s', async () => {
  const declare = (admin: TestPerson, m: Tenant, solution: string, referent: string) =>
    as(admin).then((br) =>
      postForm(t, br, `/${m.slug}/admin/reseaux/${net.slug}/solutions`, { solution, referent, opinion: '', since: '', visibility: 'public' }),
    );
  assert.equal((await declare(aAdmin, a, 'publik', 'DSI de A')).statusCode, 303);
  assert.equal((await declare(bAdmin, b, 'publik', 'DSI de B')).statusCode, 303);
  const uses = (m: Tenant) => count(`select count(*)::int as n from network_solution_uses where tenant_id = $1`, [m.id]);
  // The edit form holds the member's own declaration, with a withdraw button.
  const form = await t.app.inject({ url: `/${a.slug}/admin/reseaux/${net.slug}/solutions?solution=publik`, headers: (await as(aAdmin)).headers });
  assert.match(form.body, /value="DSI de A"/);
  assert.match(form.body, new RegExp(`action="/${a.slug}/admin/reseaux/${net.slug}/solutions/publik/retirer"`));
  // Withdrawing: the agent is refused, B's admin at A's address is refused, B withdrawing a solution it never declared: 404.
  assert.equal((await postForm(t, await as(aAgent), `/${a.slug}/admin/reseaux/${net.slug}/solutions/publik/retirer`, {})).statusCode, 403);
  assert.equal((await postForm(t, await as(bAdmin), `/${a.slug}/admin/reseaux/${net.slug}/solutions/publik/retirer`, {})).statusCode, 403);
  assert.equal((await postForm(t, await as(bAdmin), `/${b.slug}/admin/reseaux/${net.slug}/solutions/nextcloud/retirer`, {})).statusCode, 404);
  assert.equal((await postForm(t, await as(cAdmin), `/${c.slug}/admin/reseaux/${net.slug}/solutions/publik/retirer`, {})).statusCode, 404);
  assert.equal(await uses(a), 1);
  assert.equal(await uses(b), 1);
  // A edits, then withdraws its own.
  assert.equal((await declare(aAdmin, a, 'publik', 'Direction du numérique de A')).statusCode, 303);
  assert.equal(
    await count(`select count(*)::int as n from network_solution_uses where tenant_id = $1 and referent = 'Direction du numérique de A'`, [a.id]),
    1,
  );
  assert.equal((await postForm(t, await as(aAdmin), `/${a.slug}/admin/reseaux/${net.slug}/solutions/publik/retirer`, {})).statusCode, 303);
  assert.equal(await uses(a), 0);
  assert.equal(await uses(b), 1);
  assert.equal(await count(`select count(*)::int as n from journal_entries where tenant_id = $1 and action = 'roadmap.solutions.use.withdraw'`, [a.id]), 1);
  const page = await t.app.inject({ url: `/${net.slug}/reseau/solutions/publik` });
  assert.match(page.body, /DSI de B/);
  assert.doesNotMatch(page.body, /numérique de A/);
});

test('the privacy register: a network lists the seats of its bodies, a member collectivité does not', async () => {
  const page = await t.app.inject({ url: `/${net.slug}/legal/donnees-personnelles` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Réseau : sièges des instances/);
  const member = await t.app.inject({ url: `/${a.slug}/legal/donnees-personnelles` });
  assert.equal(member.statusCode, 200);
  assert.doesNotMatch(member.body, /sièges des instances/);
});

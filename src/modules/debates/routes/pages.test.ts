// The debates pages through HTTP with a browser's cookies and CSRF token: markup in a contribution is
// escaped, a hidden text never reaches a page, a form with a huge text comes back with the message and
// writes nothing, the per-address limit holds for signed-in people posting forms, a mediator's post records
// the consent, pre-moderation keeps a text from others until a moderator publishes it, the queue works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, createPerson, postForm, type TestApp } from '../../../../test/helpers/app.ts';
import { call, countRows, debatePath, debateTenant, openDebate } from '../../../../test/support/debates/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

test('the list, a debate with its steps and easy summaries, filters and pages; markup escaped', async () => {
  const a = await debateTenant(t, 4);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  await call(t, 'POST', url, a.tokens[0]!, { kind: 'proposal', title: '<img src=x onerror=alert(1)>', body: '<script>alert(2)</script>' });
  for (let i = 0; i < 22; i++) await call(t, 'POST', url, a.tokens[1 + (i % 3)]!, { kind: 'question', title: `Question ${i}`, body: 'Pourquoi ?' });
  const list = await get(`/${a.tenant.slug}/concertations`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`/concertations/${slug}`));
  const page = await get(`/${a.tenant.slug}/concertations/${slug}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /En bref :<\/strong> On propose\./);
  assert.match(page.body, /aria-current="step"/);
  assert.match(page.body, /23 contributions/);
  assert.match(page.body, /Page 1 sur 2/);
  assert.ok(!page.body.includes('<img src=x'), 'markup escaped');
  const proposals = await get(`/${a.tenant.slug}/concertations/${slug}?kind=proposal&phase=&status=&sort=supported`);
  assert.match(proposals.body, /1 contribution</);
  assert.match(proposals.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
  const second = await get(`/${a.tenant.slug}/concertations/${slug}?page=2&kind=question`);
  assert.match(second.body, /Page 2 sur 2/);
  // Nonsense filters are ignored, not an error.
  assert.equal((await get(`/${a.tenant.slug}/concertations/${slug}?kind=%3Cx%3E&page=-3&phase=zz`)).statusCode, 200);
  const id = (await call(t, 'GET', `${url}?kind=proposal`, null)).json().items[0].id;
  const one = await get(`/${a.tenant.slug}/concertations/${slug}/contributions/${id}`);
  assert.equal(one.statusCode, 200);
  assert.match(one.body, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  assert.ok(!one.body.includes('<script>alert'));
});

test('a hidden contribution and a hidden comment show their reason, never their words, on every page', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const id = (await call(t, 'POST', url, a.tokens[0]!, { kind: 'proposal', title: 'Titre injurieux', body: 'Texte injurieux' })).json().id;
  const comment = (await call(t, 'POST', `${url}/${id}/comments`, a.tokens[1]!, { body: 'Commentaire injurieux' })).json().id;
  await call(t, 'POST', `${url}/${id}/comments`, a.tokens[2]!, { body: 'Commentaire correct' });
  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const browser = await browserFor(t, moderator.id);
  const hideComment = await postForm(t, browser, `/${a.tenant.slug}/concertations/${slug}/moderation/masquer`, {
    contribution: id,
    comment,
    reason: 'Propos injurieux',
  });
  assert.equal(hideComment.statusCode, 303, hideComment.body);
  const hide = await postForm(t, browser, `/${a.tenant.slug}/concertations/${slug}/moderation/masquer`, {
    contribution: id,
    reason: 'Propos injurieux (charte, article 2)',
  });
  assert.equal(hide.statusCode, 303);
  const author = await browserFor(t, a.people[0]!.id);
  for (const cookie of [undefined, author.cookie, browser.cookie]) {
    for (const path of [
      `/${a.tenant.slug}/concertations/${slug}`,
      `/${a.tenant.slug}/concertations/${slug}/contributions/${id}`,
      `/${a.tenant.slug}/concertations/${slug}/moderation`,
    ]) {
      const res = await get(path, cookie);
      if (res.statusCode !== 200) continue;
      assert.ok(!/injurieux</.test(res.body.replace(/Propos injurieux[^<]*</g, '')), `${path} leaks a hidden text`);
      assert.ok(!res.body.includes('Titre injurieux') && !res.body.includes('Texte injurieux') && !res.body.includes('Commentaire injurieux'), path);
    }
  }
  const page = await get(`/${a.tenant.slug}/concertations/${slug}/contributions/${id}`);
  assert.match(page.body, /Masqué par la modération\. Motif : Propos injurieux \(charte, article 2\)/);
  assert.match(page.body, /Commentaire correct/);
  assert.equal(await countRows(t, a.tenant.id, "journal_entries where action = 'debates.content.hide'"), 2);
});

test('the contribute form: a huge text comes back with the message and nothing is written; the charter is asked once', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a, { charter: 'Respectez les autres participants.' });
  const browser = await browserFor(t, a.people[0]!.id);
  const action = `/${a.tenant.slug}/concertations/${slug}/contribuer`;
  const form = await get(action, browser.cookie);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Respectez les autres participants/);
  const huge = await postForm(t, browser, action, { kind: 'proposal', title: 'Titre', body: 'é'.repeat(10_050), accept_charter: 'yes' });
  assert.equal(huge.statusCode, 422);
  assert.match(huge.body, /10050 caractères pour 10000 au plus/);
  const noCharter = await postForm(t, browser, action, { kind: 'proposal', title: 'Titre', body: 'Texte' });
  assert.equal(noCharter.statusCode, 422);
  assert.match(noCharter.body, /Acceptez la charte/);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 0);
  assert.equal(await countRows(t, a.tenant.id, 'debate_charter_acceptances'), 0);
  const ok = await postForm(t, browser, action, {
    kind: 'opinion',
    stance: 'against',
    title: 'Contre',
    body: 'Texte',
    pseudonym: 'Camille44',
    accept_charter: 'yes',
  });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(await countRows(t, a.tenant.id, 'debate_charter_acceptances'), 1);
  const again = await get(action, browser.cookie);
  assert.ok(!again.body.includes('accept_charter'), 'accepted once, not asked again');
  const shown = await get(String(ok.headers.location));
  assert.match(shown.body, /Par Camille44/);
  assert.match(shown.body, /Avis · Contre/);
  // No CSRF token: refused.
  const forged = await t.app.inject({
    method: 'POST',
    url: action,
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'kind=proposal&title=x&body=y',
  });
  assert.equal(forged.statusCode, 403);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 1);
});

test('signed-in people posting forms from one address share its limit', async () => {
  const a = await debateTenant(t, 8);
  const { slug } = await openDebate(t, a);
  const action = `/${a.tenant.slug}/concertations/${slug}/contribuer`;
  const post = async (i: number) => {
    const browser = await browserFor(t, a.people[i % 8]!.id);
    return t.app.inject({
      method: 'POST',
      url: action,
      remoteAddress: '192.0.2.77',
      headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i}` },
      payload: new URLSearchParams({ _csrf: browser.csrf, kind: 'proposal', title: '', body: '' }).toString(),
    });
  };
  for (let i = 0; i < 60; i++) assert.equal((await post(i)).statusCode, 422);
  const limited = await post(60);
  assert.equal(limited.statusCode, 429);
  assert.match(limited.body, /Trop de participations depuis votre adresse réseau/);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 0);
});

test('a mediator posts with and for a person: the consent is recorded, the mediator is not the author', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const mediator = await createPerson(t.db, { [a.tenant.id]: ['mediator'] });
  const browser = await browserFor(t, mediator.id);
  const action = `/${a.tenant.slug}/concertations/${slug}/contribuer`;
  assert.match((await get(action, browser.cookie)).body, /mediation_name/);
  const missing = await postForm(t, browser, action, { kind: 'question', title: 'Antenne', body: 'Où ?', mediation_name: 'Mme Martin', mediation_how: '' });
  assert.equal(missing.statusCode, 422);
  const ok = await postForm(t, browser, action, {
    kind: 'question',
    title: 'Antenne',
    body: 'Où ?',
    mediation_name: 'Mme Martin',
    mediation_how: 'Accord oral à l’accueil de la mairie',
  });
  assert.equal(ok.statusCode, 303, /error-summary[\s\S]*?<\/ul>/.exec(ok.body)?.[0]);
  const row = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ author_person_id: string | null; mediation: { mediator_person_id: string; consent: { name: string; how: string } } }>(
      'select author_person_id, mediation from debate_contributions',
    ),
  );
  assert.equal(row!.author_person_id, null);
  assert.equal(row!.mediation.mediator_person_id, mediator.id);
  assert.deepEqual([row!.mediation.consent.name, row!.mediation.consent.how], ['Mme Martin', 'Accord oral à l’accueil de la mairie']);
  // Someone who is not a mediator cannot post for another person.
  const citizen = await browserFor(t, a.people[0]!.id);
  const refused = await postForm(t, citizen, action, { kind: 'question', title: 'A', body: 'B', mediation_name: 'X', mediation_how: 'Y' });
  assert.equal(refused.statusCode, 403);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 1);
});

test('pre-moderation: a text waits for a moderator, seen by its author only; the queue publishes it', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a, { moderation: 'pre' });
  const author = await browserFor(t, a.people[0]!.id);
  const posted = await postForm(t, author, `/${a.tenant.slug}/concertations/${slug}/contribuer`, {
    kind: 'proposal',
    title: 'En attente',
    body: 'Texte en attente',
  });
  assert.equal(posted.statusCode, 303);
  assert.match(String(posted.headers.location), /notice=pending/);
  const debatePage = `/${a.tenant.slug}/concertations/${slug}`;
  assert.ok(!(await get(debatePage)).body.includes('En attente'));
  assert.ok(!(await get(debatePage, (await browserFor(t, a.people[1]!.id)).cookie)).body.includes('En attente'));
  assert.match((await get(debatePage, author.cookie)).body, /En attente de modération/);
  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const mod = await browserFor(t, moderator.id);
  const queue = await get(`${debatePage}/moderation`, mod.cookie);
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, /Texte en attente/);
  const id = /name="contribution" value="([0-9a-f-]{36})"/.exec(queue.body)![1]!;
  assert.equal((await postForm(t, mod, `${debatePage}/moderation/publier`, { contribution: id })).statusCode, 303);
  assert.match((await get(debatePage)).body, /En attente/);
  assert.match((await get(`/${a.tenant.slug}/admin/concertations`, mod.cookie)).body, /0 texte à traiter/);
  // A citizen is refused the moderator's pages.
  assert.equal((await get(`${debatePage}/moderation`, author.cookie)).statusCode, 403);
  assert.equal((await postForm(t, author, `${debatePage}/moderation/masquer`, { contribution: id, reason: 'x' })).statusCode, 403);
  assert.equal(await countRows(t, a.tenant.id, "journal_entries where action = 'debates.content.approve'"), 1);
});

// A contribution after it is posted (migration 0740), through HTTP: the attacks first — someone else
// editing or withdrawing a contribution or taking back another's support, a hidden text edited to get
// round the moderators, an edit under pre-moderation, floods of edits, markup and huge texts —, then its
// page at its number with the official answer, the author's forms, withdrawal, supports taken back, and
// the open dataset following comments, supports, edits and withdrawals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, browserFor, createPerson, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { call, countRows, debatePath, debateTenant, openDebate, type DebateTenant } from '../../../test/support/debates/api.ts';
import { DATASET_JOB } from './kits/actions/results.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

let address = 0;
/** A PATCH (the shared `call` helper has no PATCH), each from its own address. */
function patch(url: string, token: string | null, body: unknown): Promise<LightMyRequestResponse> {
  address += 1;
  return t.app.inject({
    method: 'PATCH',
    url,
    remoteAddress: `10.78.${(address >> 8) & 255}.${address & 255}`,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: JSON.stringify(body),
  });
}

const proposal = { kind: 'proposal', title: 'Des capteurs près des écoles', body: 'Mesurer l’exposition devant chaque école.' };

interface Row {
  title: string;
  body: string;
  moderation: string;
  support_count: number;
  comment_count: number;
  number: number;
  edited_at: Date | null;
}
async function row(a: DebateTenant, id: string): Promise<Row> {
  return (await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<Row>('select title, body, moderation, support_count, comment_count, number, edited_at from debate_contributions where id = $1', [id]),
  ))!;
}
const journalCount = (a: DebateTenant, action: string) => countRows(t, a.tenant.id, `journal_entries where action = '${action}'`);

async function post(a: DebateTenant, slug: string, who: number, body: Record<string, unknown> = proposal): Promise<{ id: string; number: number }> {
  const res = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[who]!, body);
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  return { id, number: (await row(a, id)).number };
}

const queuedRefreshes = (debateId: string) =>
  t.db.ownerTransaction(async (tx) =>
    Number(
      (await tx.one<{ n: string }>(`select count(*) as n from jobs where kind = $1 and state = 'queued' and payload->>'debateId' = $2`, [
        DATASET_JOB,
        debateId,
      ]))!.n,
    ),
  );

async function publishedCsv(a: DebateTenant, slug: string): Promise<string> {
  const page = await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/donnees/contributions-${slug}` });
  assert.equal(page.statusCode, 200, 'the dataset is published');
  const link = /class="button" href="([^"]+\/telecharger)"/.exec(page.body)![1]!;
  return (await t.app.inject({ method: 'GET', url: link })).body;
}

test('nobody but its author edits or withdraws a contribution, nor takes back another person’s support: nothing changes', async () => {
  const a = await debateTenant(t);
  const b = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const { id, number } = await post(a, slug, 0);
  const question = await post(a, slug, 0, { kind: 'question', title: 'Combien d’antennes ?', body: 'Dans ma commune.' });
  const url = `${debatePath(a, slug)}/contributions`;
  assert.equal((await call(t, 'POST', `${url}/${id}/supports`, a.tokens[2]!)).statusCode, 201);
  const before = await row(a, id);
  const journal = await countRows(t, a.tenant.id, "journal_entries where action like 'debates.%'");
  for (const token of [a.tokens[1]!, a.moderator, a.mediator, b.moderator]) {
    for (const ref of [id, String(number)]) {
      const edit = await patch(`${url}/${ref}`, token, { title: 'Pris en main', body: 'Texte remplacé' });
      assert.ok([401, 403, 404].includes(edit.statusCode), `edit: ${edit.statusCode}`);
      const withdraw = await call(t, 'POST', `${url}/${ref}/withdraw`, token);
      assert.ok([401, 403, 404].includes(withdraw.statusCode), `withdraw: ${withdraw.statusCode}`);
      // Taking back "a support" only ever deletes the caller's own: person 2's stays.
      const unsupport = await call(t, 'DELETE', `${url}/${ref}/supports`, token);
      assert.ok([401, 403, 404].includes(unsupport.statusCode), `unsupport: ${unsupport.statusCode}`);
    }
  }
  // Anonymous: sign in first.
  assert.equal((await patch(`${url}/${id}`, null, { title: 'x' })).statusCode, 401);
  assert.equal((await call(t, 'POST', `${url}/${id}/withdraw`, null)).statusCode, 401);
  assert.equal((await call(t, 'DELETE', `${url}/${id}/supports`, null)).statusCode, 401);
  // Another collectivité's path cannot reach it either.
  const { slug: bSlug } = await openDebate(t, b);
  assert.equal((await patch(`${debatePath(b, bSlug)}/contributions/${id}`, b.tokens[0]!, { title: 'x' })).statusCode, 404);
  // Through the pages, with a browser's session and CSRF token: same refusals.
  const intruder = await browserFor(t, a.people[1]!.id);
  const page = `/${a.tenant.slug}/concertations/${slug}/contributions/${number}`;
  assert.equal((await t.app.inject({ method: 'GET', url: `${page}/modifier`, headers: intruder.headers })).statusCode, 403);
  assert.equal((await postForm(t, intruder, `${page}/modifier`, { title: 'Pris', body: 'En main' })).statusCode, 403);
  assert.equal((await postForm(t, intruder, `${page}/retirer`, {})).statusCode, 403);
  assert.equal((await postForm(t, intruder, `${page}/retirer-soutien`, {})).statusCode, 404);
  // A form without the CSRF token is refused before anything.
  const author = await browserFor(t, a.people[0]!.id);
  const noCsrf = await t.app.inject({
    method: 'POST',
    url: `/${a.tenant.slug}/concertations/${slug}/contributions/${question.number}/retirer`,
    headers: { ...author.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  });
  assert.equal(noCsrf.statusCode, 403);

  assert.deepEqual(await row(a, id), before);
  assert.equal((await row(a, question.id)).moderation, 'visible');
  assert.equal(await countRows(t, a.tenant.id, 'debate_supports'), 1);
  assert.equal(await countRows(t, a.tenant.id, "journal_entries where action like 'debates.%'"), journal);
});

test('a hidden contribution cannot be edited or withdrawn; under pre-moderation an edit goes back to the queue', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const { id } = await post(a, slug, 0, { kind: 'proposal', title: 'Publicité', body: 'Achetez nos forfaits.' });
  assert.equal((await call(t, 'POST', `${url}/${id}/hide`, a.moderator, { reason: 'Publicité' })).statusCode, 204);
  const hidden = await row(a, id);
  const edit = await patch(`${url}/${id}`, a.tokens[0]!, { title: 'Un titre correct', body: 'Un texte correct.' });
  assert.equal(edit.statusCode, 409, edit.body);
  assert.match(edit.json().error.message, /masquée par la modération/);
  assert.equal((await call(t, 'POST', `${url}/${id}/withdraw`, a.tokens[0]!)).statusCode, 409);
  assert.deepEqual(await row(a, id), hidden);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contribution_versions'), 0);

  // Pre-moderation: let through, then edited → pending again, out of others' sight, in the queue.
  const pre = await openDebate(t, a, { moderation: 'pre' });
  const preUrl = `${debatePath(a, pre.slug)}/contributions`;
  const posted = await post(a, pre.slug, 0, { kind: 'question', title: 'Où sont les antennes ?', body: 'Près de la gare.' });
  assert.equal((await call(t, 'POST', `${preUrl}/${posted.id}/approve`, a.moderator, {})).statusCode, 204);
  assert.equal((await call(t, 'GET', `${preUrl}/${posted.number}`, null)).statusCode, 200);
  const edited = await patch(`${preUrl}/${posted.number}`, a.tokens[0]!, { body: 'Près de la gare. Et <b>insultes</b>.' });
  assert.equal(edited.statusCode, 200, edited.body);
  assert.equal(edited.json().moderation, 'pending');
  assert.equal((await row(a, posted.id)).moderation, 'pending');
  assert.equal((await call(t, 'GET', `${preUrl}/${posted.number}`, null)).statusCode, 404, 'hidden from the public until read again');
  assert.equal((await call(t, 'GET', `${preUrl}/${posted.number}`, a.tokens[1]!)).statusCode, 404);
  assert.equal((await call(t, 'GET', `${preUrl}/${posted.number}`, a.tokens[0]!)).statusCode, 200, 'its author still sees it');
  const queue = await call(t, 'GET', `${debatePath(a, pre.slug)}/moderation`, a.moderator);
  assert.ok(
    queue.json().items.some((i: { id: string }) => i.id === posted.id),
    'back in the moderators’ queue',
  );
  assert.equal((await call(t, 'GET', preUrl, null)).json().total, 0);
  // The text it replaced is kept for the team, the edit journaled.
  const versions = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ body: string; moderation: string }>('select body, moderation from debate_contribution_versions where contribution_id = $1', [posted.id]),
  );
  assert.deepEqual(versions, [{ body: 'Près de la gare.', moderation: 'visible' }]);
  assert.equal(await journalCount(a, 'debates.contribution.edit'), 1);
});

test('an edit: markup kept as text and escaped, huge texts refused with a message, not after a comment or support, rate-limited', async () => {
  const a = await debateTenant(t, 4);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const { id, number } = await post(a, slug, 0);
  const huge = await patch(`${url}/${id}`, a.tokens[0]!, { body: 'x'.repeat(10_001) });
  assert.equal(huge.statusCode, 422);
  assert.match(JSON.stringify(huge.json()), /10001 caractères pour 10000 au plus/);
  assert.equal((await patch(`${url}/${id}`, a.tokens[0]!, { title: 'y'.repeat(201) })).statusCode, 422);
  assert.equal((await patch(`${url}/${id}`, a.tokens[0]!, { title: '   ' })).statusCode, 422);
  assert.equal((await patch(`${url}/${id}`, a.tokens[0]!, { stance: 'for' })).statusCode, 422, 'a proposal has no stance');
  assert.equal((await patch(`${url}/${id}`, a.tokens[0]!, { body: 'x'.repeat(200_001) })).statusCode, 422);
  assert.equal((await row(a, id)).body, proposal.body);

  const ok = await patch(`${url}/${id}`, a.tokens[0]!, { title: '<img src=x onerror=alert(1)>', body: '<script>alert(2)</script>' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().number, number);
  const page = await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/concertations/${slug}/contributions/${number}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  assert.ok(!page.body.includes('<script>alert') && !page.body.includes('<img src=x'), 'markup escaped');
  assert.match(page.body, /Modifiée par son auteur le/);

  // Someone comments: the words others answered stay.
  assert.equal((await call(t, 'POST', `${url}/${id}/comments`, a.tokens[1]!, { body: 'Bonne idée.' })).statusCode, 201);
  const late = await patch(`${url}/${id}`, a.tokens[0]!, { body: 'Autre chose.' });
  assert.equal(late.statusCode, 409);
  assert.match(late.json().error.message, /commentée ou soutenue/);
  const supported = await post(a, slug, 0);
  assert.equal((await call(t, 'POST', `${url}/${supported.id}/supports`, a.tokens[1]!)).statusCode, 201);
  assert.equal((await patch(`${url}/${supported.id}`, a.tokens[0]!, { body: 'Autre chose.' })).statusCode, 409);

  // Edits count in the contributions' limit per person (10 per 10 minutes): the person posted 2 already.
  const mine = await post(a, slug, 3);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await patch(`${url}/${mine.id}`, a.tokens[3]!, { body: `Version ${i}` })).statusCode);
  assert.ok(statuses.includes(429), `rate limited: ${statuses.join(',')}`);
  const lastOk = statuses.lastIndexOf(200);
  assert.equal(statuses.indexOf(429), lastOk + 1, 'refused from the limit on');
  assert.equal((await row(a, mine.id)).body, `Version ${lastOk}`);
  assert.equal(await countRows(t, a.tenant.id, `debate_contribution_versions where contribution_id = '${mine.id}'`), lastOk + 1);
});

test('withdrawn: never deleted, "retirée par son auteur" in place of its words, out of lists, counts and the open dataset', async () => {
  const a = await debateTenant(t);
  const { slug, id: debateId } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const keep = await post(a, slug, 1, { kind: 'question', title: 'Quelle puissance ?', body: 'En V/m.' });
  const gone = await post(a, slug, 0, { kind: 'opinion', stance: 'against', title: 'Mon avis secret', body: 'Des mots que je retire.' });
  assert.equal((await call(t, 'POST', `${url}/${gone.id}/comments`, a.tokens[1]!, { body: 'Je ne suis pas d’accord.' })).statusCode, 201);
  assert.equal((await call(t, 'POST', `${url}/${gone.id}/reports`, a.tokens[2]!, { reason: 'off_topic' })).statusCode, 201);
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /Mon avis secret/);

  const withdrawn = await call(t, 'POST', `${url}/${gone.number}/withdraw`, a.tokens[0]!);
  assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  assert.equal(await queuedRefreshes(debateId), 1, 'the refresh is queued with the withdrawal');
  assert.equal((await call(t, 'POST', `${url}/${gone.id}/withdraw`, a.tokens[0]!)).statusCode, 409, 'once');
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 2, 'never deleted');
  assert.equal((await row(a, gone.id)).moderation, 'withdrawn');
  assert.equal(await countRows(t, a.tenant.id, 'debate_reports where resolution = $$withdrawn$$'), 1, 'its open report is closed');
  assert.equal(await journalCount(a, 'debates.contribution.withdraw'), 1);

  // The page says so, never the words nor the name; the comment stays. The API neither.
  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const team = await browserFor(t, moderator.id);
  for (const cookie of [undefined, (await browserFor(t, a.people[0]!.id)).cookie, team.cookie]) {
    const page = await t.app.inject({
      method: 'GET',
      url: `/${a.tenant.slug}/concertations/${slug}/contributions/${gone.number}`,
      headers: cookie ? { cookie } : {},
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /retirée par son auteur/);
    assert.ok(!page.body.includes('Mon avis secret') && !page.body.includes('Des mots que je retire'), 'its words are not sent');
    assert.match(page.body, /Je ne suis pas d’accord\./);
    const list = await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/concertations/${slug}`, headers: cookie ? { cookie } : {} });
    assert.ok(!list.body.includes('Mon avis secret'));
  }
  const read = (await call(t, 'GET', `${url}/${gone.number}`, a.moderator)).json();
  assert.equal(read.title, null);
  assert.equal(read.body, null);
  assert.equal(read.author, null);
  assert.equal(read.moderation, 'withdrawn');
  const list = (await call(t, 'GET', url, null)).json();
  assert.equal(list.total, 1);
  assert.deepEqual(
    list.items.map((i: { id: string }) => i.id),
    [keep.id],
  );
  // The team cannot put it back in front of the public.
  const approve = await postForm(t, team, `/${a.tenant.slug}/concertations/${slug}/moderation/publier`, { contribution: gone.id });
  assert.ok([303, 409].includes(approve.statusCode), approve.body);
  assert.equal((await row(a, gone.id)).moderation, 'withdrawn');

  await t.deps.jobs.drain();
  const csv = await publishedCsv(a, slug);
  assert.ok(!csv.includes('Mon avis secret'), 'out of the open dataset');
  assert.match(csv, /Quelle puissance/);

  // A supported proposal or an answered one is not withdrawn (Decidim's rule).
  const supported = await post(a, slug, 0);
  assert.equal((await call(t, 'POST', `${url}/${supported.id}/supports`, a.tokens[1]!)).statusCode, 201);
  const refused = await call(t, 'POST', `${url}/${supported.id}/withdraw`, a.tokens[0]!);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.json().error.message, /soutiennent déjà/);
  assert.equal((await row(a, supported.id)).moderation, 'visible');
});

test('a person takes back their own support; the count, the journal and the open dataset follow', async () => {
  const a = await debateTenant(t);
  const { slug, id: debateId } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const { id, number } = await post(a, slug, 0);
  await call(t, 'POST', `${url}/${id}/supports`, a.tokens[1]!);
  await call(t, 'POST', `${url}/${id}/supports`, a.tokens[2]!);
  await t.deps.jobs.drain();
  const back = await call(t, 'DELETE', `${url}/${number}/supports`, a.tokens[1]!);
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().support_count, 1);
  assert.equal(await queuedRefreshes(debateId), 1);
  const again = await call(t, 'DELETE', `${url}/${id}/supports`, a.tokens[1]!);
  assert.equal(again.statusCode, 404);
  assert.match(again.json().error.message, /ne soutenez pas/);
  assert.equal((await row(a, id)).support_count, 1);
  assert.equal(await countRows(t, a.tenant.id, `debate_supports where person_id = '${a.people[2]!.id}'`), 1, 'the other support stays');
  assert.equal(await journalCount(a, 'debates.proposal.unsupport'), 1);
  // Supported again after taking it back: one row, counted once.
  assert.equal((await call(t, 'POST', `${url}/${id}/supports`, a.tokens[1]!)).statusCode, 201);
  assert.equal((await row(a, id)).support_count, 2);
  // Through the page's form.
  const browser = await browserFor(t, a.people[2]!.id);
  const page = await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/concertations/${slug}/contributions/${number}`, headers: browser.headers });
  assert.match(page.body, /retirer-soutien/);
  const form = await postForm(t, browser, `/${a.tenant.slug}/concertations/${slug}/contributions/${number}/retirer-soutien`, {});
  assert.equal(form.statusCode, 303, form.body);
  assert.equal((await row(a, id)).support_count, 1);
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /,1,0,/);
});

test('comments and supports queue the open dataset’s refresh like posts do: one queued job per debate', async () => {
  const a = await debateTenant(t);
  const { slug, id: debateId } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const { id } = await post(a, slug, 0);
  await t.deps.jobs.drain();
  assert.equal(await queuedRefreshes(debateId), 0);
  assert.equal((await call(t, 'POST', `${url}/${id}/comments`, a.tokens[1]!, { body: 'Oui.' })).statusCode, 201);
  assert.equal(await queuedRefreshes(debateId), 1, 'queued with the comment');
  assert.equal((await call(t, 'POST', `${url}/${id}/supports`, a.tokens[1]!)).statusCode, 201);
  assert.equal((await call(t, 'POST', `${url}/${id}/supports`, a.tokens[2]!)).statusCode, 201);
  assert.equal(await queuedRefreshes(debateId), 1, 'still one');
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /Des capteurs près des écoles,Mesurer l’exposition devant chaque école\.,2,1,/);
  // A comment waiting for pre-moderation changes nothing yet.
  const pre = await openDebate(t, a, { moderation: 'pre' });
  const waiting = await post(a, pre.slug, 0);
  assert.equal((await call(t, 'POST', `${debatePath(a, pre.slug)}/contributions/${waiting.id}/approve`, a.moderator, {})).statusCode, 204);
  await t.deps.jobs.drain();
  assert.equal(
    (await call(t, 'POST', `${debatePath(a, pre.slug)}/contributions/${waiting.id}/comments`, a.tokens[1]!, { body: 'En attente.' })).statusCode,
    201,
  );
  assert.equal(await queuedRefreshes(pre.id), 0);
});

test('a contribution’s page at its number: text, official answer, supports, comments; its author’s forms work without script', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const { id, number } = await post(a, slug, 0);
  const opinion = await post(a, slug, 0, { kind: 'opinion', stance: 'for', title: 'Utile', body: 'Pour les entreprises.' });
  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const team = await browserFor(t, moderator.id);
  const answered = await postForm(t, team, `/${a.tenant.slug}/concertations/${slug}/reponse`, {
    contribution: id,
    status: 'retained',
    answer: 'Retenue : des mesures chaque année.',
  });
  assert.equal(answered.statusCode, 303, answered.body);
  const pageUrl = `/${a.tenant.slug}/concertations/${slug}/contributions/${number}`;
  const page = await t.app.inject({ method: 'GET', url: pageUrl });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`Contribution n° ${number}`));
  assert.match(page.body, /La réponse de la collectivité/);
  assert.match(page.body, /Retenue : des mesures chaque année\./);
  assert.match(page.body, /0 soutien/);
  // By id too; nonsense and unknown numbers are 404.
  assert.equal((await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/concertations/${slug}/contributions/${id}` })).statusCode, 200);
  for (const ref of ['999999999', '0', 'abc', '1e3', '-1'])
    assert.equal((await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/concertations/${slug}/contributions/${ref}` })).statusCode, 404, ref);
  const api = (await call(t, 'GET', `${url}/${number}`, null)).json();
  assert.equal(api.number, number);
  assert.equal(api.url, pageUrl);
  assert.deepEqual(api.answer.status, 'retained');
  // Answered: its author may no longer edit or withdraw it, and the page says why.
  const author = await browserFor(t, a.people[0]!.id);
  const mine = await t.app.inject({ method: 'GET', url: pageUrl, headers: author.headers });
  assert.match(mine.body, /Vous ne pouvez plus la modifier ni la retirer/);
  assert.ok(!mine.body.includes('/modifier"'));

  // The opinion: edit form, a refusal shown on the form, then the change.
  const opinionUrl = `/${a.tenant.slug}/concertations/${slug}/contributions/${opinion.number}`;
  const own = await t.app.inject({ method: 'GET', url: opinionUrl, headers: author.headers });
  assert.match(own.body, new RegExp(`href="${opinionUrl}/modifier"`));
  assert.match(own.body, new RegExp(`action="${opinionUrl}/retirer"`));
  const form = await t.app.inject({ method: 'GET', url: `${opinionUrl}/modifier`, headers: author.headers });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /value="Utile"/);
  const bad = await postForm(t, author, `${opinionUrl}/modifier`, { title: 'Utile', body: 'z'.repeat(10_001), stance: 'for' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /10001 caractères pour 10000 au plus/);
  const good = await postForm(t, author, `${opinionUrl}/modifier`, { title: 'Utile, mais', body: 'Si l’exposition est mesurée.', stance: 'neutral' });
  assert.equal(good.statusCode, 303, good.body);
  assert.equal(good.headers.location, `${opinionUrl}?notice=edited`);
  const changed = await row(a, opinion.id);
  assert.equal(changed.title, 'Utile, mais');
  assert.equal((await call(t, 'GET', `${url}/${opinion.number}`, null)).json().stance, 'neutral');
  // The team sees the text it replaced; the public does not.
  const teamView = await t.app.inject({ method: 'GET', url: opinionUrl, headers: team.headers });
  assert.match(teamView.body, /Versions précédentes \(équipe\)/);
  assert.match(teamView.body, /Pour les entreprises\./);
  assert.ok(!(await t.app.inject({ method: 'GET', url: opinionUrl })).body.includes('Pour les entreprises.'));
  const withdraw = await postForm(t, author, `${opinionUrl}/retirer`, {});
  assert.equal(withdraw.statusCode, 303);
  const after = await t.app.inject({ method: 'GET', url: `${opinionUrl}?notice=withdrawn`, headers: author.headers });
  assert.match(after.body, /Votre contribution est retirée\./);
  assert.match(after.body, /Contribution retirée par son auteur le/);
  // Withdrawn: its words, earlier ones included, are sent to nobody, the team included.
  const teamAfter = await t.app.inject({ method: 'GET', url: opinionUrl, headers: team.headers });
  assert.match(teamAfter.body, /Contribution retirée par son auteur le/);
  assert.ok(!teamAfter.body.includes('Pour les entreprises.') && !teamAfter.body.includes('Utile, mais'));
  // A report written afterwards is closed at once: the withdrawn text never reaches the moderators' queue.
  assert.equal((await call(t, 'POST', `${url}/${opinion.id}/reports`, a.tokens[1]!, { reason: 'spam' })).statusCode, 201);
  const queue = (await call(t, 'GET', `${debatePath(a, slug)}/moderation`, a.moderator)).json();
  assert.ok(!queue.items.some((i: { id: string }) => i.id === opinion.id));
});

test('the OpenAPI document describes editing, withdrawing and taking back a support', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const path = Object.keys(doc.paths).find((p) => /\/debates\/\{debate\}\/contributions\/\{contribution\}$/.test(p))!;
  assert.ok(doc.paths[path].patch, 'PATCH a contribution');
  assert.ok(doc.paths[path].patch.requestBody, 'with its body schema');
  assert.ok(doc.paths[`${path}/withdraw`].post);
  assert.ok(doc.paths[`${path}/supports`].delete);
});

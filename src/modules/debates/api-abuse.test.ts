// Attacks on the debates API, written before the features they attack: a second support, huge texts,
// another collectivité's moderator, a blocked participant, a hidden text read back, floods per person and
// per address, replies to replies, posting outside the contributions phase. Each refusal writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, apiToken, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { call, countRows, debatePath, debateTenant, openDebate } from '../../../test/support/debates/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const proposal = { kind: 'proposal', title: 'Des capteurs près des écoles', body: 'Mesurer l’exposition devant chaque école.' };

async function journalCount(tenantId: string): Promise<number> {
  return countRows(t, tenantId, "journal_entries where action like 'debates.%'");
}

test('one support per person: the second is a clear 409 and writes nothing', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const posted = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal);
  assert.equal(posted.statusCode, 201, posted.body);
  const url = `${debatePath(a, slug)}/contributions/${posted.json().id}/supports`;
  assert.equal((await call(t, 'POST', url, a.tokens[1]!)).statusCode, 201);
  const before = await journalCount(a.tenant.id);
  const again = await call(t, 'POST', url, a.tokens[1]!, undefined, { headers: { 'accept-language': 'fr' } });
  assert.equal(again.statusCode, 409);
  assert.match(again.json().error.message, /déjà cette proposition/);
  // Ten at once from one person: still one.
  await Promise.all(Array.from({ length: 10 }, () => call(t, 'POST', url, a.tokens[2]!)));
  assert.equal(await countRows(t, a.tenant.id, 'debate_supports'), 2);
  const read = await call(t, 'GET', `${debatePath(a, slug)}/contributions/${posted.json().id}`, null);
  assert.equal(read.json().support_count, 2);
  assert.equal(await journalCount(a.tenant.id), before + 1);
  // A question is not supported; anonymous visitors do not support.
  const question = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, kind: 'question' });
  assert.equal((await call(t, 'POST', `${debatePath(a, slug)}/contributions/${question.json().id}/supports`, a.tokens[1]!)).statusCode, 422);
  assert.equal((await call(t, 'POST', url, null)).statusCode, 401);
  assert.equal(await countRows(t, a.tenant.id, 'debate_supports'), 2);
});

test('huge texts are refused with a message naming the limit; markup is stored as text; nothing written', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const before = await journalCount(a.tenant.id);
  const huge = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, body: 'x'.repeat(10_001) });
  assert.equal(huge.statusCode, 422);
  assert.match(JSON.stringify(huge.json()), /10001 caractères pour 10000 au plus/);
  const enormous = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, body: 'x'.repeat(200_000) });
  assert.equal(enormous.statusCode, 422);
  const comment = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, title: 'y'.repeat(201) });
  assert.equal(comment.statusCode, 422);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 0);
  assert.equal(await journalCount(a.tenant.id), before);
  const script = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, title: '<script>alert(1)</script>' });
  assert.equal(script.statusCode, 201);
  const list = await call(t, 'GET', `${debatePath(a, slug)}/contributions`, null);
  assert.equal(list.json().items[0].title, '<script>alert(1)</script>', 'kept as text (pages escape it)');
});

test('another collectivité’s moderator cannot moderate, read the queue or block here', async () => {
  const a = await debateTenant(t);
  const b = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const posted = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal);
  const id = posted.json().id;
  const before = await journalCount(a.tenant.id);
  // B's moderator token on A's path, and a person who moderates B but is only a citizen of A.
  const both = await createPerson(t.db, { [b.tenant.id]: ['moderator'], [a.tenant.id]: ['citizen'] });
  const bothInA = await apiToken(t, a.tenant.id, 'citizen', both.id);
  for (const token of [b.moderator, bothInA, a.tokens[1]!]) {
    const hide = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${id}/hide`, token, { reason: 'Hors sujet' });
    assert.ok([401, 403, 404].includes(hide.statusCode), `hide: ${hide.statusCode}`);
    const queue = await call(t, 'GET', `${debatePath(a, slug)}/moderation`, token);
    assert.ok([401, 403, 404].includes(queue.statusCode), `queue: ${queue.statusCode}`);
    const block = await call(t, 'POST', `${debatePath(a, slug)}/blocks`, token, { person: a.people[0]!.id, reason: 'x' });
    assert.ok([401, 403, 404].includes(block.statusCode), `block: ${block.statusCode}`);
  }
  // B's moderator on B's path cannot reach A's contribution either.
  const { slug: bSlug } = await openDebate(t, b);
  assert.equal((await call(t, 'POST', `${debatePath(b, bSlug)}/contributions/${id}/hide`, b.moderator, { reason: 'x' })).statusCode, 404);
  const read = await call(t, 'GET', `${debatePath(a, slug)}/contributions/${id}`, null);
  assert.equal(read.json().moderation, 'visible');
  assert.equal(await journalCount(a.tenant.id), before);
});

test('a blocked participant cannot post, comment, support or report in that debate', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const other = await openDebate(t, a);
  const mine = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal);
  const theirs = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[1]!, proposal);
  const blocked = await call(t, 'POST', `${debatePath(a, slug)}/blocks`, a.moderator, { person: a.people[0]!.id, reason: 'Insultes répétées' });
  assert.equal(blocked.statusCode, 204, blocked.body);
  const rows = await countRows(t, a.tenant.id, 'debate_contributions');
  const tries = [
    await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal),
    await call(t, 'POST', `${debatePath(a, slug)}/contributions/${theirs.json().id}/comments`, a.tokens[0]!, { body: 'Non.' }),
    await call(t, 'POST', `${debatePath(a, slug)}/contributions/${theirs.json().id}/supports`, a.tokens[0]!),
    await call(t, 'POST', `${debatePath(a, slug)}/contributions/${theirs.json().id}/reports`, a.tokens[0]!, { reason: 'spam' }),
  ];
  for (const res of tries) assert.equal(res.statusCode, 403, res.body);
  assert.match(tries[0]!.json().error.message, /bloqué/);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), rows);
  assert.equal(await countRows(t, a.tenant.id, 'debate_comments'), 0);
  assert.equal(await countRows(t, a.tenant.id, 'debate_supports'), 0);
  assert.equal(await countRows(t, a.tenant.id, 'debate_reports'), 0);
  // Blocked from this debate only; and blocking someone who never wrote here is refused (no probing).
  assert.equal((await call(t, 'POST', `${debatePath(a, other.slug)}/contributions`, a.tokens[0]!, proposal)).statusCode, 201);
  assert.equal((await call(t, 'POST', `${debatePath(a, slug)}/blocks`, a.moderator, { person: a.people[2]!.id, reason: 'x' })).statusCode, 404);
  assert.ok(mine.statusCode === 201);
});

test('a hidden contribution’s text never comes back through the API, to anyone but in its reason', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const secret = 'Le numéro de téléphone de mon voisin est 06 00 00 00 00';
  const posted = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { ...proposal, title: 'Mon voisin', body: secret });
  const id = posted.json().id;
  await call(t, 'POST', `${debatePath(a, slug)}/contributions/${id}/comments`, a.tokens[1]!, { body: `Réponse : ${secret}` });
  const report = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${id}/reports`, a.tokens[1]!, { reason: 'personal_data' });
  assert.equal(report.statusCode, 201);
  assert.equal((await call(t, 'POST', `${debatePath(a, slug)}/contributions/${id}/reports`, a.tokens[1]!, { reason: 'spam' })).statusCode, 409);
  const hide = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${id}/hide`, a.moderator, { reason: 'Données personnelles' });
  assert.equal(hide.statusCode, 204, hide.body);
  for (const token of [null, a.tokens[0]!, a.tokens[1]!, a.moderator]) {
    for (const url of [
      `${debatePath(a, slug)}/contributions`,
      `${debatePath(a, slug)}/contributions/${id}`,
      `${debatePath(a, slug)}/contributions?sort=supported`,
    ]) {
      const res = await call(t, 'GET', url, token);
      assert.equal(res.statusCode, 200);
      assert.ok(!res.body.includes('06 00 00 00 00') || res.body.includes('Réponse'), `${url} leaks the hidden text`);
      assert.ok(!res.body.includes('Mon voisin'), `${url} leaks the hidden title`);
    }
  }
  const one = (await call(t, 'GET', `${debatePath(a, slug)}/contributions/${id}`, null)).json();
  assert.deepEqual([one.title, one.body, one.hide_reason], [null, null, 'Données personnelles']);
  // The report is dealt with; the queue no longer lists it.
  assert.equal((await call(t, 'GET', `${debatePath(a, slug)}/moderation`, a.moderator)).json().items.length, 0);
  const entries = await countRows(t, a.tenant.id, "journal_entries where action in ('debates.content.hide', 'debates.report.create')");
  assert.equal(entries, 2);
});

test('contributions and comments are limited per person, whatever the address; refused attempts count too', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  // 10 contributions in ten minutes, each from a new address.
  for (let i = 0; i < 10; i++) assert.equal((await call(t, 'POST', url, a.tokens[0]!, { ...proposal, title: '' })).statusCode, 422);
  const limited = await call(t, 'POST', url, a.tokens[0]!, proposal, { headers: { 'accept-language': 'fr' } });
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.match(limited.json().error.message, /Trop de contributions/);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 0);
  // 30 comments in ten minutes.
  const target = (await call(t, 'POST', url, a.tokens[1]!, proposal)).json().id;
  for (let i = 0; i < 30; i++) assert.equal((await call(t, 'POST', `${url}/${target}/comments`, a.tokens[2]!, { body: ' ' })).statusCode, 422);
  assert.equal((await call(t, 'POST', `${url}/${target}/comments`, a.tokens[2]!, { body: 'Oui' })).statusCode, 429);
  assert.equal(await countRows(t, a.tenant.id, 'debate_comments'), 0);
  // Another person is not affected.
  assert.equal((await call(t, 'POST', `${url}/${target}/comments`, a.tokens[1]!, { body: 'Oui' })).statusCode, 201);
});

test('comments one level deep: a reply to a reply, or to another contribution’s comment, is refused', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const first = (await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal)).json().id;
  const second = (await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal)).json().id;
  const root = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${first}/comments`, a.tokens[1]!, { body: 'Bonne idée' });
  assert.equal(root.statusCode, 201, root.body);
  const reply = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${first}/comments`, a.tokens[2]!, { body: 'Oui', parent: root.json().id });
  assert.equal(reply.statusCode, 201);
  const deeper = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${first}/comments`, a.tokens[2]!, { body: 'Et ?', parent: reply.json().id });
  assert.equal(deeper.statusCode, 422);
  const elsewhere = await call(t, 'POST', `${debatePath(a, slug)}/contributions/${second}/comments`, a.tokens[2]!, { body: 'Et ?', parent: root.json().id });
  assert.equal(elsewhere.statusCode, 422);
  assert.equal(await countRows(t, a.tenant.id, 'debate_comments'), 2);
});

test('outside the contributions phase, in a closed or draft debate, nothing can be posted', async () => {
  const a = await debateTenant(t);
  const { slug } = await openDebate(t, a, { phase: 'information' });
  const res = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, proposal, { headers: { 'accept-language': 'fr' } });
  assert.equal(res.statusCode, 409);
  assert.match(res.json().error.message, /phase de contributions/);
  const draft = await call(t, 'POST', `/api/v1/${a.tenant.slug}/debates`, a.moderator, {
    title: 'Brouillon',
    phases: [{ kind: 'contributions', starts_on: '2020-01-01', ends_on: '2099-12-31' }],
  });
  assert.equal((await call(t, 'POST', `${debatePath(a, draft.json().slug)}/contributions`, a.tokens[0]!, proposal)).statusCode, 404);
  assert.equal((await call(t, 'GET', `${debatePath(a, draft.json().slug)}`, null)).statusCode, 404);
  assert.equal(await countRows(t, a.tenant.id, 'debate_contributions'), 0);
  // A citizen cannot create a debate.
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/debates`, a.tokens[0]!, { title: 'X', phases: [] })).statusCode, 403);
});

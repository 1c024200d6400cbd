// The contributions' open dataset follows the debate (issue 15): a posted contribution queues its
// refresh in the same transaction, a burst of posts queues one job, a text hidden by the team leaves the
// published file at the next refresh and comes back when shown again; a text waiting for pre-moderation
// queues nothing. Read through HTTP (the catalogue's download), jobs run by the runner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, createPerson, postForm, type TestApp } from '../../../test/helpers/app.ts';
import { call, debatePath, debateTenant, openDebate, type DebateTenant } from '../../../test/support/debates/api.ts';
import { DATASET_JOB } from './kits/actions/results.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const queuedRefreshes = (debateId: string) =>
  t.db.ownerTransaction(async (tx) =>
    Number(
      (await tx.one<{ n: string }>(`select count(*) as n from jobs where kind = $1 and state = 'queued' and payload->>'debateId' = $2`, [
        DATASET_JOB,
        debateId,
      ]))!.n,
    ),
  );

/** The published CSV, as anyone downloads it from the catalogue. */
async function publishedCsv(a: DebateTenant, slug: string): Promise<string> {
  const page = await t.app.inject({ method: 'GET', url: `/${a.tenant.slug}/donnees/contributions-${slug}` });
  assert.equal(page.statusCode, 200, 'the dataset is published');
  const link = /class="button" href="([^"]+\/telecharger)"/.exec(page.body)![1]!;
  const file = await t.app.inject({ method: 'GET', url: link });
  assert.equal(file.statusCode, 200);
  return file.body;
}

test('posting, hiding and showing a contribution refresh the open dataset; a burst makes one refresh', async () => {
  const a = await debateTenant(t);
  const { slug, id } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  await t.deps.jobs.drain();
  await call(t, 'POST', url, a.tokens[0]!, { kind: 'proposal', title: 'Des capteurs près des écoles', body: 'Mesurer et publier.' });
  assert.equal(await queuedRefreshes(id), 1, 'queued with the contribution');
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /Des capteurs près des écoles/);

  const spam = (await call(t, 'POST', url, a.tokens[1]!, { kind: 'question', title: 'Achetez nos forfaits', body: 'Publicité.' })).json().id;
  await call(t, 'POST', url, a.tokens[2]!, { kind: 'question', title: 'Quelle puissance émise ?', body: 'En V/m.' });
  assert.equal(await queuedRefreshes(id), 1, 'a burst of posts queues one refresh');

  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const browser = await browserFor(t, moderator.id);
  const hide = await postForm(t, browser, `/${a.tenant.slug}/concertations/${slug}/moderation/masquer`, { contribution: spam, reason: 'Publicité' });
  assert.equal(hide.statusCode, 303, hide.body);
  await t.deps.jobs.drain();
  const afterHide = await publishedCsv(a, slug);
  assert.match(afterHide, /Quelle puissance émise \?/, 'the new contribution appears');
  assert.ok(!afterHide.includes('Achetez nos forfaits'), 'the hidden contribution left the dataset');

  const show = await postForm(t, browser, `/${a.tenant.slug}/concertations/${slug}/moderation/publier`, { contribution: spam });
  assert.equal(show.statusCode, 303, show.body);
  assert.equal(await queuedRefreshes(id), 1);
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /Achetez nos forfaits/, 'shown again, back in the dataset');
});

test('a text waiting for pre-moderation queues no refresh; letting it through does', async () => {
  const a = await debateTenant(t);
  const { slug, id } = await openDebate(t, a, { moderation: 'pre' });
  await t.deps.jobs.drain();
  const posted = await call(t, 'POST', `${debatePath(a, slug)}/contributions`, a.tokens[0]!, { kind: 'proposal', title: 'En attente', body: 'À valider.' });
  assert.equal(posted.json().moderation, 'pending');
  assert.equal(await queuedRefreshes(id), 0);
  const moderator = await createPerson(t.db, { [a.tenant.id]: ['moderator'] });
  const approve = await postForm(t, await browserFor(t, moderator.id), `/${a.tenant.slug}/concertations/${slug}/moderation/publier`, {
    contribution: posted.json().id,
  });
  assert.equal(approve.statusCode, 303, approve.body);
  assert.equal(await queuedRefreshes(id), 1);
  await t.deps.jobs.drain();
  assert.match(await publishedCsv(a, slug), /En attente/);
});

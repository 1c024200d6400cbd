// debatesMetrics: counts what the public sees, per collectivité, people once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { call, debatePath, debateTenant, openDebate } from '../../../test/support/debates/api.ts';
import { debatesMetrics } from './index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('participants, contributions, comments and supports of one collectivité, hidden texts left out', async () => {
  const a = await debateTenant(t);
  const b = await debateTenant(t);
  const { slug } = await openDebate(t, a);
  const url = `${debatePath(a, slug)}/contributions`;
  const body = { kind: 'proposal', title: 'Idée', body: 'Texte' };
  const first = (await call(t, 'POST', url, a.tokens[0]!, body)).json().id;
  const second = (await call(t, 'POST', url, a.tokens[0]!, body)).json().id;
  await call(t, 'POST', `${url}/${first}/supports`, a.tokens[1]!);
  await call(t, 'POST', `${url}/${first}/comments`, a.tokens[1]!, { body: 'Oui' });
  await call(t, 'POST', `${url}/${second}/hide`, a.moderator, { reason: 'Doublon' });
  const m = await debatesMetrics(t, a.tenant.id);
  assert.deepEqual(
    { debates: m.debates, participants: m.participants, contributions: m.contributions, comments: m.comments, supports: m.supports },
    { debates: 1, participants: 2, contributions: 1, comments: 1, supports: 1 },
  );
  assert.equal(m.contributionsPerMonth.length, 1);
  assert.equal((await debatesMetrics(t, b.tenant.id)).contributions, 0);
});

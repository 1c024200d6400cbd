// Instructing dossiers through the API: every legal and illegal transition, motivation, messages and
// notes, assignment, labels, bulk moves, the list with its filters and French search, groups and routing,
// and isolation between collectivités and between groups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, fileDossier, published, type ApiTenant } from '../../../test/support/procedures/api.ts';
import { DOSSIER_STATES, canTransition, type DossierState } from './dossier-states.ts';
import { submitDossier } from './actions/submit-dossier.ts';
import { translator } from '../../core/i18n/i18n.ts';

let t: TestApp;
let a: ApiTenant;
let slug: string;
before(async () => {
  t = await startTestApp();
  a = await apiTenant(t);
  slug = await published(t, a);
});
after(() => t.close());

const move = (number: number, to: string, motivation?: string, token = a.agent) =>
  call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/transitions`, token, motivation === undefined ? { to } : { to, motivation });

// A legal path from en_construction to each state.
const PATH: Record<Exclude<DossierState, 'brouillon'>, DossierState[]> = {
  en_construction: [],
  en_instruction: ['en_instruction'],
  accepte: ['en_instruction', 'accepte'],
  refuse: ['en_instruction', 'refuse'],
  sans_suite: ['en_instruction', 'sans_suite'],
};

test('every pair of states through HTTP: legal → 200 and recorded, illegal → 409 and nothing changed', async () => {
  for (const from of Object.keys(PATH) as Array<keyof typeof PATH>) {
    for (const to of DOSSIER_STATES) {
      const { number } = await fileDossier(t, a, slug);
      for (const step of PATH[from]) assert.equal((await move(number, step, 'motif')).statusCode, 200);
      const before = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${number}`, a.agent)).json();
      const res = await move(number, to, 'Motivation détaillée');
      const after = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${number}`, a.agent)).json();
      if (canTransition(from, to)) {
        assert.equal(res.statusCode, 200, `${from} → ${to}: ${res.body}`);
        assert.equal(res.json().state, to);
        assert.equal(after.history.length, before.history.length + 1);
        assert.deepEqual([after.history.at(-1).from_state, after.history.at(-1).to_state], [from, to]);
      } else {
        assert.equal(res.statusCode, 409, `${from} → ${to} should be illegal`);
        assert.deepEqual(after, before);
      }
    }
  }
  const journal = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from journal_entries where action = 'procedures.dossier.transition'`),
  );
  assert.equal(journal!.n, await countRows(t, a.tenant.id, `dossier_transitions where from_state is not null`));
});

test('refusing or dismissing needs a motivation (422, nothing changed); deciding then reopening clears it', async () => {
  const { number } = await fileDossier(t, a, slug);
  await move(number, 'en_instruction');
  for (const to of ['refuse', 'sans_suite']) {
    const res = await move(number, to, '   ');
    assert.equal(res.statusCode, 422);
    assert.match(res.json().errors.motivation[0], /motivation est obligatoire/);
  }
  const refused = await move(number, 'refuse', 'Salle déjà réservée ce jour-là.');
  assert.deepEqual([refused.json().state, refused.json().motivation], ['refuse', 'Salle déjà réservée ce jour-là.']);
  assert.ok(refused.json().decided_at);
  const reopened = (await move(number, 'en_instruction')).json();
  assert.deepEqual([reopened.motivation, reopened.decided_at], [null, null]);
  assert.equal((await move(number, 'archive')).statusCode, 422);
  const jobs = await t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { event: string; motivation?: string } }>(
      `select payload from jobs where tenant_id = $1 and kind = 'procedures.dossier.notify' and payload->>'dossierId' = $2 order by id`,
      [a.tenant.id, refused.json().id],
    ),
  );
  assert.deepEqual(
    jobs.map((j) => [j.payload.event, j.payload.motivation ?? null]),
    [
      ['submitted', null],
      ['state:en_instruction', null],
      ['state:refuse', 'Salle déjà réservée ce jour-là.'],
      ['state:en_instruction', null],
    ],
  );
});

test('a draft (brouillon) is the citizen’s: agents neither see nor move it', async () => {
  const draft = await submitDossier(
    t.deps,
    { tenantId: a.tenant.id, actor: 'token:x', personId: null, viaToken: true, roles: ['agent'], t: translator('fr') },
    { procedure: slug, data: { salle: 'Petite salle' }, draft: true },
  );
  assert.equal(draft.dossier.state, 'brouillon');
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${draft.dossier.number}`, a.agent)).statusCode, 404);
  assert.equal((await move(draft.dossier.number, 'en_instruction')).statusCode, 404);
});

test('messages to the citizen (notified) and private notes (not); both on the agent’s view', async () => {
  const { number } = await fileDossier(t, a, slug);
  const msg = await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/messages`, a.agent, { body: 'Merci de joindre une attestation.' });
  assert.equal(msg.statusCode, 201);
  const note = await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/notes`, a.agent, { body: 'Vérifier le calendrier.' });
  assert.equal(note.statusCode, 201);
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/messages`, a.agent, { body: '  ' })).statusCode, 422);
  const view = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${number}`, a.agent)).json();
  assert.deepEqual(
    view.messages.map((m: { visibility: string }) => m.visibility),
    ['public', 'private'],
  );
  const events = await t.db.ownerTransaction((tx) =>
    tx.query<{ payload: { event: string } }>(`select payload from jobs where tenant_id = $1 and payload->>'dossierId' = $2 order by id`, [
      a.tenant.id,
      view.id,
    ]),
  );
  assert.deepEqual(
    events.map((j) => j.payload.event),
    ['submitted', 'message'],
  );
});

test('assignment to staff only, labels, filters on them', async () => {
  const agent = await createPerson(t.db, { [a.tenant.id]: ['agent'] });
  const citizen = await createPerson(t.db, { [a.tenant.id]: ['citizen'] });
  const { number } = await fileDossier(t, a, slug);
  const base = `/api/v1/${a.tenant.slug}/dossiers/${number}`;
  assert.equal((await call(t, 'PUT', `${base}/assignee`, a.agent, { assignee: citizen.id })).statusCode, 422);
  // A staff row of an account whose address was never verified gives no right (issue 10 row 3): such a
  // person cannot be given a dossier either.
  const unverified = await createPerson(t.db, { [a.tenant.id]: ['agent'] });
  await t.db.ownerTransaction((tx) => tx.query('update people set email_verified_at = null where id = $1', [unverified.id]));
  assert.equal((await call(t, 'PUT', `${base}/assignee`, a.agent, { assignee: unverified.id })).statusCode, 422);
  assert.equal((await call(t, 'PUT', `${base}/assignee`, a.agent, { assignee: agent.id })).json().assignee_id, agent.id);
  assert.deepEqual((await call(t, 'PUT', `${base}/labels`, a.agent, { labels: ['urgent', 'mairie annexe', 'urgent'] })).json().labels, [
    'mairie annexe',
    'urgent',
  ]);
  assert.equal((await call(t, 'PUT', `${base}/labels`, a.agent, { labels: ['x'.repeat(51)] })).statusCode, 422);
  const byLabel = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers?labels=urgent`, a.agent)).json();
  assert.deepEqual(
    byLabel.items.map((i: { number: number }) => i.number),
    [number],
  );
  const mine = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers?assignee=${agent.id}`, a.agent)).json();
  assert.deepEqual(
    mine.items.map((i: { number: number }) => i.number),
    [number],
  );
});

test('bulk transitions: legal ones applied, illegal ones reported, each journaled', async () => {
  const one = await fileDossier(t, a, slug);
  const two = await fileDossier(t, a, slug);
  await move(two.number, 'en_instruction');
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/transitions`, a.agent, {
    numbers: [one.number, two.number, 999999999],
    to: 'en_instruction',
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    changed: [one.number],
    skipped: [
      { number: two.number, code: 'illegal_transition' },
      { number: 999999999, code: 'not_found' },
    ],
  });
});

test('two agents moving the same dossier at once: one wins, the other gets 409, one history step', async () => {
  const { number } = await fileDossier(t, a, slug);
  const results = await Promise.all([move(number, 'en_instruction'), move(number, 'en_instruction')]);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  const view = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${number}`, a.agent)).json();
  assert.deepEqual(
    view.history.map((h: { to_state: string }) => h.to_state),
    ['en_construction', 'en_instruction'],
  );
});

// The demo story through HTTP (issue 15, done means): Nantes Métropole runs the 5G debate copied from the
// kit, with contributions, a hidden one shown by its reason, official answers, a meeting with minutes,
// the fictitious ANFR sample as a table, the anonymised open dataset; Toulouse Métropole copied the same
// kit. Then the attacks on these pages: another collectivité's team cannot see Nantes's kit or draft,
// a full meeting refuses one more, the open dataset holds no name, the unsubscribe link must be signed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, browserFor, postForm, createPerson, type TestApp } from '../../../../test/helpers/app.ts';
import { seedDemo } from '../../../seed.ts';
import { DEMO_DEBATE } from './seed.ts';
import { contributionsCsv } from './actions/results.ts';
import { unsubscribeSignature } from './actions/follow.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await seedDemo(t.db, t.config);
});
after(() => t.close());

const N = `/nantes-metropole/concertations/${DEMO_DEBATE}`;
const get = async (url: string, personId: string | null = null) => {
  const b = await browserFor(t, personId);
  return t.app.inject({ method: 'GET', url, headers: b.headers });
};
const personOf = (email: string) => t.db.transaction(null, async (tx) => (await tx.one<{ id: string }>('select id from people where email = $1', [email]))!.id);
const tenantOf = (slug: string) => t.db.transaction(null, async (tx) => (await tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]))!.id);

test('the 5G debate of Nantes Métropole: information, radio sites, meetings with minutes and iCal, results', async () => {
  const info = await get(`${N}/informations`);
  assert.equal(info.statusCode, 200);
  assert.match(info.body, /Qu’est-ce que la 5G/);
  assert.match(info.body, /61 V\/m/);
  const sites = await get(`${N}/donnees/sites-radioelectriques`);
  assert.equal(sites.statusCode, 200);
  assert.match(sites.body, /FICTIF/);
  assert.match(sites.body, /0449990001/);
  assert.ok(!sites.body.includes('0319990001'), 'the Toulouse row of the sample is not a Nantes Métropole commune');
  const meetings = await get(`${N}/reunions`);
  assert.match(meetings.body, /reunions\.ics/);
  const ics = await get(`${N}/reunions.ics`);
  assert.equal(ics.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.equal(ics.body.match(/BEGIN:VEVENT/g)?.length, 2);
  const workshop = /reunions\/([0-9a-f-]{36})/.exec(meetings.body)![1]!;
  const withMinutes = await get(`${N}/reunions/${workshop}`);
  assert.match(withMinutes.body, /Compte rendu \(démonstration\)/);
  const results = await get(`${N}/resultats`);
  assert.match(results.body, /Publier les mesures d’exposition près des écoles/);
  assert.match(results.body, /Retenue/);
  assert.match(results.body, /À l’étude/);
  assert.match(results.body, /donnees\/contributions-debat-5g/);
});

test('the open dataset: published in the catalogue, no name, hidden contribution excluded', async () => {
  const nantes = await tenantOf('nantes-metropole');
  const csv = (
    await t.db.transaction(nantes, async (tx) =>
      contributionsCsv(tx, (await tx.one<{ id: string }>('select id from debates where slug = $1', [DEMO_DEBATE]))!.id),
    )
  ).toString();
  assert.ok(!csv.includes('Camille') && !csv.includes('Karim'), 'no display name');
  assert.ok(!csv.includes('Hors sujet'), 'the hidden contribution is left out');
  assert.match(csv, /^numero,type,position,phase,date,titre,texte,soutiens,commentaires,statut_reponse,reponse\r\n1,proposition/);
  const page = await get('/nantes-metropole/donnees/contributions-debat-5g');
  assert.equal(page.statusCode, 200);
  // The hidden contribution is shown by its reason on the debate's page (the contributions part's page).
  const debatePage = await get(N);
  assert.ok(!debatePage.body.includes('Un message publicitaire sans rapport'));
});

test('Toulouse Métropole copied the same kit; the kit page says who uses it; Toulouse cannot see Nantes’s library kit', async () => {
  const moderator = await personOf('moderateur@demo.bastide.fr');
  const toulouse = await get(`/toulouse-metropole/concertations/${DEMO_DEBATE}/informations`, moderator);
  assert.equal(toulouse.statusCode, 200, 'the team sees its draft');
  assert.equal((await get(`/toulouse-metropole/concertations/${DEMO_DEBATE}/informations`)).statusCode, 404, 'a draft is the team’s only');
  const productPage = await get('/toulouse-metropole/admin/concertations/kits/bastide/debat-local-5g', moderator);
  assert.equal(productPage.statusCode, 200);
  assert.match(productPage.body, /Toulouse Métropole/);
  const nantesKit = await get('/nantes-metropole/admin/concertations/kits/nantes-metropole/debat-local-5g', moderator);
  assert.match(nantesKit.body, /Nantes Métropole/);
  // Nantes's kit is shared with the collectivités Nantes Métropole hosts, not with Toulouse Métropole.
  assert.equal((await get('/toulouse-metropole/admin/concertations/kits/nantes-metropole/debat-local-5g', moderator)).statusCode, 404);
  const citizen = await personOf('citoyen@demo.bastide.fr');
  assert.equal((await get('/nantes-metropole/admin/concertations/kits', citizen)).statusCode, 403);
});

test('registration up to the capacity, the iCal of a meeting after registering, and the signed unsubscribe link', async () => {
  const nantes = await tenantOf('nantes-metropole');
  const meetings = await get(`${N}/reunions`);
  const ids = [...meetings.body.matchAll(/reunions\/([0-9a-f-]{36})/g)].map((m) => m[1]!);
  const future = ids[1]!;
  await t.db.ownerTransaction((tx) => tx.query('update debate_meetings set capacity = 1 where tenant_id = $1 and id = $2', [nantes, future]));
  const a = await createPerson(t.db, { [nantes]: ['citizen'] });
  const b = await createPerson(t.db, { [nantes]: ['citizen'] });
  const first = await postForm(t, await browserFor(t, a.id), `${N}/reunions/${future}/inscription`, {});
  assert.equal(first.statusCode, 303);
  const second = await postForm(t, await browserFor(t, b.id), `${N}/reunions/${future}/inscription`, {});
  assert.equal(second.statusCode, 409);
  const count = await t.db.ownerTransaction((tx) =>
    tx.one<{ n: number }>('select count(*)::int as n from debate_meeting_registrations where meeting_id = $1', [future]),
  );
  assert.equal(count!.n, 1);
  // Follow, then unsubscribe: a forged signature is refused, the signed link works.
  assert.equal((await postForm(t, await browserFor(t, a.id), `${N}/suivre`, { follow: 'yes' })).statusCode, 303);
  const anon = await browserFor(t, null);
  assert.equal((await postForm(t, anon, `${N}/desabonnement`, { personne: a.id, signature: 'x'.repeat(43) })).statusCode, 404);
  const debateId = (await t.db.transaction(nantes, (tx) => tx.one<{ id: string }>('select id from debates where slug = $1', [DEMO_DEBATE])))!.id;
  const ok = await postForm(t, anon, `${N}/desabonnement`, { personne: a.id, signature: unsubscribeSignature(t.deps.secret, nantes, debateId, a.id) });
  assert.equal(ok.statusCode, 200);
  const left = await t.db.ownerTransaction((tx) => tx.one<{ n: number }>('select count(*)::int as n from debate_follows where person_id = $1', [a.id]));
  assert.equal(left!.n, 0);
});

test('the demo seed is idempotent', async () => {
  await seedDemo(t.db, t.config);
  const n = await t.db.ownerTransaction((tx) => tx.one<{ n: number }>(`select count(*)::int as n from debates where slug = $1`, [DEMO_DEBATE]));
  assert.equal(n!.n, 2);
});

test('the 5G debate is run for Nantes Métropole’s member communes: Nantes lists it, Toulouse does not', async () => {
  const nantes = await get('/nantes/concertations');
  assert.match(nantes.body, /Concertation menée par Nantes Métropole pour ses membres/);
  assert.ok(nantes.body.includes(`href="${N}"`));
  assert.ok(!(await get('/toulouse/concertations')).body.includes(N));
  const api = (await get('/api/v1/reze/debates')).json<{ from_hosts: Array<{ url: string }> }>();
  assert.deepEqual(
    api.from_hosts.map((h) => h.url),
    [N],
  );
  assert.match((await get(N)).body, /Concertation menée pour ses membres : [^<]*Nantes/);
});

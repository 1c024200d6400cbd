// A programme's change trail (…/financements/<programme>/historique): the host operators read who changed
// what and when; a collectivité's staff read, at their own address, what changed and when but never who (the
// host team's names and addresses are personal data they have no need of); anyone else is refused. Attacks
// first. The trail is written in the change's own transaction and cannot be written by the application role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';

type Browser = Awaited<ReturnType<typeof browserFor>>;
let t: TestApp;
let a: Tenant;
let b: Tenant;
let host: Browser;
let hostEmail: string;
let hostToken: string;
let agentA: Browser;
let adminB: Browser;
let citizen: Browser;

const programme = {
  name: 'Tiers-lieux numériques de test',
  funder: 'Région Pays de la Loire',
  nature: 'grant',
  audiences: ['commune', 'epci'],
  territory: 'R:52',
  themes: ['inclusion'],
  max_rate: '50',
  max_amount: '100000',
  recurrence: 'annual',
};
const SLUG = 'tiers-lieux-numeriques-de-test';
const trail = (tenant: Tenant) => `/${tenant.slug}/feuille-de-route/financements/${SLUG}/historique`;
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

before(async () => {
  t = await startTestApp();
  [a, b] = [await createTestTenant(t.db), await createTestTenant(t.db)];
  const hostPerson = await createPerson(t.db, {}, { hostOperator: true });
  hostEmail = hostPerson.email;
  host = await browserFor(t, hostPerson.id);
  hostToken = await apiToken(t, a.id, 'tenant_admin', hostPerson.id);
  agentA = await browserFor(t, (await createPerson(t.db, { [a.id]: ['agent'] })).id);
  adminB = await browserFor(t, (await createPerson(t.db, { [b.id]: ['tenant_admin'] })).id);
  citizen = await browserFor(t, (await createPerson(t.db)).id);
  // Created through the host's form, then changed through the form and through the API.
  assert.equal((await postForm(t, host, `/${a.slug}/feuille-de-route/financements/nouveau`, programme)).statusCode, 303);
  const edited = await postForm(t, host, `/${a.slug}/feuille-de-route/financements/${SLUG}/modifier`, {
    ...programme,
    funder: 'Région Pays de la Loire — direction du numérique',
    max_rate: '60',
    themes: ['inclusion', 'data'],
  });
  assert.equal(edited.statusCode, 303, edited.body);
  const api = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${a.slug}/roadmap/programmes/${SLUG}`,
    headers: { authorization: `Bearer ${hostToken}` },
    payload: {
      ...programme,
      funder: 'Région Pays de la Loire — direction du numérique',
      max_rate: 60,
      max_amount: 120000,
      themes: ['inclusion', 'data'],
      territory: ['R:52'],
    },
  });
  assert.equal(api.statusCode, 200, api.body);
});
after(() => t.close());

test('anonymous visitors, people without a staff role and another collectivité’s staff at this address are refused', async () => {
  const anonymous = await t.app.inject({ url: trail(a) });
  assert.equal(anonymous.statusCode, 303, 'sent to sign in');
  assert.equal((await t.app.inject({ url: trail(a), headers: citizen.headers })).statusCode, 403);
  assert.equal((await t.app.inject({ url: trail(a), headers: adminB.headers })).statusCode, 403, 'B’s administrator at A’s address');
  // The programme's public page links the trail only for those who may read it.
  const pub = await t.app.inject({ url: `/${a.slug}/feuille-de-route/financements/${SLUG}` });
  assert.equal(pub.statusCode, 200);
  assert.doesNotMatch(pub.body, /historique/);
  // The application role cannot write the trail, not even for its own collectivité's transaction.
  await assert.rejects(
    t.db.transaction(a.id, (tx) =>
      tx.query(`insert into roadmap_programme_changes (programme_id, actor, action) select id, 'person:x', 'update' from roadmap_programmes where slug = $1`, [
        SLUG,
      ]),
    ),
  );
});

test('the host reads who changed what and when, each field from what to what', async () => {
  const res = await t.app.inject({ url: trail(a), headers: host.headers });
  assert.equal(res.statusCode, 200);
  const body = nbsp(res.body);
  const rows = [...body.matchAll(/<tr><td>[^<]+<\/td><td>([^<]*)<\/td><td>([\s\S]*?)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
  assert.equal(rows.length, 3, body);
  // Newest first: the API's change, the form's, the creation.
  assert.match(rows[0]![0]!, new RegExp(hostEmail.replace(/[.+]/g, '\\$&')));
  assert.match(rows[0]![1]!, /Montant maximal[^:]*: 100 000 € → 120 000 €/);
  assert.doesNotMatch(rows[0]![1]!, /Taux/, 'only what changed');
  assert.match(rows[1]![1]!, /Financeur[^:]*: Région Pays de la Loire → Région Pays de la Loire — direction du numérique/);
  assert.match(rows[1]![1]!, /Taux[^:]*: 50 % → 60 %/);
  assert.match(rows[1]![1]!, /Thématiques[^:]*: Inclusion[^→]*→ Inclusion[^,<]*, Données/);
  assert.match(rows[2]![1]!, /Création du programme/);
  const link = await t.app.inject({ url: `/${a.slug}/feuille-de-route/financements/${SLUG}`, headers: host.headers });
  assert.match(link.body, new RegExp(`href="/${a.slug}/feuille-de-route/financements/${SLUG}/historique"`));
});

test('a collectivité’s staff read the same changes at their own address, without who made them', async () => {
  for (const [who, tenant] of [
    [agentA, a],
    [adminB, b],
  ] as const) {
    const res = await t.app.inject({ url: trail(tenant), headers: who.headers });
    assert.equal(res.statusCode, 200);
    const body = nbsp(res.body);
    assert.match(body, /Financeur[^:]*: Région Pays de la Loire → Région Pays de la Loire — direction du numérique/);
    assert.match(body, /Montant maximal[^:]*: 100 000 € → 120 000 €/);
    assert.doesNotMatch(body, new RegExp(hostEmail.replace(/[.+]/g, '\\$&')));
    assert.doesNotMatch(body, /person:|<th scope="col">Auteur/);
    assert.match(body, /Le nom de l’auteur n’est montré qu’à cette équipe/);
  }
  const page = await t.app.inject({ url: `/${a.slug}/feuille-de-route/financements/${SLUG}`, headers: agentA.headers });
  assert.match(page.body, /historique/);
});

// Funding programmes are the installation's: read by everyone, written by the host operator only. The
// attacks first: a collectivité's administrator (session or token) cannot create or edit one, even by
// writing the table directly; bad input is refused per field, in French and English, with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, browserFor, createPerson, createTestTenant, postForm, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { Tenant } from '../../../core/tenancy/tenants.ts';
import { seedProgrammes } from './seed.ts';

let t: TestApp;
let tenant: Tenant;
let adminToken: string;
let hostToken: string;
let host: { id: string };
let admin: { id: string };

const good = {
  name: 'Soutenir les tiers-lieux numériques',
  funder: 'Région Pays de la Loire',
  nature: 'grant',
  audiences: ['commune', 'epci'],
  territory: ['R:52'],
  themes: ['inclusion'],
  max_rate: 50,
  max_amount: 100000,
  opens_on: '2026-01-01',
  closes_on: '2026-12-31',
  recurrence: 'annual',
  url: 'https://www.paysdelaloire.fr/',
};

const count = () => t.db.transaction(null, async (tx) => (await tx.one<{ n: number }>('select count(*)::int as n from roadmap_programmes'))!.n);

before(async () => {
  t = await startTestApp();
  tenant = await createTestTenant(t.db);
  admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  host = await createPerson(t.db, {}, { hostOperator: true });
  adminToken = await apiToken(t, tenant.id, 'tenant_admin', admin.id);
  hostToken = await apiToken(t, tenant.id, 'tenant_admin', host.id);
  await seedProgrammes(t);
});
after(() => t.close());

test('a collectivité administrator cannot create or edit a programme (API, pages, SQL)', async () => {
  const before = await count();
  const api = (method: 'POST' | 'PUT', url: string, token: string) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: good });
  assert.equal((await api('POST', `/api/v1/${tenant.slug}/roadmap/programmes`, adminToken)).statusCode, 403);
  assert.equal((await api('PUT', `/api/v1/${tenant.slug}/roadmap/programmes/feder-2021-2027`, adminToken)).statusCode, 403);
  const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/${tenant.slug}/roadmap/programmes`, payload: good });
  assert.ok([401, 403].includes(anonymous.statusCode));

  const browser = await browserFor(t, admin.id);
  const form = { ...good, max_rate: '50', max_amount: '100000' };
  assert.equal((await postForm(t, browser, `/${tenant.slug}/feuille-de-route/financements/nouveau`, form)).statusCode, 403);
  assert.equal((await postForm(t, browser, `/${tenant.slug}/feuille-de-route/financements/feder-2021-2027/modifier`, form)).statusCode, 403);
  const page = await t.app.inject({ url: `/${tenant.slug}/feuille-de-route/financements/nouveau`, headers: browser.headers });
  assert.equal(page.statusCode, 403);

  // The application role itself may not write the table, whatever the code above it does.
  await assert.rejects(
    t.db.transaction(tenant.id, (tx) => tx.query(`update roadmap_programmes set funder = 'moi' where slug = 'feder-2021-2027'`)),
    /permission denied/,
  );
  await assert.rejects(
    t.db.transaction(tenant.id, (tx) =>
      tx.query(
        `insert into roadmap_programmes (slug, name, funder, nature, audiences, territory, themes, recurrence) values ('x', 'x', 'x', 'grant', '{commune}', '{FR}', '{data}', 'annual')`,
      ),
    ),
    /permission denied/,
  );
  assert.equal(await count(), before);
  const feder = await t.app.inject({ url: `/api/v1/${tenant.slug}/roadmap/programmes/feder-2021-2027` });
  assert.match(feder.json<{ funder: string }>().funder, /Union européenne/);
});

test('bad input: clear errors per field in French and English, nothing stored', async () => {
  const before = await count();
  const bad = {
    ...good,
    funder: '  ',
    max_rate: 101,
    opens_on: '2026-06-01',
    closes_on: '2026-01-01',
    territory: ['FR', 'D:999'],
    population_min: 5000,
    population_max: 10,
  };
  for (const [lang, words] of [
    ['fr', { funder: /sans financeur/, max_rate: /entre 0 et 100/, closes_on: /précède l’ouverture/, territory: /D:999/, population_max: /inférieure/ }],
    ['en', { funder: /without a funder/, max_rate: /between 0 and 100/, closes_on: /before the opening/, territory: /D:999/, population_max: /below/ }],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/${tenant.slug}/roadmap/programmes`,
      headers: { authorization: `Bearer ${hostToken}`, 'accept-language': lang },
      payload: bad,
    });
    assert.equal(res.statusCode, 422, res.body);
    const errors = res.json<{ errors: Record<string, string[]> }>().errors;
    for (const [field, pattern] of Object.entries(words)) assert.match(errors[field]?.join(' ') ?? '', pattern, `${lang} ${field}`);
  }
  // A page form shows the same errors, each tied to its field.
  const browser = await browserFor(t, host.id);
  const res = await postForm(t, browser, `/${tenant.slug}/feuille-de-route/financements/nouveau`, { ...good, funder: '', max_rate: '150', max_amount: '1' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /id="error-funder"/);
  assert.match(res.body, /id="error-max_rate"/);
  assert.equal(await count(), before);
});

test('the host operator creates and edits a programme; everyone reads and searches them', async () => {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/v1/${tenant.slug}/roadmap/programmes`,
    headers: { authorization: `Bearer ${hostToken}` },
    payload: good,
  });
  assert.equal(created.statusCode, 201, created.body);
  const { slug } = created.json<{ slug: string }>();
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/${tenant.slug}/roadmap/programmes/${slug}`,
    headers: { authorization: `Bearer ${hostToken}` },
    payload: { ...good, max_rate: 60 },
  });
  assert.equal(put.statusCode, 200, put.body);
  const read = await t.app.inject({ url: `/api/v1/${tenant.slug}/roadmap/programmes/${slug}` });
  assert.equal(read.json<{ max_rate: number }>().max_rate, 60);
  const trail = await t.db.ownerTransaction((tx) =>
    tx.query<{ action: string; actor: string }>(
      `select c.action, c.actor from roadmap_programme_changes c join roadmap_programmes p on p.id = c.programme_id where p.slug = $1 order by c.at`,
      [slug],
    ),
  );
  assert.deepEqual(
    trail.map((r) => r.action),
    ['create', 'update'],
  );
  assert.equal(trail[0]!.actor, `person:${host.id}`);

  const search = await t.app.inject({ url: `/api/v1/${tenant.slug}/roadmap/programmes?theme=inclusion&audience=epci&q=tiers-lieux` });
  assert.deepEqual(
    search.json<{ items: Array<{ slug: string }> }>().items.map((i) => i.slug),
    [slug],
  );
  const list = await t.app.inject({ url: `/${tenant.slug}/feuille-de-route/financements?q=DETR` });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Dotation d’équipement des territoires ruraux/);
  assert.doesNotMatch(list.body, /FEDER 2021-2027 —/);

  // The host edits through the page too.
  const browser = await browserFor(t, host.id);
  const form = await t.app.inject({
    url: `/${tenant.slug}/feuille-de-route/financements/dsil-dotation-de-soutien-a-l-investissement-local/modifier`,
    headers: browser.headers,
  });
  assert.equal(form.statusCode, 200);
  const edited = await postForm(t, browser, `/${tenant.slug}/feuille-de-route/financements/dsil-dotation-de-soutien-a-l-investissement-local/modifier`, {
    name: 'Dotation de soutien à l’investissement local (DSIL)',
    funder: 'État — préfet de région',
    nature: 'grant',
    audiences: ['commune', 'epci'],
    territory: 'FR',
    themes: ['infrastructure', 'inclusion'],
    max_rate: '80',
    recurrence: 'annual',
  });
  assert.equal(edited.statusCode, 303, edited.body);
  const page = await t.app.inject({ url: `/${tenant.slug}/feuille-de-route/financements/dsil-dotation-de-soutien-a-l-investissement-local` });
  assert.match(page.body, /préfet de région/);
});

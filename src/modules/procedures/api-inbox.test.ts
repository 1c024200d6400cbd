// The agents' list through the API: filters, counts, French full-text search, sort and pages; routing
// to groups and what each agent sees; isolation between collectivités.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, apiToken, createPerson, type TestApp } from '../../../test/helpers/app.ts';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { apiTenant, call, fileDossier, published, ROOM_ANSWERS, type ApiTenant } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const list = async (a: ApiTenant, query: string, token = a.agent) => {
  const res = await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers?${query}`, token);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { items: Array<{ number: number; state: string }>; total: number; page: number; per_page: number; counts?: Record<string, number> };
};

test('filters by procedure and state, counts per state, pages, sorts; French search ignores accents and endings', async () => {
  const a = await apiTenant(t);
  const rooms = await published(t, a);
  const other = await published(t, a, { title: 'Signalement', fields: [{ key: 'description', label: 'Description', type: 'textarea', required: true }] });
  const d1 = await fileDossier(t, a, rooms, { ...ROOM_ANSWERS, objet: 'Répétition de la chorale des écoles' });
  const d2 = await fileDossier(t, a, rooms, { ...ROOM_ANSWERS, objet: 'Assemblée générale du club de pétanque' });
  const d3 = await fileDossier(t, a, other, { description: 'Nid-de-poule dangereux rue des Écoles' });
  await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${d2.number}/transitions`, a.agent, { to: 'en_instruction' });

  assert.deepEqual(
    (await list(a, '')).items.map((i) => i.number),
    [d3.number, d2.number, d1.number],
  );
  assert.deepEqual(
    (await list(a, 'sort=submitted_asc')).items.map((i) => i.number),
    [d1.number, d2.number, d3.number],
  );
  const rooms1 = await list(a, `procedure=${rooms}&state=en_construction&counts=1`);
  assert.deepEqual(
    rooms1.items.map((i) => i.number),
    [d1.number],
  );
  assert.deepEqual(rooms1.counts, { en_construction: 1, en_instruction: 1, accepte: 0, refuse: 0, sans_suite: 0 });
  // The answer is the one /api/openapi.json declares (a client generated from it can read it).
  const doc = (await t.app.inject('/api/openapi.json')).json() as {
    paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: object }> }> }>>;
  };
  const declared = doc.paths['/api/v1/{tenant}/dossiers']!.get!.responses['200']!.content['application/json']!.schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  formats.default(ajv);
  for (const page of [rooms1, await list(a, '')]) assert.ok(ajv.validate({ ...declared, additionalProperties: false }, page), ajv.errorsText());
  assert.deepEqual(
    (await list(a, 'q=ecole')).items.map((i) => i.number),
    [d3.number, d1.number],
    'écoles / Écoles without accents, plural',
  );
  assert.deepEqual(
    (await list(a, 'q=chorales -petanque')).items.map((i) => i.number),
    [d1.number],
  );
  assert.deepEqual(
    (await list(a, `q=${d2.number}`)).items.map((i) => i.number),
    [d2.number],
  );
  const page2 = await list(a, 'per_page=2&page=2');
  assert.deepEqual([page2.items.length, page2.total, page2.page, page2.per_page], [1, 3, 2, 2]);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await list(a, `from=${today}&to=${today}`)).total, 3);
  assert.equal((await list(a, 'from=2000-01-01&to=2000-12-31')).total, 0);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers?state=archived`, a.agent)).statusCode, 422);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers?q=${encodeURIComponent('"unclosed & | ! (')}`, a.agent)).statusCode, 200);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers`, null)).statusCode, 403);
});

test('routing on the commune: each commune’s group sees its dossiers only; a person token follows its groups', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const nantesAgent = await createPerson(t.db, { [a.tenant.id]: ['agent'] });
  const rezeAgent = await createPerson(t.db, { [a.tenant.id]: ['agent'] });
  const groups: Record<string, string> = {};
  for (const [name, person] of [
    ['Nantes', nantesAgent],
    ['Rezé', rezeAgent],
  ] as const) {
    const g = await call(t, 'POST', `/api/v1/${a.tenant.slug}/groups`, a.admin, { name, procedure: slug });
    assert.equal(g.statusCode, 201);
    groups[name] = g.json().id;
    assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/groups/${groups[name]}/members`, a.admin, { person: person.email })).statusCode, 201);
  }
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/groups`, a.agent, { name: 'x' })).statusCode, 403);
  const routing = await call(t, 'PUT', `/api/v1/${a.tenant.slug}/procedures/${slug}/routing`, a.admin, {
    rules: [
      { condition: { field: 'commune', op: 'equals', value: '44109' }, group: groups.Nantes },
      { condition: { field: 'commune', op: 'equals', value: '44143' }, group: groups['Rezé'] },
    ],
  });
  assert.equal(routing.statusCode, 200, routing.body);
  const inNantes = await fileDossier(t, a, slug, { ...ROOM_ANSWERS, commune: '44109' });
  const inReze = await fileDossier(t, a, slug, { ...ROOM_ANSWERS, commune: '44143' });
  const elsewhere = await fileDossier(t, a, slug, { ...ROOM_ANSWERS, commune: '31555' });
  const nantesToken = await apiToken(t, a.tenant.id, 'agent', nantesAgent.id);
  const rezeToken = await apiToken(t, a.tenant.id, 'agent', rezeAgent.id);
  assert.deepEqual(
    (await list(a, '', nantesToken)).items.map((i) => i.number),
    [elsewhere.number, inNantes.number],
  );
  assert.deepEqual(
    (await list(a, '', rezeToken)).items.map((i) => i.number),
    [elsewhere.number, inReze.number],
  );
  assert.equal((await list(a, '')).total, 3, 'a token without a person acts as an agent of every group');
  assert.equal((await list(a, `group=${groups.Nantes}`)).items[0]!.number, inNantes.number);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${inReze.number}`, nantesToken)).statusCode, 404);
  assert.equal(
    (await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${inReze.number}/transitions`, nantesToken, { to: 'en_instruction' })).statusCode,
    404,
  );
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${inReze.number}/messages`, nantesToken, { body: 'x' })).statusCode, 404);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${inReze.number}`, rezeToken)).json().group_id, groups['Rezé']);
  const rules = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures/${slug}/routing`, a.agent)).json().rules;
  assert.equal(rules.length, 2);
  const members = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/groups/${groups['Rezé']}/members`, a.agent)).json().items;
  assert.deepEqual(
    members.map((m: { person_id: string }) => m.person_id),
    [rezeAgent.id],
  );
  const removed = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/${a.tenant.slug}/groups/${groups['Rezé']}/members/${rezeAgent.id}`,
    headers: { authorization: `Bearer ${a.admin}` },
  });
  assert.equal(removed.statusCode, 204);
  assert.deepEqual(
    (await list(a, '', rezeToken)).items.map((i) => i.number),
    [elsewhere.number],
    'out of the group, out of its dossiers',
  );
});

test('a collectivité’s token never reaches another one’s dossiers (404), even by number', async () => {
  const a = await apiTenant(t);
  const b = await apiTenant(t);
  const slug = await published(t, a);
  const { number } = await fileDossier(t, a, slug);
  assert.equal((await call(t, 'GET', `/api/v1/${b.tenant.slug}/dossiers/${number}`, b.agent)).statusCode, 404);
  assert.equal((await call(t, 'GET', `/api/v1/${b.tenant.slug}/dossiers/${number}`, a.agent)).statusCode, 404);
  assert.equal((await call(t, 'POST', `/api/v1/${b.tenant.slug}/dossiers/${number}/transitions`, b.agent, { to: 'en_instruction' })).statusCode, 404);
  assert.equal((await list(b, '')).total, 0);
  assert.equal(
    (await call(t, 'POST', `/api/v1/${b.tenant.slug}/procedures/${slug}/dossiers`, null, { email: 'c@exemple.fr', data: ROOM_ANSWERS })).statusCode,
    404,
  );
});

test('the total stops at 1000 (total_capped), is exact on a short page, and still offers the page after a deep one', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const { number } = await fileDossier(t, a, slug);
  // 1,100 more dossiers at once (filing them one by one through HTTP would take minutes).
  await t.db.ownerTransaction((tx) =>
    tx.query(
      `
    insert into dossiers (tenant_id, procedure_id, revision, state, data, search, submitted_at)
    select tenant_id, procedure_id, revision, state, data, search, submitted_at - g * interval '1 second'
    from dossiers, generate_series(1, 1100) g where tenant_id = $1 and number = $2`,
      [a.tenant.id, number],
    ),
  );
  const capped = async (query: string) => {
    const r = (await list(a, query)) as Awaited<ReturnType<typeof list>> & { total_capped: boolean };
    return [r.items.length, r.total, r.total_capped];
  };
  assert.deepEqual(await capped('per_page=50'), [50, 1000, true]);
  assert.deepEqual(await capped('per_page=200&page=5'), [200, 1001, true], 'one more than this page: a next page exists');
  assert.deepEqual(await capped('per_page=200&page=6'), [101, 1101, false], 'the last page knows the exact total');
  assert.deepEqual(await capped('per_page=200&page=9'), [0, 1101, false], 'past the end: counted');
  assert.deepEqual(await capped(`q=${number}`), [1, 1, false]);
});

// The procedures API through HTTP: create, validate, publish, list, revisions, export/import, offer,
// roles and tenant isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant, apiToken, type TestApp } from '../../../test/helpers/app.ts';
import { apiTenant, call, countRows, fileDossier, published, ROOM_ANSWERS, ROOM_DEFINITION } from '../../../test/support/procedures/api.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('an admin creates a draft; an invalid definition is refused with reasons and nothing stored', async () => {
  const a = await apiTenant(t);
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, ROOM_DEFINITION);
  assert.equal(res.statusCode, 201);
  const body = res.json();
  assert.equal(body.state, 'draft');
  assert.equal(body.slug, 'reservation-de-salle-municipale');
  assert.ok(body.id);
  const bad = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, {
    title: 'X',
    fields: [
      { key: 'a', label: 'A', type: 'choice' },
      { key: 'a', label: 'B', type: 'bogus' },
    ],
  });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(Object.keys(bad.json().errors).sort(), ['fields.0.options', 'fields.1.key', 'fields.1.type']);
  const en = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, { title: '', fields: [] }, { 'accept-language': 'en' });
  assert.match(en.json().errors.title[0], /Give a title/);
  assert.equal(await countRows(t, a.tenant.id, 'procedures'), 1);
});

test('an agent may not create or publish (403); anonymous may not either (403)', async () => {
  const a = await apiTenant(t);
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.agent, ROOM_DEFINITION)).statusCode, 403);
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, null, ROOM_DEFINITION)).statusCode, 403);
  const slug = (await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, ROOM_DEFINITION)).json().slug;
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.agent)).statusCode, 403);
  const admin = await apiToken(t, a.tenant.id, 'tenant_admin');
  const pub = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, admin);
  assert.equal(pub.statusCode, 200);
  assert.equal(pub.json().revision, 1);
});

test('the list shows published procedures to everyone and drafts to admins only', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, { title: 'Brouillon secret', fields: [] });
  const publicList = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures`, null)).json().items;
  assert.deepEqual(
    publicList.map((p: { slug: string }) => p.slug),
    [slug],
  );
  const adminList = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures`, a.admin)).json().items;
  assert.equal(adminList.length, 2);
  assert.equal((await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures/brouillon-secret`, null)).statusCode, 404);
  const one = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures/${slug}`, null)).json();
  assert.equal(one.definition.fields.length, 5);
  assert.equal(one.draft, undefined);
});

test('revisions: each publication is frozen; a dossier keeps its revision when the draft changes', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const first = await fileDossier(t, a, slug);
  const changed = {
    ...ROOM_DEFINITION,
    fields: [...ROOM_DEFINITION.fields.filter((f) => f.key !== 'objet'), { key: 'nombre', label: 'Nombre de personnes', type: 'integer', required: true }],
  };
  assert.equal((await call(t, 'PUT', `/api/v1/${a.tenant.slug}/procedures/${slug}`, a.admin, changed)).statusCode, 200);
  // Until published, citizens still file on revision 1.
  assert.equal((await fileDossier(t, a, slug)).number > first.number, true);
  const again = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.admin);
  assert.equal(again.json().revision, 2);
  const same = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.admin);
  assert.deepEqual([same.json().revision, same.json().created], [2, false]);
  const old = (await call(t, 'GET', `/api/v1/${a.tenant.slug}/dossiers/${first.number}`, a.agent)).json();
  assert.equal(old.revision, 1);
  assert.equal(old.data.objet, ROOM_ANSWERS.objet);
  const refused = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, { email: 'x@exemple.fr', data: ROOM_ANSWERS });
  assert.equal(refused.statusCode, 422);
  assert.ok(refused.json().errors.nombre);
  // Published revisions cannot be changed, even by a direct UPDATE of the application role.
  await assert.rejects(
    t.db.transaction(a.tenant.id, (tx) => tx.query(`update procedure_revisions set definition = '{}'`)),
    /permission denied|cannot be changed/,
  );
  await assert.rejects(
    t.db.ownerTransaction((tx) => tx.query(`update procedure_revisions set definition = '{}'`)),
    /cannot be changed/,
  );
});

test('closing a procedure stops new filings; its dossiers stay; publishing again reopens it', async () => {
  const a = await apiTenant(t);
  const slug = await published(t, a);
  const { number } = await fileDossier(t, a, slug);
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/close`, a.agent)).statusCode, 403);
  const closed = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/close`, a.admin);
  assert.equal(closed.json().state, 'closed');
  assert.equal(
    (await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, { email: 'c@exemple.fr', data: ROOM_ANSWERS })).statusCode,
    404,
  );
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/dossiers/${number}/transitions`, a.agent, { to: 'en_instruction' })).statusCode, 200);
  assert.equal((await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/close`, a.admin)).statusCode, 409);
  const reopened = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.admin);
  assert.deepEqual([reopened.json().state, reopened.json().revision, reopened.json().created], ['published', 1, false]);
});

test('export then import in another collectivité gives the same form as a draft', async () => {
  const a = await apiTenant(t);
  const b = await apiTenant(t);
  const slug = await published(t, a);
  const exported = await call(t, 'GET', `/api/v1/${a.tenant.slug}/procedures/${slug}/export`, a.admin);
  assert.equal(exported.statusCode, 200);
  assert.match(String(exported.headers['content-disposition']), /attachment/);
  const doc = exported.json();
  assert.equal(doc.format, 'bastide.procedure');
  const imported = await call(t, 'POST', `/api/v1/${b.tenant.slug}/procedures/import`, b.admin, doc);
  assert.equal(imported.statusCode, 201);
  const copy = (await call(t, 'GET', `/api/v1/${b.tenant.slug}/procedures/${imported.json().slug}`, b.admin)).json();
  assert.equal(copy.state, 'draft');
  assert.deepEqual(copy.draft, doc.definition);
  const broken = await call(t, 'POST', `/api/v1/${b.tenant.slug}/procedures/import`, b.admin, { ...doc, definition: { title: 'x', fields: [{ key: 1 }] } });
  assert.equal(broken.statusCode, 422);
  assert.ok(Object.keys(broken.json().errors).every((k) => k.startsWith('definition.')));
});

test('a host EPCI offers a procedure to its member communes, not to others', async () => {
  const epci = await createTestTenant(t.db, { kind: 'epci', code: '244400404', slug: `nm-${process.pid}` });
  const member = await createTestTenant(t.db, { kind: 'commune', code: '44143', slug: `reze-${process.pid}` });
  const stranger = await apiTenant(t);
  await t.db.ownerTransaction((tx) =>
    tx.query(`insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, 'member_of')`, [member.id, epci.id]),
  );
  const host = { tenant: epci, admin: await apiToken(t, epci.id, 'procedure_admin'), agent: '' };
  const slug = await published(t, host);
  const refused = await call(t, 'POST', `/api/v1/${epci.slug}/procedures/${slug}/offer`, host.admin, { tenants: [stranger.tenant.slug] });
  assert.equal(refused.statusCode, 422);
  const offered = await call(t, 'POST', `/api/v1/${epci.slug}/procedures/${slug}/offer`, host.admin, { tenants: [member.slug] });
  assert.equal(offered.statusCode, 200, offered.body);
  assert.equal(offered.json().offered[0].tenant, member.slug);
  const rows = await t.db.transaction(member.id, (tx) =>
    tx.query<{ state: string; origin: { offered_by: { tenant: string } } }>('select state, origin from procedures'),
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.state, 'draft');
  assert.equal(rows[0]!.origin.offered_by.tenant, epci.slug);
  const journal = await t.db.transaction(member.id, (tx) => tx.query(`select 1 from journal_entries where action = 'procedures.procedure.create'`));
  assert.equal(journal.length, 1);
});

test('a token of one collectivité never sees another one’s procedures (404)', async () => {
  const a = await apiTenant(t);
  const b = await apiTenant(t);
  const slug = await published(t, a);
  const wrong = await call(t, 'GET', `/api/v1/${b.tenant.slug}/procedures/${slug}`, b.admin);
  assert.equal(wrong.statusCode, 404);
  const crossed = await call(t, 'GET', `/api/v1/${b.tenant.slug}/procedures`, a.admin);
  assert.equal(crossed.statusCode, 404);
  assert.equal((await call(t, 'GET', `/api/v1/${b.tenant.slug}/procedures`, 'bst_not-a-token')).statusCode, 401);
  assert.equal((await call(t, 'POST', `/api/v1/${b.tenant.slug}/procedures/${slug}/publish`, b.admin)).statusCode, 404);
});

test('the OpenAPI document describes the contract’s routes', async () => {
  const doc = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { summary?: string }>> };
  for (const [path, method] of [
    ['/api/v1/{tenant}/procedures', 'post'],
    ['/api/v1/{tenant}/procedures', 'get'],
    ['/api/v1/{tenant}/procedures/{procedure}/publish', 'post'],
    ['/api/v1/{tenant}/procedures/{procedure}/dossiers', 'post'],
    ['/api/v1/{tenant}/dossiers', 'get'],
    ['/api/v1/{tenant}/dossiers/{number}', 'get'],
    ['/api/v1/{tenant}/dossiers/{number}/transitions', 'post'],
    ['/api/v1/{tenant}/dossiers/{number}/messages', 'post'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method]?.summary, `${method} ${path}`);
  }
});

// Attacks on the roadmap through its API and the database: another collectivité's administrator, the
// collectivité's own non-administrators, anonymous visitors, and the partners of a pooled project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { call, PROJECT, roadmapTenant } from '../../../test/support/roadmap/tenants.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function count(tenantId: string, table: string): Promise<number> {
  return (await t.db.transaction(tenantId, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`)))!.n;
}

test("another collectivité's administrator can neither read a draft nor edit a project, by either address", async () => {
  const a = await roadmapTenant(t);
  const b = await roadmapTenant(t);
  const created = await call(t, 'POST', `${b.api}/projects`, b.adminToken, PROJECT);
  assert.equal(created.statusCode, 201, created.body);
  const slug = created.json<{ slug: string }>().slug;
  // Under A's address B's project does not exist for A (row-level security).
  assert.equal((await call(t, 'GET', `${a.api}/projects/${slug}`, a.adminToken)).statusCode, 404);
  assert.equal((await call(t, 'PUT', `${a.api}/projects/${slug}`, a.adminToken, { ...PROJECT, title: 'Piraté' })).statusCode, 404);
  // Under B's address A's token is not B's: refused.
  const cross = await call(t, 'PUT', `${b.api}/projects/${slug}`, a.adminToken, { ...PROJECT, title: 'Piraté' });
  assert.ok([401, 403, 404].includes(cross.statusCode), `refused (${cross.statusCode})`);
  const row = await t.db.transaction(b.tenant.id, (tx) => tx.one<{ title: string }>('select title from roadmap_projects where slug = $1', [slug]));
  assert.equal(row!.title, PROJECT.title);
  assert.equal(await count(a.tenant.id, 'roadmap_projects'), 0);
});

test('only the administrator writes: an agent, a citizen session and an anonymous caller are refused and nothing is stored', async () => {
  const a = await roadmapTenant(t);
  assert.equal((await call(t, 'POST', `${a.api}/projects`, a.agentToken, PROJECT)).statusCode, 403);
  const anonymous = await call(t, 'POST', `${a.api}/projects`, null, PROJECT);
  assert.ok([401, 403].includes(anonymous.statusCode), `anonymous refused (${anonymous.statusCode})`);
  const indicator = await call(t, 'POST', `${a.api}/indicators`, a.agentToken, { name: 'Taux', unit: 'percent' });
  assert.equal(indicator.statusCode, 403);
  assert.equal(await count(a.tenant.id, 'roadmap_projects'), 0);
  assert.equal(await count(a.tenant.id, 'roadmap_indicators'), 0);
});

test('a draft project is not readable publicly; staff read it; publishing opens it', async () => {
  const a = await roadmapTenant(t);
  const created = await call(t, 'POST', `${a.api}/projects`, a.adminToken, PROJECT);
  const slug = created.json<{ slug: string }>().slug;
  assert.equal((await call(t, 'GET', `${a.api}/projects/${slug}`, null)).statusCode, 404);
  assert.deepEqual((await call(t, 'GET', `${a.api}/projects`, null)).json<{ items: unknown[] }>().items, []);
  assert.equal((await t.app.inject({ url: `/${a.tenant.slug}/feuille-de-route/projets/${slug}` })).statusCode, 404);
  assert.equal((await call(t, 'GET', `${a.api}/projects/${slug}`, a.agentToken)).statusCode, 200);
  const published = await call(t, 'PUT', `${a.api}/projects/${slug}`, a.adminToken, { ...PROJECT, published: true });
  assert.equal(published.statusCode, 200, published.body);
  assert.equal((await call(t, 'GET', `${a.api}/projects/${slug}`, null)).statusCode, 200);
  // The indicator of a draft project is hidden with it; a roadmap-wide one is public.
  await call(t, 'PUT', `${a.api}/projects/${slug}`, a.adminToken, { ...PROJECT, published: false });
  await call(t, 'POST', `${a.api}/indicators`, a.adminToken, { name: 'Applications hébergées', unit: 'count', project: slug });
  await call(t, 'POST', `${a.api}/indicators`, a.adminToken, { name: 'Taux de dématérialisation', unit: 'percent' });
  const names = (await call(t, 'GET', `${a.api}/indicators`, null)).json<{ items: Array<{ name: string }> }>().items.map((i) => i.name);
  assert.deepEqual(names, ['Taux de dématérialisation']);
});

test('a pooled project: its partner reads it, cannot edit it, and a third collectivité sees nothing', async () => {
  const owner = await roadmapTenant(t);
  const partner = await roadmapTenant(t);
  const third = await roadmapTenant(t);
  const created = await call(t, 'POST', `${owner.api}/projects`, owner.adminToken, {
    ...PROJECT,
    partners: [{ tenant: partner.tenant.slug, contribution: 50000 }],
  });
  assert.equal(created.statusCode, 201, created.body);
  const slug = created.json<{ slug: string }>().slug;
  // The partner's staff list it among projects carried by others (a draft: staff only).
  const staffList = (await call(t, 'GET', `${partner.api}/projects`, partner.agentToken)).json<{
    pooled_with_others: Array<{ slug: string; owner: string; contribution: number }>;
  }>();
  assert.deepEqual(
    staffList.pooled_with_others.map((p) => [p.owner, p.slug, p.contribution]),
    [[owner.tenant.slug, slug, 50000]],
  );
  // Not public while a draft; public once the owner publishes it.
  assert.deepEqual((await call(t, 'GET', `${partner.api}/projects`, null)).json<{ pooled_with_others: unknown[] }>().pooled_with_others, []);
  await call(t, 'PUT', `${owner.api}/projects/${slug}`, owner.adminToken, { ...PROJECT, published: true });
  assert.equal((await call(t, 'GET', `${partner.api}/projects`, null)).json<{ pooled_with_others: unknown[] }>().pooled_with_others.length, 1);
  // The partner's administrator cannot edit it under its own address (it is not its row) nor the owner's.
  assert.equal((await call(t, 'PUT', `${partner.api}/projects/${slug}`, partner.adminToken, { ...PROJECT, title: 'Repris' })).statusCode, 404);
  const underOwner = await call(t, 'PUT', `${owner.api}/projects/${slug}`, partner.adminToken, { ...PROJECT, title: 'Repris' });
  assert.ok([401, 403, 404].includes(underOwner.statusCode), `refused (${underOwner.statusCode})`);
  // A third collectivité sees nothing of it.
  assert.deepEqual((await call(t, 'GET', `${third.api}/projects`, third.adminToken)).json<{ pooled_with_others: unknown[] }>().pooled_with_others, []);
  const title = await t.db.transaction(owner.tenant.id, (tx) => tx.one<{ title: string }>('select title from roadmap_projects where slug = $1', [slug]));
  assert.equal(title!.title, PROJECT.title);
});

test('a collectivité cannot make itself partner of, or attach rows to, another collectivité’s project', async () => {
  const owner = await roadmapTenant(t);
  const intruder = await roadmapTenant(t);
  const created = await call(t, 'POST', `${owner.api}/projects`, owner.adminToken, PROJECT);
  const projectId = created.json<{ id: string }>().id;
  // As the application role in its own tenant, the intruder's row needs the project in ITS tenant: the
  // composite foreign key refuses it; in the owner's tenant, row-level security refuses it.
  await assert.rejects(
    t.db.transaction(intruder.tenant.id, (tx) =>
      tx.execute('insert into roadmap_project_partners (tenant_id, project_id, partner_tenant_id) values (app_tenant(), $1, $2)', [projectId, owner.tenant.id]),
    ),
  );
  await assert.rejects(
    t.db.transaction(intruder.tenant.id, (tx) =>
      tx.execute('insert into roadmap_project_partners (tenant_id, project_id, partner_tenant_id) values ($1, $2, app_tenant())', [owner.tenant.id, projectId]),
    ),
  );
  await assert.rejects(
    t.db.transaction(intruder.tenant.id, (tx) =>
      tx.execute("insert into roadmap_indicators (tenant_id, project_id, name, unit) values (app_tenant(), $1, 'x', 'count')", [projectId]),
    ),
  );
  assert.deepEqual(await t.db.transaction(intruder.tenant.id, (tx) => tx.query('select * from roadmap_pooled_projects(true)')), []);
  // Without a collectivité set, the function returns nothing at all.
  assert.deepEqual(await t.db.transaction(null, (tx) => tx.query('select * from roadmap_pooled_projects(true)')), []);
});

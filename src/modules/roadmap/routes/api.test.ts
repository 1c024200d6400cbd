// The roadmap API as an integration reads it: a project with its partners, links and indicators, the
// pooled list at the partner, and the routes described in /api/openapi.json under the part's tags.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { call, PROJECT, roadmapTenant } from '../../../../test/support/roadmap/tenants.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('a published pooled project reads back whole, and its partner lists it with its contribution', async () => {
  const owner = await roadmapTenant(t);
  const partner = await roadmapTenant(t);
  const created = await call(t, 'POST', `${owner.api}/projects`, owner.adminToken, {
    ...PROJECT,
    budget_investment: '1 200 000',
    published: true,
    partners: [{ tenant: partner.tenant.slug, contribution: 250000 }],
    links: [{ kind: 'procedure', ref: 'demande-de-subvention-associative' }],
  });
  assert.equal(created.statusCode, 201, created.body);
  const slug = created.json<{ slug: string }>().slug;
  assert.equal(slug, 'cloud-souverain-mutualise');
  const ind = await call(t, 'POST', `${owner.api}/indicators`, owner.adminToken, { name: 'Applications hébergées', unit: 'count', target: 40, project: slug });
  await call(t, 'POST', `${owner.api}/indicators/${ind.json<{ id: string }>().id}/values`, owner.adminToken, {
    measured_on: '2022-01-01',
    value: 12,
    unit: 'count',
  });
  const read = (await call(t, 'GET', `${owner.api}/projects/${slug}`, null)).json<Record<string, unknown>>();
  assert.equal(read.budget_investment, 1200000);
  assert.deepEqual(read.partners, [{ tenant: partner.tenant.slug, name: partner.tenant.name, contribution: 250000 }]);
  assert.deepEqual(read.links, [{ kind: 'procedure', ref: 'demande-de-subvention-associative' }]);
  assert.deepEqual(read.indicators, [
    {
      id: ind.json<{ id: string }>().id,
      project: slug,
      name: 'Applications hébergées',
      unit: 'count',
      target: 40,
      target_on: null,
      source: 'manual',
      values: [{ measured_on: '2022-01-01', value: 12, origin: 'manual' }],
    },
  ]);
  const pooled = (await call(t, 'GET', `${partner.api}/projects`, null)).json<{ items: unknown[]; pooled_with_others: unknown[] }>();
  assert.deepEqual(pooled.items, []);
  assert.deepEqual(pooled.pooled_with_others, [
    {
      owner: owner.tenant.slug,
      slug,
      title: PROJECT.title,
      theme: 'hosting',
      stage: 'study',
      contribution: 250000,
      url: `/${owner.tenant.slug}/feuille-de-route/projets/${slug}`,
    },
  ]);
  // Partners and links are kept when an edit does not name them.
  await call(t, 'PUT', `${owner.api}/projects/${slug}`, owner.adminToken, { ...PROJECT, stage: 'running', published: true });
  const again = (await call(t, 'GET', `${owner.api}/projects/${slug}`, null)).json<{ stage: string; partners: unknown[]; links: unknown[] }>();
  assert.equal(again.stage, 'running');
  assert.equal(again.partners.length, 1);
  assert.equal(again.links.length, 1);
});

test('the routes are in the OpenAPI document under roadmap-projects and roadmap-indicators', async () => {
  const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
  const tagsOf = (path: string) => Object.values(doc.paths[path] ?? {}).flatMap((op) => op.tags ?? []);
  assert.deepEqual([...new Set(tagsOf('/api/v1/{tenant}/roadmap/projects'))], ['roadmap-projects']);
  assert.deepEqual([...new Set(tagsOf('/api/v1/{tenant}/roadmap/indicators/{indicator}/values'))], ['roadmap-indicators']);
});

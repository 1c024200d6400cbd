// Bad input to the roadmap: every wrong field named with its own message, in French and in English, and
// nothing stored (no project, no indicator, no value, no journal entry).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { call, PROJECT, roadmapTenant } from '../../../test/support/roadmap/tenants.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

type Errors = { errors: Record<string, string[]> };

async function counts(tenantId: string) {
  return t.db.transaction(tenantId, (tx) =>
    tx.one<{ projects: number; indicators: number; values: number; journal: number }>(
      `select (select count(*)::int from roadmap_projects) as projects, (select count(*)::int from roadmap_indicators) as indicators,
              (select count(*)::int from roadmap_indicator_values) as values,
              (select count(*)::int from journal_entries where action like 'roadmap.%') as journal`,
    ),
  );
}

test('a project with budgets out of range, dates in the wrong order, an unknown theme and partner: one message per field, fr and en', async () => {
  const a = await roadmapTenant(t);
  const before = await counts(a.tenant.id);
  const body = {
    ...PROJECT,
    title: ' ',
    theme: 'blockchain',
    stage: 'finished',
    start_on: '2023-06-01',
    end_on: '2021-01-31',
    budget_investment: -1,
    budget_operation: 2_000_000_000,
    partners: [{ tenant: 'nowhere-at-all' }],
  };
  const fr = await call(t, 'POST', `${a.api}/projects`, a.adminToken, body, 'fr');
  assert.equal(fr.statusCode, 422, fr.body);
  const e = fr.json<{ details: Errors }>().details?.errors ?? fr.json<Errors>().errors;
  assert.deepEqual(Object.keys(e).sort(), ['budget_investment', 'budget_operation', 'end_on', 'stage', 'theme', 'title']);
  assert.match(e.end_on![0]!, /fin précède la date de début/);
  assert.match(e.budget_investment![0]!, /entre 0 et 1 000 000 000/);
  const en = await call(t, 'POST', `${a.api}/projects`, a.adminToken, body, 'en');
  const ee = en.json<{ details: Errors }>().details?.errors ?? en.json<Errors>().errors;
  assert.match(ee.end_on![0]!, /end date is before the start date/);
  assert.match(ee.budget_operation![0]!, /between 0 and 1,000,000,000/);
  // The partner is checked once the fields are right: its own message.
  const partner = await call(t, 'POST', `${a.api}/projects`, a.adminToken, { ...PROJECT, partners: [{ tenant: 'nowhere-at-all' }] }, 'en');
  assert.equal(partner.statusCode, 422);
  assert.match(JSON.stringify(partner.json()), /No collectivité at the address “nowhere-at-all”/);
  const self = await call(t, 'POST', `${a.api}/projects`, a.adminToken, { ...PROJECT, partners: [{ tenant: a.tenant.slug }] }, 'fr');
  assert.match(JSON.stringify(self.json()), /pas sa propre partenaire/);
  assert.deepEqual(await counts(a.tenant.id), before);
});

test('an edit with a bad field changes nothing of the stored project', async () => {
  const a = await roadmapTenant(t);
  const slug = (await call(t, 'POST', `${a.api}/projects`, a.adminToken, PROJECT)).json<{ slug: string }>().slug;
  const res = await call(t, 'PUT', `${a.api}/projects/${slug}`, a.adminToken, { ...PROJECT, title: 'Nouveau titre', budget_investment: 1.5 });
  assert.equal(res.statusCode, 422);
  const row = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ title: string; budget_investment: number }>('select title, budget_investment from roadmap_projects'),
  );
  assert.deepEqual(row, { title: PROJECT.title, budget_investment: PROJECT.budget_investment });
});

test('an indicator value of the wrong unit, out of range or undated is refused by field; a right one is stored once per date', async () => {
  const a = await roadmapTenant(t);
  const created = await call(t, 'POST', `${a.api}/indicators`, a.adminToken, {
    name: 'Démarches en ligne',
    unit: 'percent',
    target: 80,
    target_on: '2026-12-31',
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json<{ id: string }>().id;
  const url = `${a.api}/indicators/${id}/values`;
  const before = await counts(a.tenant.id);
  const wrongUnit = await call(t, 'POST', url, a.adminToken, { measured_on: '2026-01-01', value: 12, unit: 'count' }, 'fr');
  assert.equal(wrongUnit.statusCode, 422);
  assert.match(JSON.stringify(wrongUnit.json()), /s’exprime en pourcentage/);
  const wrongUnitEn = await call(t, 'POST', url, a.adminToken, { measured_on: '2026-01-01', value: 12, unit: 'euro' }, 'en');
  assert.match(JSON.stringify(wrongUnitEn.json()), /expressed in percent: the value must be too/);
  const range = await call(t, 'POST', url, a.adminToken, { measured_on: '2026-13-01', value: 140, unit: 'percent' }, 'en');
  assert.equal(range.statusCode, 422);
  const errors = JSON.stringify(range.json());
  assert.match(errors, /Value between 0 and 100/);
  assert.match(errors, /YYYY-MM-DD/);
  assert.deepEqual(await counts(a.tenant.id), before);
  // The database refuses a value of another unit even without the action's check.
  await assert.rejects(
    t.db.transaction(a.tenant.id, (tx) =>
      tx.execute(
        "insert into roadmap_indicator_values (tenant_id, indicator_id, measured_on, value, unit) values (app_tenant(), $1, '2026-01-01', 3, 'count')",
        [id],
      ),
    ),
  );
  assert.equal((await call(t, 'POST', url, a.adminToken, { measured_on: '2026-01-01', value: '42,5', unit: 'percent' })).statusCode, 201);
  assert.equal((await call(t, 'POST', url, a.adminToken, { measured_on: '2026-01-01', value: 45, unit: 'percent' })).statusCode, 201);
  const values = (await call(t, 'GET', `${a.api}/indicators`, null)).json<{ items: Array<{ values: Array<{ value: number }> }> }>().items[0]!.values;
  assert.deepEqual(
    values.map((v) => v.value),
    [45],
  );
});

test('an indicator measured by Bastide takes its unit and no typed value', async () => {
  const a = await roadmapTenant(t);
  const wrong = await call(t, 'POST', `${a.api}/indicators`, a.adminToken, { name: 'EcoIndex', unit: 'percent', source: 'ecoindex' }, 'en');
  assert.equal(wrong.statusCode, 422);
  assert.match(JSON.stringify(wrong.json()), /expressed in score out of 100/);
  const ok = await call(t, 'POST', `${a.api}/indicators`, a.adminToken, { name: 'EcoIndex', unit: 'score', source: 'ecoindex' });
  assert.equal(ok.statusCode, 201);
  const typed = await call(t, 'POST', `${a.api}/indicators/${ok.json<{ id: string }>().id}/values`, a.adminToken, {
    measured_on: '2026-01-01',
    value: 80,
    unit: 'score',
  });
  assert.equal(typed.statusCode, 422);
});

// publishGeneratedDataset and catalogueMetrics as other modules call them (the module's index.ts), checked
// through the public pages and APIs and the database: created, unchanged on the same bytes, updated,
// a steward's dataset with the slug left alone, a bad schema refused with nothing written, per tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { runLoads } from '../../../../test/support/catalogue/tabular.ts';
import { HttpError } from '../../../core/base/errors.ts';
import { catalogueMetrics, publishGeneratedDataset, type GeneratedDatasetInput } from '../index.ts';

let t: TestApp;
let a: Catalogue;
let b: Catalogue;
before(async () => {
  t = await startTestApp();
  a = await catalogueTenant(t);
  b = await catalogueTenant(t);
});
after(() => t.close());

const SCHEMA = {
  name: 'bastide-debats-contributions',
  title: 'Contributions aux débats publics',
  fields: [
    { name: 'debat', type: 'string', constraints: { required: true } },
    { name: 'mois', type: 'string', constraints: { pattern: '^\\d{4}-\\d{2}$' } },
    { name: 'contributions', type: 'integer', constraints: { minimum: 0 } },
  ],
};

function input(c: Catalogue, csv: string, extra: Partial<GeneratedDatasetInput> = {}): GeneratedDatasetInput {
  return {
    tenantId: c.tenant.id,
    slug: 'contributions-debats',
    title: 'Contributions aux débats publics',
    description: 'Nombre de contributions déposées sur les débats publics de la collectivité, par débat et par mois. Recalculé chaque jour par Bastide.',
    keywords: ['débats', 'participation'],
    themes: ['GOVE'],
    frequency: 'DAILY',
    schema: SCHEMA,
    fileName: 'contributions-debats.csv',
    csv: Buffer.from(csv, 'utf8'),
    actor: 'system',
    generator: 'debates',
    ...extra,
  };
}

const CSV1 = 'debat,mois,contributions\r\nvelo,2026-03,12\r\nparc,2026-03,4\r\n';
const CSV2 = 'debat,mois,contributions\r\nvelo,2026-03,13\r\nparc,2026-03,4\r\n';

async function versions(c: Catalogue, datasetId: string): Promise<Array<{ version: number; valid: boolean | null }>> {
  return t.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ version: number; valid: boolean | null }>(
      `select v.version, v.valid from catalogue_resource_versions v join catalogue_resources r on r.tenant_id = v.tenant_id and r.id = v.resource_id
       where r.dataset_id = $1 order by v.version`,
      [datasetId],
    ),
  );
}

test('created: published, validated against the caller’s schema, shown with it, rows queryable; only in its own collectivité', async () => {
  const first = await publishGeneratedDataset(t.deps, input(a, CSV1));
  assert.equal(first.outcome, 'created');
  assert.deepEqual(await versions(a, first.datasetId), [{ version: 1, valid: true }]);

  const page = await t.app.inject(`/${a.tenant.slug}/donnees/contributions-debats`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Contributions aux débats publics/);
  assert.match(page.body, /Schéma personnalisé — Contributions aux débats publics/);
  assert.match(page.body, new RegExp(`href="/${a.tenant.slug}/donnees/contributions-debats/schema.json"`));
  const schema = await t.app.inject(`/${a.tenant.slug}/donnees/contributions-debats/schema.json`);
  assert.equal(schema.statusCode, 200);
  assert.equal((JSON.parse(schema.body) as { name: string }).name, SCHEMA.name);

  await runLoads(t, a.tenant.id);
  const resourceId = (await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ id: string }>('select id from catalogue_resources where dataset_id = $1', [first.datasetId]),
  ))!.id;
  const rows = await t.app.inject(`/api/v1/${a.tenant.slug}/datasets/contributions-debats/resources/${resourceId}/rows?debat__exact=velo`);
  assert.equal(rows.statusCode, 200, rows.body);
  assert.match(rows.body, /"contributions":12/);

  assert.equal((await t.app.inject(`/${b.tenant.slug}/donnees/contributions-debats`)).statusCode, 404, 'not in another collectivité');
  const entries = await t.db.transaction(a.tenant.id, (tx) =>
    tx.query<{ actor: string; action: string }>(`select actor, action from journal_entries where action like 'catalogue.%' order by at, id`),
  );
  assert.deepEqual(
    entries.map((e) => `${e.actor} ${e.action}`),
    ['system catalogue.dataset.create', 'system catalogue.resource.upload', 'system catalogue.dataset.approve', 'system catalogue.resource.load'],
  );
});

test('unchanged on the same bytes; updated on new bytes (a new version), and on a new schema', async () => {
  const same = await publishGeneratedDataset(t.deps, input(a, CSV1));
  assert.equal(same.outcome, 'unchanged');
  assert.equal((await versions(a, same.datasetId)).length, 1);

  const next = await publishGeneratedDataset(t.deps, input(a, CSV2));
  assert.equal(next.outcome, 'updated');
  assert.equal(next.datasetId, same.datasetId);
  assert.deepEqual(await versions(a, next.datasetId), [
    { version: 1, valid: true },
    { version: 2, valid: true },
  ]);

  // The calling module's schema grows a column: the dataset follows it, the file is checked against it.
  const wider = { ...SCHEMA, fields: [...SCHEMA.fields, { name: 'participants', type: 'integer' }] };
  const csv3 = 'debat,mois,contributions,participants\r\nvelo,2026-03,13,x\r\n';
  const third = await publishGeneratedDataset(t.deps, input(a, csv3, { schema: wider }));
  assert.equal(third.outcome, 'updated');
  assert.deepEqual((await versions(a, third.datasetId)).at(-1), { version: 3, valid: false }, '"x" is not an integer of the new schema');
  const schema = JSON.parse((await t.app.inject(`/${a.tenant.slug}/donnees/contributions-debats/schema.json`)).body) as { fields: unknown[] };
  assert.equal(schema.fields.length, 4);
  assert.equal((await publishGeneratedDataset(t.deps, input(a, csv3, { schema: wider }))).outcome, 'unchanged');
});

test('a steward’s dataset with the slug, or another generator’s, is never written; an archived one stays archived', async () => {
  const c = await catalogueTenant(t);
  const mine = await makeDataset(t, c, { title: 'Contributions', schema: '' });
  await t.db.transaction(c.tenant.id, (tx) => tx.query('update catalogue_datasets set slug = $2 where id = $1', [mine.id, 'contributions-debats']));
  const r = await publishGeneratedDataset(t.deps, input(c, CSV1));
  assert.deepEqual(r, { outcome: 'skipped', datasetId: mine.id });
  const n = await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from catalogue_resources'));
  assert.equal(n!.n, 0);
  const d = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ custom_schema: unknown; state: string }>('select custom_schema, state from catalogue_datasets where id = $1', [mine.id]),
  );
  assert.deepEqual(d, { custom_schema: null, state: 'draft' });

  // Another module generating under the same slug in A does not take A's dataset.
  assert.equal((await publishGeneratedDataset(t.deps, input(a, CSV1, { generator: 'roadmap' }))).outcome, 'skipped');

  await t.db.transaction(a.tenant.id, (tx) => tx.query(`update catalogue_datasets set state = 'archived' where slug = 'contributions-debats'`));
  assert.equal((await publishGeneratedDataset(t.deps, input(a, CSV1))).outcome, 'skipped');
  const state = await t.db.transaction(a.tenant.id, (tx) =>
    tx.one<{ state: string }>(`select state from catalogue_datasets where slug = 'contributions-debats'`),
  );
  assert.equal(state!.state, 'archived');
  await t.db.transaction(a.tenant.id, (tx) => tx.query(`update catalogue_datasets set state = 'published' where slug = 'contributions-debats'`));
});

test('bad input is refused with a 422 naming the field, and nothing is written', async () => {
  const c = await catalogueTenant(t);
  const bad: Array<[Partial<GeneratedDatasetInput>, string]> = [
    [{ schema: { fields: [{ name: 'x', type: 'nonsense' }] } }, 'schema'],
    [{ schema: { fields: 'not a list' } as unknown as Record<string, unknown> }, 'schema'],
    [{ schema: 'no-such-bundled-schema' }, 'schema'],
    [{ schema: { fields: [{ name: 'x', type: 'string', constraints: { pattern: '(a+)+$'.repeat(20000) } }] } }, 'schema'],
    [{ slug: '../etc' }, 'slug'],
    [{ themes: ['NOPE'] }, 'themes'],
    [{ frequency: 'SOMETIMES' }, 'frequency'],
    [{ title: '' }, 'title'],
  ];
  for (const [extra, field] of bad) {
    await assert.rejects(
      publishGeneratedDataset(t.deps, input(c, CSV1, extra)),
      (e: unknown) => e instanceof HttpError && e.statusCode === 422 && JSON.stringify(e.details).includes(`"${field}"`),
      `${JSON.stringify(extra).slice(0, 80)} → ${field}`,
    );
  }
  const n = await t.db.transaction(c.tenant.id, (tx) => tx.one<{ n: number }>('select count(*)::int as n from catalogue_datasets'));
  assert.equal(n!.n, 0);
  const journal = await t.db.transaction(c.tenant.id, (tx) =>
    tx.one<{ n: number }>(`select count(*)::int as n from journal_entries where action like 'catalogue.%'`),
  );
  assert.equal(journal!.n, 0);
});

test('catalogueMetrics: per collectivité, published datasets, their mean quality and months', async () => {
  const empty = await catalogueTenant(t);
  assert.deepEqual(await catalogueMetrics(t.deps, empty.tenant.id), { published: 0, meanQuality: null, publishedByMonth: [] });

  const m = await catalogueMetrics(t.deps, a.tenant.id);
  assert.equal(m.published, 1);
  assert.ok(m.meanQuality !== null && m.meanQuality > 0 && m.meanQuality <= 1);
  // The same score as the dataset page shows.
  const page = (await t.app.inject(`/${a.tenant.slug}/donnees/contributions-debats`)).body;
  const shown = /<details id="qualite"><summary>[^<]*?(\d+)[^<\d]+(\d+)/.exec(page);
  assert.ok(shown, 'the page shows a score');
  assert.equal(m.meanQuality, Number(shown[1]) / Number(shown[2]));
  const month = new Date().toISOString().slice(0, 7);
  assert.deepEqual(m.publishedByMonth, [{ month, count: 1 }]);

  // A draft of B counts nowhere; A's figures are not B's.
  await makeDataset(t, b, { title: 'Brouillon' });
  assert.deepEqual(await catalogueMetrics(t.deps, b.tenant.id), { published: 0, meanQuality: null, publishedByMonth: [] });
});

// The solutions directory counts Bastide's modules per member without anyone declaring them: debates open
// to the public come from the debates module's exported debatesMetrics, like archives from archivesMetrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../../core/seed/demo.ts';
import { roadmapModule } from '../index.ts';
import { debatesModule, debatesMetrics } from '../../debates/index.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await seedCoreDemo(t.db);
  await roadmapModule.seedDemo!({ db: t.db, config: t.config }, () => {});
  await debatesModule.seedDemo!({ db: t.db, config: t.config }, () => {});
});
after(() => t.close());

test('the directory shows each member’s public debates as the debates module counts them', async () => {
  const nantes = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = 'nantes-metropole'`)))!;
  const expected = (await debatesMetrics({ db: t.db }, nantes.id)).debates;
  assert.ok(expected >= 1, 'the demo opens a debate at Nantes Métropole');
  const res = await t.app.inject({ url: '/les-interconnectes/reseau/solutions' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<th scope="col">Concertations ouvertes<\/th>/);
  const row = /<tr><th scope="row">Nantes Métropole<\/th>((?:<td>\d+<\/td>){5})<\/tr>/.exec(res.body);
  assert.ok(row, 'Nantes Métropole has its row of five counts');
  const cells = [...row[1]!.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.equal(cells[3], expected);
});

// The archives' demo data: in each demo EPCI a series of deliberations with a PDF (identified as such) and
// a CSV, and a file of 2012 subsidy applications whose retention ended, proposed for elimination; a
// second run adds nothing; the archivist's pages show them within budget-sized answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedCoreDemo } from '../../core/seed/demo.ts';
import { seedArchivesDemo } from './seed.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('each demo EPCI gets its deposit, a second run adds nothing, and the archivist sees it', async () => {
  await seedCoreDemo(t.db);
  const lines: string[] = [];
  await seedArchivesDemo({ db: t.db, config: t.config }, (l) => lines.push(l));
  assert.ok(lines.length >= 1, 'at least one demo EPCI');
  const again: string[] = [];
  await seedArchivesDemo({ db: t.db, config: t.config }, (l) => again.push(l));
  assert.deepEqual(again, []);
  const tenant = (await t.db.transaction(null, (tx) => tx.one<{ id: string; slug: string }>(`select id, slug from tenants where slug = 'nantes-metropole'`)))!;
  const objects = await t.db.transaction(tenant.id, (tx) =>
    tx.query<{ filename: string; format_id: string }>('select filename, format_id from archives_objects order by filename'),
  );
  assert.deepEqual(
    objects.map((o) => o.filename),
    ['deliberation-2014-032.pdf', 'demandes-2012.txt', 'registre-2014.csv'],
  );
  // The receipts' writer makes PDF 1.4 or, since its PDF/A upgrade, PDF/A-2 (fmt/476–478): a PDF either way.
  assert.match(objects[0]!.format_id, /^fmt\/(18|47[678])$/);
  assert.deepEqual([objects[1]!.format_id, objects[2]!.format_id], ['x-fmt/111', 'x-fmt/18']);
  const archivist = (await t.db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from people where email like 'archiviste@%'`)))!;
  const browser = await browserFor(t, archivist.id);
  const base = `/${tenant.slug}/admin/archives`;
  for (const path of ['', '/verser', '/regles', '/eliminations']) {
    const res = await t.app.inject({ url: `${base}${path}`, headers: browser.headers });
    assert.equal(res.statusCode, 200, path);
    assert.ok(res.body.length < 150_000, `${path}: ${res.body.length} bytes`);
  }
  assert.match((await t.app.inject({ url: `${base}/eliminations`, headers: browser.headers })).body, /Demandes de subvention associative 2012/);
  const unit = (await t.db.transaction(tenant.id, (tx) => tx.one<{ id: string }>(`select id from archives_units where title like 'Séance%'`)))!;
  const page = await t.app.inject({ url: `${base}/unites/${unit.id}`, headers: browser.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /héritée de/);
  assert.match(page.body, /APP-DELIB-C/);
  // The stable addresses the page tour opens: the demo deposit's root unit and its proof of integrity.
  const demo = await t.app.inject({ url: `${base}/demonstration`, headers: browser.headers });
  assert.equal(demo.statusCode, 200);
  assert.match(demo.body, /Demandes de subvention associative 2012/);
  const proofPage = await t.app.inject({ url: `${base}/demonstration/preuve`, headers: browser.headers });
  assert.equal(proofPage.statusCode, 200);
  assert.match(proofPage.body, /Relevé de valeur probante/);
});

// A CSV over the inline threshold is validated by the `catalogue.validate` job: the version is pending
// until the job stores its report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { catalogueTenant, makeDataset, uploadFile } from '../../../test/support/catalogue/datasets.ts';
import { validateJobHandler } from './actions/validate-version.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('a large file is validated by a job, not during the upload', async () => {
  const c = await catalogueTenant(t);
  const d = await makeDataset(t, c);
  process.env.BASTIDE_CATALOGUE_INLINE_VALIDATION_BYTES = '100';
  try {
    const body = readFileSync(new URL('./seed-fixtures/subventions-erreurs.csv', import.meta.url));
    assert.equal((await uploadFile(t, c.steward, d.page, { name: 'subventions.csv', body })).statusCode, 303);
  } finally {
    delete process.env.BASTIDE_CATALOGUE_INLINE_VALIDATION_BYTES;
  }
  const version = () =>
    t.db.transaction(c.tenant.id, (tx) =>
      tx.one<{ id: string; validation_state: string; valid: boolean | null; error_count: number | null }>(
        'select id, validation_state, valid, error_count from catalogue_resource_versions',
      ),
    );
  const pending = (await version())!;
  assert.equal(pending.validation_state, 'pending');
  const job = await t.db.ownerTransaction((tx) =>
    tx.one<{ id: number; payload: Record<string, unknown> }>(`select id, payload from jobs where kind = 'catalogue.validate' and tenant_id = $1`, [
      c.tenant.id,
    ]),
  );
  assert.ok(job);
  await validateJobHandler(t.deps)({ id: job.id, tenant_id: c.tenant.id, kind: 'catalogue.validate', payload: job.payload, attempts: 0, max_attempts: 8 });
  const done = (await version())!;
  assert.equal(done.validation_state, 'done');
  assert.equal(done.valid, false);
  assert.ok(done.error_count! > 0);
  const page = await t.app.inject({ url: d.page, headers: c.steward.headers });
  assert.match(page.body, /Non conforme \(\d+ erreurs\)/);
  const report = await t.app.inject({ url: `${/href="([^"]+\/rapport)"/.exec(page.body)![1]}`, headers: c.steward.headers });
  assert.match(report.body, /<th scope="col">Ligne<\/th>/);
  assert.match(report.body, /type-error/);
});

// The tabular API after a tenant import (core/transfer): the archive carries the loads' rows but not their
// tables. The import queues the modules' afterTenantImport hook; the catalogue's queues the loads again,
// and once the jobs ran the rows endpoint answers the same rows as on the source. A current table missing
// for any other reason: a 503 « en cours de chargement » with Retry-After, one load queued at most.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { catalogueTenant, type Catalogue } from '../../../../test/support/catalogue/datasets.ts';
import { loadedResource, runLoads, type LoadedResource } from '../../../../test/support/catalogue/tabular.ts';
import { catalogueModule } from '../index.ts';
import { blobStoreFor } from '../../../core/files/store.ts';
import { exportTenant } from '../../../core/transfer/export.ts';
import { importTenant } from '../../../core/transfer/import.ts';
import { TENANT_IMPORTED_JOB } from '../../../core/module.ts';

const CSV = readFileSync(new URL('../seed-fixtures/subventions-valide.csv', import.meta.url), 'utf8');

let source: TestApp;
let target: TestApp;
let work: string;
let c: Catalogue;
let loaded: LoadedResource;
before(async () => {
  source = await startTestApp();
  target = await startTestApp();
  work = mkdtempSync(join(tmpdir(), 'bastide-after-import-'));
  c = await catalogueTenant(source);
  loaded = await loadedResource(source, c, CSV);
});
after(async () => {
  await source?.close();
  await target?.close();
  rmSync(work, { recursive: true, force: true });
});

const QUERIES = ['?page_size=50', '?montant__sort=desc&page_size=7&page=2', '?montant__greater=10000&columns=nomBeneficiaire,montant'];

async function answers(t: TestApp): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const res = await t.app.inject(`${loaded.api}/rows${q}`);
    assert.equal(res.statusCode, 200, res.body);
    out.push((res.json() as { data: unknown; meta: unknown }).data, (res.json() as { meta: unknown }).meta);
  }
  out.push((await t.app.inject(`${loaded.api}/rows.csv`)).body);
  return out;
}

async function loads(t: TestApp): Promise<Array<{ state: string; current: boolean }>> {
  return t.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ state: string; current: boolean }>('select state, current from catalogue_tabular_loads where resource_id = $1 order by created_at', [
      loaded.resourceId,
    ]),
  );
}

test('export a tenant with a loaded resource, import it, run the jobs: the rows endpoint answers the same rows', async () => {
  const expected = await answers(source);
  const file = join(work, 'tenant.zip');
  await exportTenant(source.db, blobStoreFor(source.config), c.tenant.slug, file);
  await importTenant(target.db, blobStoreFor(target.config), file);

  // The hook's job is queued by the import's own transaction.
  const queued = await target.db.ownerTransaction((tx) =>
    tx.query<{ payload: { tenantId: string } }>('select payload from jobs where kind = $1', [TENANT_IMPORTED_JOB]),
  );
  assert.deepEqual(
    queued.map((j) => j.payload.tenantId),
    [c.tenant.id],
  );
  await target.deps.jobs.drain();
  assert.deepEqual(await loads(target), [
    { state: 'replaced', current: false },
    { state: 'done', current: true },
  ]);
  assert.deepEqual(await answers(target), expected);
  const journal = await target.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ actor: string; data: { reason?: string } }>(
      `select actor, data from journal_entries where action = 'catalogue.resource.load_request' order by at`,
    ),
  );
  assert.deepEqual(
    journal.map((j) => `${j.actor} ${j.data.reason}`),
    ['system tenant_import'],
  );
  // The hook again (a job retried): nothing more to do.
  await target.deps.jobs.drain();
  assert.equal((await loads(target)).length, 2);
});

test('the catalogue’s hook alone (what an import leaves: a current load without its table, a load queued without its job)', async () => {
  const t = source;
  const [{ table_name }] = await t.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ table_name: string }>('select table_name from catalogue_tabular_loads where resource_id = $1 and current', [loaded.resourceId]),
  );
  const expected = await answers(t);
  await t.db.ownerTransaction((tx) => tx.script(`drop table ${table_name}`));
  const before = (await loads(t)).length;
  await catalogueModule.afterTenantImport!(t.deps, c.tenant.id);
  assert.deepEqual((await loads(t)).slice(before), [{ state: 'queued', current: false }]);
  // Again (the job retried): the queued load has its job, nothing more is queued.
  await catalogueModule.afterTenantImport!(t.deps, c.tenant.id);
  assert.deepEqual((await loads(t)).slice(before), [{ state: 'queued', current: false }]);
  // A load queued without its job (as an archive carries one): marked failed, one fresh load instead.
  await t.db.ownerTransaction((tx) => tx.query(`delete from jobs where kind = 'catalogue.tabular.load' and tenant_id = $1`, [c.tenant.id]));
  await catalogueModule.afterTenantImport!(t.deps, c.tenant.id);
  assert.deepEqual((await loads(t)).slice(before), [
    { state: 'failed', current: false },
    { state: 'queued', current: false },
  ]);
  await runLoads(t, c.tenant.id);
  assert.deepEqual(await answers(t), expected);
});

test('a current table missing for any reason: 503 with Retry-After in the reader’s language, one load queued at most, then the rows', async () => {
  const expected = await answers(source);
  const [{ table_name }] = await source.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ table_name: string }>('select table_name from catalogue_tabular_loads where resource_id = $1 and current', [loaded.resourceId]),
  );
  await source.db.ownerTransaction((tx) => tx.script(`drop table ${table_name}`));
  const start = (await loads(source)).length;

  const fr = await source.app.inject(`${loaded.api}/rows`);
  assert.equal(fr.statusCode, 503);
  assert.equal(fr.headers['retry-after'], '30');
  assert.match(fr.body, /en cours de chargement/);
  const en = await source.app.inject({ url: `${loaded.api}/rows.csv`, headers: { 'accept-language': 'en' } });
  assert.equal(en.statusCode, 503);
  assert.match(en.body, /being loaded/);
  for (const path of ['rows.jsonl', 'profile', 'rows?page=2']) assert.equal((await source.app.inject(`${loaded.api}/${path}`)).statusCode, 503, path);
  assert.deepEqual((await loads(source)).slice(start), [{ state: 'queued', current: false }], 'one load queued, however many asked');

  await runLoads(source, c.tenant.id);
  assert.deepEqual(await answers(source), expected);

  // A reload that fails (the file gone from the store) is not retried by visitors: it waits for a steward.
  const [{ table_name: again }] = await source.db.transaction(c.tenant.id, (tx) =>
    tx.query<{ table_name: string }>('select table_name from catalogue_tabular_loads where resource_id = $1 and current', [loaded.resourceId]),
  );
  await source.db.ownerTransaction((tx) => tx.script(`drop table ${again}`));
  const before = (await loads(source)).length;
  assert.equal((await source.app.inject(`${loaded.api}/rows`)).statusCode, 503);
  assert.equal((await loads(source)).length, before + 1);
  await source.db.transaction(c.tenant.id, (tx) =>
    tx.query(`update catalogue_tabular_loads set state = 'failed', error = 'test' where resource_id = $1 and state = 'queued'`, [loaded.resourceId]),
  );
  assert.equal((await source.app.inject(`${loaded.api}/rows`)).statusCode, 503);
  assert.equal((await loads(source)).length, before + 1, 'no second load after a failed one');
});

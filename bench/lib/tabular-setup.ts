// What the tabular benchmarks share: a generated SCDL subventions file (cached in the temporary folder),
// and a collectivité whose published dataset holds that file as a valid CSV version, its bytes placed in
// the blob store and recorded as the upload would (the validation's verdict recorded as valid: the
// validator has its own benchmark, csv-validate).
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/core/db/database.ts';
import { createTenant } from '../../src/core/tenancy/create-tenant.ts';
import { enqueueLoad } from '../../src/modules/catalogue/actions/load-version.ts';
import { writeSubventions } from './generate-subventions.ts';
import { progress } from './report.ts';
import type { BenchOptions } from './options.ts';

/** Rows of the generated file: BASTIDE_BENCH_ROWS, else 100,000 with --quick and 1,000,000 without. */
export function benchRows(o: BenchOptions): number {
  return Number(process.env.BASTIDE_BENCH_ROWS) || (o.quick ? 100_000 : 1_000_000);
}

export async function subventionsFile(o: BenchOptions, rows: number): Promise<{ file: string; bytes: number; sha256: string }> {
  const dir = join(tmpdir(), 'bastide-bench-csv');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `subventions-${rows}.csv`);
  if (o.fresh || !existsSync(file)) {
    progress(`generating ${rows.toLocaleString('en-GB')} rows of SCDL subventions into ${file}`);
    await writeSubventions(`${file}.part`, rows);
    renameSync(`${file}.part`, file);
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { file, bytes: statSync(file).size, sha256: hash.digest('hex') };
}

export interface TabularTarget {
  tenantId: string;
  slug: string;
  datasetSlug: string;
  resourceId: string;
  loadId: string;
}

/** A collectivité, a published dataset with the file as its resource's valid version, and a queued load. */
export async function tabularTarget(
  db: Database,
  dataDir: string,
  f: { file: string; bytes: number; sha256: string },
  slug = 'banc-tabulaire',
): Promise<TabularTarget> {
  const created = await createTenant(db, { kind: 'syndicate', name: `Banc d’essai ${slug}`, slug, actor: 'cli' });
  if (!created.ok) throw new Error(created.message);
  const tenantId = created.tenant.id;
  const target = join(dataDir, 'files', tenantId, f.sha256.slice(0, 2), f.sha256);
  // Private, as the blob store keeps its files (the server refuses a data folder open to other accounts).
  mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
  for (const dir of [join(dataDir, 'files'), join(dataDir, 'files', tenantId), join(target, '..')]) chmodSync(dir, 0o700);
  copyFileSync(f.file, target);
  chmodSync(target, 0o600);
  return db.transaction(tenantId, async (tx) => {
    await tx.execute(`insert into blobs (tenant_id, sha256, size, content_type) values (app_tenant(), $1, $2, 'text/csv')`, [f.sha256, f.bytes]);
    const dataset = (await tx.one<{ id: string }>(
      `insert into catalogue_datasets (tenant_id, slug, title, schema_name, state, published_at) values (app_tenant(), 'subventions', 'Subventions', 'scdl-subventions', 'published', now()) returning id`,
    ))!.id;
    const resourceId = (await tx.one<{ id: string }>(
      `insert into catalogue_resources (tenant_id, dataset_id, title) values (app_tenant(), $1, 'Subventions') returning id`,
      [dataset],
    ))!.id;
    const report = { valid: true, stats: { delimiter: ',', encoding: 'utf-8' } };
    const version = (await tx.one<{ id: string }>(
      `insert into catalogue_resource_versions (tenant_id, resource_id, version, sha256, size, content_type, filename, format, uploaded_by, validation_state, valid, error_count, warning_count, report, validated_at)
       values (app_tenant(), $1, 1, $2, $3, 'text/csv', 'subventions.csv', 'CSV', 'cli', 'done', true, 0, 0, $4, now()) returning id`,
      [resourceId, f.sha256, f.bytes, JSON.stringify(report)],
    ))!.id;
    const loadId = (await enqueueLoad(tx, { id: version, resource_id: resourceId, size: f.bytes, content_type: 'text/csv' }, 'cli'))!;
    return { tenantId, slug, datasetSlug: 'subventions', resourceId, loadId };
  });
}

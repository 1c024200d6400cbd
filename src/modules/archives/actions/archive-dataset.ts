// A dataset version sent to the archives (issue 13): the archivist names a version of the catalogue; the
// unit carries the dataset's DCAT metadata (title, description with licence, publisher, frequency,
// coverage; keywords and themes as keywords; temporal coverage as dates) and two objects: the version's
// blob (checked against the SHA-256 and size the catalogue recorded) and the metadata as JSON. Filed once
// per version (kind 'catalogue', source_ref = version id, unique: migration 0610).
//
// Rules: access ACC-00 (communicable at once) unless the dataset holds personal data (ACC-50, private
// life); no appraisal rule unless the archivist names one (no DUA: the unit is never proposed for
// elimination until someone decides). Both can be named in the request.
import { Readable } from 'node:stream';
import type { Database } from '../../../core/db/database.ts';
import { blobStoreFor, type FilesConfig } from '../../../core/files/store.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { HttpError, notFound, unprocessable } from '../../../core/base/errors.ts';
import { datasetVersionPackage } from '../../catalogue/index.ts';
import { requireArchivist, type Principal } from '../archives.policy.ts';
import { ingestUnits, type IngestResult } from './ingest.ts';
import type { UnitRule } from '../rules.ts';

const RULE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ArchiveDatasetInput {
  version?: unknown;
  appraisal_rule?: unknown;
  access_rule?: unknown;
}

export async function archiveDatasetVersion(
  deps: { db: Database; config: FilesConfig },
  p: Principal,
  input: ArchiveDatasetInput,
): Promise<IngestResult & { unit: string }> {
  requireArchivist(p);
  const errors: Record<string, string[]> = {};
  for (const k of ['appraisal_rule', 'access_rule'] as const) {
    const v = input[k];
    if (v !== undefined && v !== null && v !== '' && (typeof v !== 'string' || !RULE_CODE.test(v))) errors[k] = [p.t('archives.error.choice')];
  }
  if (typeof input.version !== 'string' || !isUuid(input.version)) errors.version = [p.t('archives.error.required')];
  if (Object.keys(errors).length) throw unprocessable(errors);
  const versionId = input.version as string;
  const already = await deps.db.transaction(p.tenantId, (tx) =>
    tx.one(`select 1 from archives_ingests where kind = 'catalogue' and source_ref = $1`, [versionId]),
  );
  if (already) throw new HttpError(409, 'conflict', p.t('archives.dataset.already'));
  // Row-level security: another collectivité's version does not exist here.
  const pkg = await deps.db.transaction(p.tenantId, (tx) => datasetVersionPackage(tx, versionId));
  if (!pkg) throw notFound();
  const d = pkg.dataset;
  const opened = await blobStoreFor(deps.config).open(p.tenantId, pkg.blob.sha256);
  const uploaded = pkg.uploadedAt.toISOString().slice(0, 10);
  const rules: UnitRule[] = [];
  const access = typeof input.access_rule === 'string' && input.access_rule ? input.access_rule : d.personalData ? 'ACC-50' : 'ACC-00';
  rules.push({ category: 'access', rule_code: access, start_date: d.temporalEnd ?? uploaded });
  if (typeof input.appraisal_rule === 'string' && input.appraisal_rule)
    rules.push({ category: 'appraisal', rule_code: input.appraisal_rule, start_date: d.temporalEnd ?? uploaded });
  const dcat = {
    '@type': 'dcat:Dataset',
    identifier: d.id,
    slug: d.slug,
    title: d.title,
    description: d.description,
    keyword: d.keywords,
    theme: d.themes,
    license: d.licence,
    accrualPeriodicity: d.frequency,
    spatial: d.spatial,
    temporal: { startDate: d.temporalStart, endDate: d.temporalEnd },
    publisher: d.publisher || pkg.tenantName,
    contactPoint: d.contactPoint,
    distribution: {
      '@type': 'dcat:Distribution',
      identifier: pkg.resource.id,
      title: pkg.resource.title,
      description: pkg.resource.description,
      version: pkg.version,
      versionId: pkg.versionId,
      fileName: pkg.blob.filename,
      mediaType: pkg.blob.contentType,
      byteSize: pkg.blob.size,
      checksum: { algorithm: 'sha256', value: pkg.blob.sha256 },
      issued: pkg.uploadedAt.toISOString(),
    },
  };
  const lines = [
    d.description,
    `Licence : ${d.licence}.`,
    `Producteur : ${d.publisher || pkg.tenantName}.`,
    d.frequency ? `Fréquence de mise à jour : ${d.frequency}.` : '',
    d.spatial.length ? `Couverture géographique : ${d.spatial.join(', ')}.` : '',
    `Ressource « ${pkg.resource.title} », version ${pkg.version} (${pkg.blob.filename}), déposée le ${uploaded}.`,
  ].filter(Boolean);
  const source = opened ? opened.stream : Readable.from([]);
  try {
    const result = await ingestUnits(deps, p, {
      kind: 'catalogue',
      source_ref: versionId,
      units: [
        {
          title: `${d.title} — ${pkg.resource.title}, version ${pkg.version}`.slice(0, 1000),
          description: lines.join('\n'),
          level: 'Item',
          start_date: d.temporalStart,
          end_date: d.temporalEnd,
          originating_agency: (d.publisher || pkg.tenantName).slice(0, 500),
          keywords: [...new Set([...d.keywords, ...d.themes])].slice(0, 200),
          rules,
          objects: [
            { filename: pkg.blob.filename, source, expected: { sha256: pkg.blob.sha256, size: pkg.blob.size } },
            { filename: `${d.slug}-v${pkg.version}.dcat.json`, source: Readable.from([Buffer.from(JSON.stringify(dcat, null, 2) + '\n')]) },
          ],
        },
      ],
    });
    return { ...result, unit: result.units[0]!.id };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new HttpError(409, 'conflict', p.t('archives.dataset.already'));
    throw error;
  } finally {
    source.destroy();
  }
}

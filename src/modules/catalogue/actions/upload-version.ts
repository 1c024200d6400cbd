// A new version of a resource (or a new resource with its first version): the file is already streamed to
// the blob store, bounded and typed (core/files/upload.ts); this records it in one transaction with its
// journal entry, validates a small CSV at once against the dataset's schema, and enqueues the validation
// of a larger one.
import type { Database } from '../../../core/db/database.ts';
import { journal } from '../../../core/audit/journal.ts';
import { conflict, notFound, unprocessable } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { enqueue } from '../../../core/jobs/queue.ts';
import { recordBlob, type StoredUpload } from '../../../core/files/upload.ts';
import { requirePreparer, uploadable, type Principal } from '../catalogue.policy.ts';
import { findDataset, findResource, insertResource, insertVersion, recordValidation } from '../catalogue.repository.ts';
import { datasetSchema } from '../dataset-schema.ts';
import { formatOf } from '../vocabularies.ts';
import { inlineValidationBytes, VALIDATE_JOB, validatable, validateBlob } from './validate-version.ts';
import { enqueueLoad } from './load-version.ts';

/** What a resource may be: open formats first, and the documents and spreadsheets people have. */
export const RESOURCE_TYPES = [
  'text/csv',
  'text/plain',
  'application/pdf',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
];

/**
 * What core/files is told besides the types: a CSV saved by Excel on a French Windows is Windows-1252 (or
 * Latin-1); its bytes are kept as published, the validator reads them with a warning, and the download says
 * `charset=windows-1252`.
 */
export const LEGACY_TEXT = 'windows-1252' as const;

/** The largest resource file accepted (BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES, 100 MiB by default). */
export function maxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_CATALOGUE_MAX_UPLOAD_BYTES) || 100 * 1024 * 1024;
}

export interface VersionTarget {
  /** An existing resource of the dataset, or a new one with this title. */
  resourceId?: string;
  title?: string;
  description?: string;
}

export async function addResourceVersion(
  deps: { db: Database; config: { dataDir: string } },
  p: Principal,
  datasetId: string,
  target: VersionTarget,
  stored: StoredUpload,
): Promise<{ resourceId: string; version: number; validation: string }> {
  requirePreparer(p);
  if (!isUuid(datasetId)) throw notFound();
  const dataset = await deps.db.transaction(p.tenantId, (tx) => findDataset(tx, datasetId));
  if (!dataset) throw notFound();
  const schema = datasetSchema(dataset);
  const check = validatable(stored.contentType, schema);
  const inline = check && stored.size <= inlineValidationBytes();
  // Read before the transaction: the bytes are already in the store, and a small file validates in milliseconds.
  const report = inline ? await validateBlob(deps.config, p.tenantId, stored.sha256, schema, stored.contentType) : null;
  return deps.db.transaction(p.tenantId, async (tx) => {
    const d = await findDataset(tx, datasetId, true);
    if (!d) throw notFound();
    if (!uploadable(d.state)) throw conflict(p.t('catalogue.error.not_uploadable'));
    let resourceId = target.resourceId;
    if (resourceId) {
      if (!isUuid(resourceId) || !(await findResource(tx, datasetId, resourceId))) throw notFound();
    } else {
      const title = (target.title ?? '').trim() || stored.filename;
      if (title.length > 200) throw unprocessable({ title: [p.t('catalogue.error.too_long', { max: 200 })] });
      resourceId = await insertResource(tx, datasetId, title, (target.description ?? '').trim().slice(0, 5000));
    }
    await recordBlob(tx, stored);
    const v = await insertVersion(tx, resourceId, {
      sha256: stored.sha256,
      size: stored.size,
      contentType: stored.contentType,
      filename: stored.filename,
      format: formatOf(stored.contentType, stored.filename),
      uploadedBy: p.actor,
      validationState: check ? 'pending' : 'none',
    });
    let validation = check ? 'pending' : 'none';
    if (inline) {
      await recordValidation(tx, v.id, { state: report ? 'done' : 'failed', report });
      validation = report ? (report.valid ? 'valid' : 'invalid') : 'failed';
      if (report?.valid) await enqueueLoad(tx, { id: v.id, resource_id: resourceId, size: stored.size, content_type: stored.contentType }, p.actor);
    } else if (check) {
      await enqueue(tx, VALIDATE_JOB, { versionId: v.id, datasetId });
    }
    await journal(tx, {
      actor: p.actor,
      action: 'catalogue.resource.upload',
      subjectType: 'dataset',
      subjectId: datasetId,
      data: { resource: resourceId, version: v.version, sha256: stored.sha256, size: stored.size, filename: stored.filename, validation },
    });
    return { resourceId, version: v.version, validation };
  });
}

// Validating a CSV resource version against its dataset's schema: inline for a small file (the steward
// sees the verdict at once), as a job (`catalogue.validate`) for a larger one. The report is stored with
// the version. The bytes are read back from the blob store as a stream: memory stays bounded.
import type { Database } from '../../../core/db/database.ts';
import type { Job } from '../../../core/jobs/runner.ts';
import { openBlob } from '../../../core/files/send.ts';
import { validateCsv, type CompiledSchema, type ValidationReport } from '../validation/index.ts';
import { datasetSchema } from '../dataset-schema.ts';
import { spreadsheetFormat, validateSpreadsheet } from '../spreadsheet/index.ts';
import { findDataset, findVersionById, recordValidation } from '../catalogue.repository.ts';
import { enqueueLoad } from './load-version.ts';

export const VALIDATE_JOB = 'catalogue.validate';

/** Files up to this size are validated during the upload; larger ones by a job. */
export function inlineValidationBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_CATALOGUE_INLINE_VALIDATION_BYTES) || 5 * 1024 * 1024;
}

/** CSV, and the first sheet of an XLSX or ODS (spreadsheet/), are validated when the dataset has a schema. */
export function validatable(contentType: string, schema: CompiledSchema | null): schema is CompiledSchema {
  return !!schema && (contentType === 'text/csv' || spreadsheetFormat(contentType) !== null);
}

/** Validates stored bytes; null when the bytes are missing. */
export async function validateBlob(
  config: { dataDir: string },
  tenantId: string,
  sha256: string,
  schema: CompiledSchema,
  contentType = 'text/csv',
): Promise<ValidationReport | null> {
  const opened = await openBlob({ config }, tenantId, sha256);
  if (!opened) return null;
  const format = spreadsheetFormat(contentType);
  if (format) return validateSpreadsheet(opened.stream as AsyncIterable<Uint8Array>, format, schema, { locale: 'fr' });
  return validateCsv(opened.stream as AsyncIterable<Uint8Array>, schema, { locale: 'fr' });
}

/** The job: validates one version (repeatable: it only writes the version's report). */
export function validateJobHandler(deps: { db: Database; config: { dataDir: string } }) {
  return async (job: Job): Promise<void> => {
    const tenantId = job.tenant_id;
    const versionId = job.payload.versionId;
    const datasetId = job.payload.datasetId;
    if (!tenantId || typeof versionId !== 'string' || typeof datasetId !== 'string') return;
    const found = await deps.db.transaction(tenantId, async (tx) => ({
      version: await findVersionById(tx, versionId),
      dataset: await findDataset(tx, datasetId),
    }));
    if (!found.version || !found.dataset) return;
    const schema = datasetSchema(found.dataset);
    if (!validatable(found.version.content_type, schema)) return;
    const report = await validateBlob(deps.config, tenantId, found.version.sha256, schema, found.version.content_type);
    const version = found.version;
    await deps.db.transaction(tenantId, async (tx) => {
      await recordValidation(tx, versionId, { state: report ? 'done' : 'failed', report });
      // A valid file goes into the tabular store (the API's rows), in the same transaction as its verdict.
      if (report?.valid) await enqueueLoad(tx, version, 'system');
    });
  };
}

// An archivist's upload (page form or API, multipart): the description fields, then one or more `file`
// parts. Each file is staged as it arrives (hashed, identified, stored), bounded by the request's budget;
// then ingestUnits records one unit with its objects. Anything refused or failed takes back what it stored.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { HttpError, unprocessable } from '../../../core/base/errors.ts';
import { assertNoNul } from '../../../core/http/request-guard.ts';
import type { Principal } from '../archives.policy.ts';
import { discardStaged, ingestUnits, type IngestResult, type IngestUnitInput } from '../actions/ingest.ts';
import { stageObject, StagingError, type StagedObject } from '../objects.ts';
import type { RuleCategory, UnitRule } from '../rules.ts';

/** The most bytes one upload request may bring (BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES, 1 GiB by default). */
export function maxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES) || 1024 ** 3;
}

export const UPLOAD_FIELDS = [
  'title',
  'description',
  'level',
  'start_date',
  'end_date',
  'originating_agency',
  'archival_agency',
  'keywords',
  'parent',
  'access_rule',
  'access_start',
  'appraisal_rule',
  'appraisal_start',
  'dissemination_rule',
  'reuse_rule',
  'storage_rule',
] as const;

export type UploadFields = Partial<Record<(typeof UPLOAD_FIELDS)[number], string>>;

/** The unit the fields describe (rules by category, their start date defaulting to the unit's end date). */
export function unitFromFields(fields: UploadFields): IngestUnitInput {
  const rules: UnitRule[] = [];
  const rule = (category: RuleCategory, code: string | undefined, start?: string) => {
    if (code) rules.push({ category, rule_code: code, start_date: start || fields.end_date || null });
  };
  rule('access', fields.access_rule, fields.access_start);
  rule('appraisal', fields.appraisal_rule, fields.appraisal_start);
  rule('dissemination', fields.dissemination_rule);
  rule('reuse', fields.reuse_rule);
  rule('storage', fields.storage_rule);
  return {
    title: fields.title ?? '',
    description: fields.description ?? '',
    level: fields.level || undefined,
    start_date: fields.start_date || null,
    end_date: fields.end_date || null,
    originating_agency: fields.originating_agency ?? '',
    archival_agency: fields.archival_agency ?? '',
    keywords: (fields.keywords ?? '')
      .split(/[,;\n]/)
      .map((k) => k.trim())
      .filter(Boolean),
    rules,
  };
}

export async function receiveUpload(deps: AppDeps, request: FastifyRequest, p: Principal): Promise<{ result: IngestResult; fields: UploadFields }> {
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', p.t('archives.error.multipart'));
  const budget = maxUploadBytes();
  const fields: UploadFields = {};
  const staged: StagedObject[] = [];
  const files: Array<{ filename: string; staged: StagedObject }> = [];
  let used = 0;
  try {
    for await (const part of request.parts({ limits: { fileSize: budget + 1, files: 20 } })) {
      if (part.type === 'field') {
        const value = String(part.value);
        assertNoNul(`${part.fieldname}${value}`, p.t);
        if ((UPLOAD_FIELDS as readonly string[]).includes(part.fieldname)) fields[part.fieldname as keyof UploadFields] = value.slice(0, 100_000).trim();
        continue;
      }
      if (part.fieldname !== 'file' || !part.filename) {
        part.file.resume();
        continue;
      }
      try {
        // Each file may use what the earlier ones left of the request's budget.
        const s = await stageObject(deps, p.tenantId, part.file, { filename: part.filename, maxBytes: budget - used });
        used += s.size;
        staged.push(s);
        files.push({ filename: part.filename, staged: s });
      } catch (error) {
        part.file.resume();
        if (error instanceof StagingError && error.code === 'too_large')
          throw unprocessable({ file: [p.t('archives.error.object_too_large', { max: `${Math.round(budget / 1024 / 1024)} Mo` })] });
        throw error;
      }
    }
    if (files.length === 0) throw unprocessable({ file: [p.t('archives.error.no_file')] });
    const unit = unitFromFields(fields);
    unit.objects = files.map((f) => ({ filename: f.filename, source: f.staged }));
    const result = await ingestUnits(deps, p, { kind: 'upload', parent_id: fields.parent || null, units: [unit] });
    return { result, fields };
  } finally {
    // Runs before this function returns or throws, so before the route answers (page or API): a client
    // never receives the answer while refused bytes are still in the store (upload-refused.test.ts).
    await discardStaged(deps.db, p.tenantId, staged);
  }
}

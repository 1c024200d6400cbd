// An application's document, uploaded as multipart: bounded (BASTIDE_FUNDING_MAX_UPLOAD_MB, 10 MB by default),
// type-checked by content (PDF, images, OpenDocument, Word), stored as a blob of the collectivité; bytes of a
// refused upload are deleted. The application is checked before any byte is read.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { HttpError } from '../../../../core/base/errors.ts';
import { storeUpload, UploadError, type StoredUpload } from '../../../../core/files/upload.ts';
import type { AdoptedBlob } from '../../../../core/files/store.ts';
import type { Principal } from '../../roadmap.policy.ts';
import { addApplicationDocument, loadApplicationForUpload } from '../actions/applications.ts';

export const DOCUMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

export function maxDocumentBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.BASTIDE_FUNDING_MAX_UPLOAD_MB ?? '10');
  return Math.round((Number.isFinite(mb) && mb > 0 ? Math.min(mb, 100) : 10) * 1024 * 1024);
}

async function discardUnrecorded(deps: AppDeps, tenantId: string, created: AdoptedBlob[]): Promise<void> {
  if (created.length === 0) return;
  const shas = [...new Set(created.map((b) => b.sha256))];
  const recorded = new Set(
    (await deps.db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [shas]))).map((r) => r.sha256),
  );
  for (const blob of created) if (!recorded.has(blob.sha256)) await blob.discard();
}

/** Stores the document and records it; returns a field error to show, or null when it was kept. */
export async function receiveDocument(deps: AppDeps, request: FastifyRequest, p: Principal, id: string): Promise<string | null> {
  await loadApplicationForUpload(deps.db, p, id);
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type');
  const t = request.ctx.t;
  const max = maxDocumentBytes();
  const created: AdoptedBlob[] = [];
  let stored: StoredUpload | null = null;
  let fileError: string | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: max + 1, files: 1, fields: 5 } })) {
      if (part.type === 'field') continue;
      if (part.fieldname !== 'file' || !part.filename || stored) {
        part.file.resume();
        continue;
      }
      try {
        stored = await storeUpload(deps, p.tenantId, part.file, {
          maxBytes: max,
          allowedTypes: DOCUMENT_TYPES,
          filename: part.filename,
          onCreated: (b) => created.push(b),
        });
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        part.file.resume();
        fileError =
          error.code === 'too_large'
            ? t('roadmap.funding.error.file_too_large', { max: `${Math.round(max / 1024 / 1024)} Mo` })
            : error.code === 'empty'
              ? t('roadmap.funding.error.file_empty')
              : t('roadmap.funding.error.file_type');
      }
    }
    if (!stored) return fileError ?? t('roadmap.funding.error.file_missing');
    try {
      await addApplicationDocument(deps.db, p, id, stored);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 422)
        return (error.details as { errors: Record<string, string[]> }).errors.file?.join(' ') ?? t('roadmap.funding.error.file_type');
      throw error;
    }
    return null;
  } finally {
    await discardUnrecorded(deps, p.tenantId, created);
  }
}

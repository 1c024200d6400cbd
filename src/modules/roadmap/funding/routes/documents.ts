// An application's document, uploaded as multipart: bounded (BASTIDE_FUNDING_MAX_UPLOAD_MB, 10 MB by default),
// type-checked by content (PDF, images, OpenDocument, Word), stored as a blob of the collectivité; bytes of a
// refused upload are deleted before the answer leaves (core/http/receive-upload.ts). The application is
// checked before any byte is read.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { HttpError } from '../../../../core/base/errors.ts';
import { receiveSingleUpload } from '../../../../core/http/receive-upload.ts';
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

/** A document as the API answers it once recorded. */
export interface ApplicationDocument {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
}

/** The document's bounds and checks, for the page and the API alike: refused with a 422 on `file`. */
export async function storeApplicationDocument(deps: AppDeps, request: FastifyRequest, p: Principal, id: string): Promise<ApplicationDocument> {
  // Checked before any byte is read: an application of another collectivité, or closed to documents, costs no disk.
  await loadApplicationForUpload(deps.db, p, id);
  const t = request.ctx.t;
  const max = maxDocumentBytes();
  return receiveSingleUpload(deps, request, {
    tenantId: p.tenantId,
    maxBytes: max,
    allowedTypes: DOCUMENT_TYPES,
    messages: {
      missing: t('roadmap.funding.error.file_missing'),
      refused: (error) =>
        error.code === 'too_large'
          ? t('roadmap.funding.error.file_too_large', { max: `${Math.round(max / 1024 / 1024)} Mo` })
          : error.code === 'empty'
            ? t('roadmap.funding.error.file_empty')
            : t('roadmap.funding.error.file_type'),
    },
    record: async (stored) => ({
      id: await addApplicationDocument(deps.db, p, id, stored),
      filename: stored.filename,
      content_type: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
    }),
  });
}

/** Stores the document and records it; returns a field error to show, or null when it was kept. */
export async function receiveDocument(deps: AppDeps, request: FastifyRequest, p: Principal, id: string): Promise<string | null> {
  try {
    await storeApplicationDocument(deps, request, p, id);
    return null;
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 422) {
      const errors = (error.details as { errors?: Record<string, string[]> } | undefined)?.errors ?? {};
      return (errors.file ?? Object.values(errors).flat()).join(' ') || request.ctx.t('roadmap.funding.error.file_type');
    }
    throw error;
  }
}

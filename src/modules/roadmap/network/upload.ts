// A contribution's document (multipart: one `file` part, an optional `note` field): bounded (20 MB by
// default, BASTIDE_NETWORK_MAX_UPLOAD_BYTES), typed by content (PDF, OpenDocument text, Word), stored by
// core/files through core/http/receive-upload.ts; bytes that no committed row records are taken back
// before the answer leaves.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import type { StoredUpload } from '../../../core/files/upload.ts';
import { receiveSingleUpload } from '../../../core/http/receive-upload.ts';

export const DOCUMENT_TYPES = [
  'application/pdf',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

export function maxDocumentBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_NETWORK_MAX_UPLOAD_BYTES) || 20 * 1024 * 1024;
}

export async function receiveDocument<T>(
  deps: AppDeps,
  request: FastifyRequest,
  tenantId: string,
  record: (stored: StoredUpload, note: string) => Promise<T>,
): Promise<T> {
  const t = request.ctx.t;
  const max = maxDocumentBytes();
  return receiveSingleUpload(deps, request, {
    tenantId,
    maxBytes: max,
    allowedTypes: DOCUMENT_TYPES,
    fields: { note: 2000 },
    messages: {
      notMultipart: t('roadmap.network.error.multipart'),
      missing: t('roadmap.network.upload.missing'),
      refused: (error) => t(`roadmap.network.upload.${error.code}`, { max: `${Math.round(max / 1024 / 1024)} Mo` }),
    },
    record: (stored, fields) => record(stored, fields.note ?? ''),
  });
}

// A contribution's document (multipart: one `file` part, an optional `note` field): bounded (20 MB by
// default, BASTIDE_NETWORK_MAX_UPLOAD_BYTES), typed by content (PDF, OpenDocument text, Word), stored by
// core/files; bytes that no committed row records are taken back at once.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { HttpError, unprocessable } from '../../../core/base/errors.ts';
import { storeUpload, UploadError, type StoredUpload } from '../../../core/files/upload.ts';
import type { AdoptedBlob } from '../../../core/files/store.ts';
import { assertNoNul } from '../../../core/http/request-guard.ts';

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
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', t('roadmap.network.error.multipart'));
  const max = maxDocumentBytes();
  const created: AdoptedBlob[] = [];
  let stored: StoredUpload | null = null;
  let fileError: string | null = null;
  let note = '';
  try {
    for await (const part of request.parts({ limits: { fileSize: max + 1, files: 1 } })) {
      if (part.type === 'field') {
        assertNoNul(`${part.fieldname}${String(part.value)}`, t);
        if (part.fieldname === 'note') note = String(part.value).slice(0, 2000);
        continue;
      }
      if (part.fieldname !== 'file' || !part.filename || stored) {
        part.file.resume();
        continue;
      }
      try {
        stored = await storeUpload(deps, tenantId, part.file, {
          maxBytes: max,
          allowedTypes: DOCUMENT_TYPES,
          filename: part.filename,
          onCreated: (b) => created.push(b),
        });
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        part.file.resume();
        fileError = t(`roadmap.network.upload.${error.code}`, { max: `${Math.round(max / 1024 / 1024)} Mo` });
      }
    }
    if (!stored) throw unprocessable({ file: [fileError ?? t('roadmap.network.upload.missing')] });
    return await record(stored, note);
  } finally {
    if (created.length) {
      const shas = created.map((b) => b.sha256);
      const kept = new Set(
        (await deps.db.transaction(tenantId, (tx) => tx.query<{ sha256: string }>('select sha256 from blobs where sha256 = any($1)', [shas]))).map(
          (r) => r.sha256,
        ),
      );
      for (const blob of created) if (!kept.has(blob.sha256)) await blob.discard();
    }
  }
}

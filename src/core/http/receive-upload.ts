// One bounded document sent as multipart (a `file` part and a few short text fields), stored through
// core/files (hashed, measured, typed from its content) and recorded by the caller's transaction. Every
// exit takes back the bytes no committed row records BEFORE it returns or throws: the caller answers only
// afterwards, so a client (or a test) that reads the store when it gets the answer never finds refused
// bytes. `record` must not send the reply itself.
//
//   const doc = await receiveSingleUpload(deps, request, {
//     tenantId, maxBytes: 10 * 1024 * 1024, allowedTypes: ['application/pdf'],
//     fields: { note: 2000 },
//     record: (stored, fields) => deps.db.transaction(tenantId, async (tx) => { await recordBlob(tx, stored); … }),
//   });
//
// Refusals: 415 when the request is not multipart; 400 for a NUL in a field; 422 `{ file: [message] }`
// for a file too large, empty, of a type not allowed, or missing. Whatever `record` throws is thrown
// again (after the bytes are taken back). Messages are core/files' unless the caller gives its own.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { HttpError, unprocessable } from '../base/errors.ts';
import { storeUpload, UploadError, type FileDeps, type StoredUpload } from '../files/upload.ts';
import type { AdoptedBlob } from '../files/store.ts';
import { discardUnrecorded } from '../files/unrecorded.ts';
import { uploadErrorMessage } from '../files/messages.ts';
import { assertNoNul } from './request-guard.ts';

export interface SingleUploadMessages {
  /** The request is not multipart (415). Default: core.files.multipart. */
  notMultipart?: string;
  /** No file came. Default: core.files.missing. */
  missing?: string;
  /** A file storeUpload refused (too large, empty, type). Default: core/files' uploadErrorMessage. */
  refused?: (error: UploadError) => string;
}

export interface SingleUploadOptions<T> {
  /** The collectivité (or network) the bytes are stored for. */
  tenantId: string;
  /** The largest file accepted, in bytes; one byte more is refused (the file is never truncated). */
  maxBytes: number;
  /** MIME types accepted, judged from the content (core/files/upload.ts). */
  allowedTypes: string[];
  /** Accept Windows-1252 text (UploadOptions.legacyText). */
  legacyText?: 'windows-1252';
  /** The file part's name; `file` by default. Any other file part is read and dropped. */
  fileField?: string;
  /**
   * The text fields kept, each with the most characters kept (longer values are cut). Every field is checked
   * for NUL (400); fields not named here are dropped. At most 50 fields are read.
   */
  fields?: Record<string, number>;
  messages?: SingleUploadMessages;
  /** Records the stored file (its transaction writes the `blobs` row with recordBlob). Must not send the reply. */
  record: (stored: StoredUpload, fields: Record<string, string>) => Promise<T>;
}

export async function receiveSingleUpload<T>(deps: FileDeps & { db: Database }, request: FastifyRequest, options: SingleUploadOptions<T>): Promise<T> {
  const { t, locale } = request.ctx;
  const messages = options.messages ?? {};
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', messages.notMultipart ?? t('core.files.multipart'));
  const fileField = options.fileField ?? 'file';
  const wanted = options.fields ?? {};
  const fields: Record<string, string> = {};
  const created: AdoptedBlob[] = [];
  let stored: StoredUpload | null = null;
  let refused: string | null = null;
  let result: T;
  try {
    // fileSize one byte over the limit: storeUpload's meter sees the excess and refuses the file.
    for await (const part of request.parts({ limits: { fileSize: options.maxBytes + 1, files: 1, fields: 50 } })) {
      if (part.type === 'field') {
        const value = String(part.value);
        assertNoNul(`${part.fieldname}${value}`, t);
        const max = Object.hasOwn(wanted, part.fieldname) ? wanted[part.fieldname]! : null;
        if (max !== null) fields[part.fieldname] = value.slice(0, max);
        continue;
      }
      if (part.fieldname !== fileField || !part.filename || stored) {
        part.file.resume();
        continue;
      }
      try {
        stored = await storeUpload(deps, options.tenantId, part.file, {
          maxBytes: options.maxBytes,
          allowedTypes: options.allowedTypes,
          legacyText: options.legacyText,
          filename: part.filename,
          onCreated: (blob) => created.push(blob),
        });
      } catch (error) {
        const refusal = asUploadRefusal(error, options.maxBytes);
        if (!refusal) throw error;
        part.file.resume();
        refused = messages.refused ? messages.refused(refusal) : uploadErrorMessage(t, locale, refusal, options.allowedTypes);
      }
    }
    if (!stored) throw unprocessable({ [fileField]: [refused ?? messages.missing ?? t('core.files.missing')] });
    result = await options.record(stored, fields);
  } catch (error) {
    // Refused or failed: the bytes go before the error reaches the code that answers.
    await takeBack(deps.db, request, options.tenantId, created);
    const refusal = asUploadRefusal(error, options.maxBytes);
    if (refusal) {
      const message = messages.refused ? messages.refused(refusal) : uploadErrorMessage(t, locale, refusal, options.allowedTypes);
      throw unprocessable({ [fileField]: [message] });
    }
    throw error;
  }
  // Recorded: nothing to take back, unless `record` chose not to keep the file.
  await takeBack(deps.db, request, options.tenantId, created);
  return result;
}

/** discardUnrecorded, whose own failure never hides the answer (the daily sweep removes what stays). */
async function takeBack(db: Database, request: FastifyRequest, tenantId: string, created: AdoptedBlob[]): Promise<void> {
  try {
    await discardUnrecorded(db, tenantId, created);
  } catch (error) {
    request.log.warn({ err: error }, 'could not delete the bytes of a refused upload');
  }
}

/**
 * core/files' refusal, or the multipart reader's own stop at the size bound (@fastify/multipart's
 * FST_REQ_FILE_TOO_LARGE, which can come before core/files' meter sees the excess, e.g. as the part's
 * iterator ends): both are the same refusal, worded with the bound, never a bare 413.
 */
function asUploadRefusal(error: unknown, maxBytes: number): UploadError | null {
  if (error instanceof UploadError) return error;
  const code = error && typeof error === 'object' && 'code' in error ? error.code : null;
  return code === 'FST_REQ_FILE_TOO_LARGE' ? new UploadError('too_large', { max: maxBytes }) : null;
}

// Reading a posted procedure form, urlencoded or multipart. Files are streamed straight to the blob
// store (hashed, bounded, typed from their content by core/files) and come back as file answers by path
// (`photo`, `pieces.1.document`), which the submit action checks against the field and records.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TArray, TObject, TString } from '@sinclair/typebox';
import type { AppDeps } from '../../../core/module.ts';
import type { Database } from '../../../core/db/database.ts';
import { storeUpload, UploadError } from '../../../core/files/upload.ts';
import type { AdoptedBlob } from '../../../core/files/store.ts';
import { sanitizeFilename } from '../../../core/files/names.ts';
import { assertNoNul } from '../../../core/http/request-guard.ts';
import { allValues, formValues } from '../../../core/http/form-values.ts';
import { cleanUploadsBeforeReply, discardRequestUploads, keepRequestUploads, requestUploads } from '../../../core/http/upload-cleanup.ts';
import type { Translate } from '../../../core/i18n/i18n.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import type { FileAnswer } from '../fields/values.ts';
import type { FormBody } from '../fields/parse-form.ts';
import { pathOf } from '../fields/names.ts';

/** What a file field accepts when its definition says nothing: documents and photos people have. */
export const DEFAULT_ACCEPT = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export interface PostedForm {
  body: FormBody;
  /** Uploaded files by answer path. */
  files: Record<string, FileAnswer[]>;
  /** Upload problems by control name (too large, type not allowed), in the reader's language. */
  fileErrors: Record<string, string[]>;
}

function fileFieldOf(fields: FieldDefinition[], name: string): FieldDefinition | null {
  const path = pathOf(name);
  const top = fields.find((f) => f.key === path[0]);
  if (!top) return null;
  if (top.type === 'file' && path.length === 1) return top;
  if (top.type === 'repetition' && path.length === 3 && /^\d{1,3}$/.test(path[1]!)) {
    const inner = top.fields?.find((f) => f.key === path[2]);
    return inner?.type === 'file' ? inner : null;
  }
  return null;
}

/**
 * The posted form. `fields` are the file fields' definitions; `extraFiles` accepts other file controls
 * (a message's attachment) with the default limits.
 */
export async function readPostedForm(
  request: FastifyRequest,
  deps: AppDeps,
  tenantId: string,
  fields: FieldDefinition[],
  t: Translate,
  extraFiles: string[] = [],
): Promise<PostedForm> {
  if (!request.isMultipart()) return { body: formBodyOf(request.body), files: {}, fileErrors: {} };
  const body: Record<string, string[]> = {};
  const files: Record<string, FileAnswer[]> = {};
  const fileErrors: Record<string, string[]> = {};
  for await (const part of request.parts({ limits: { fileSize: 100 * 1024 * 1024 } })) {
    if (part.type === 'field') {
      // The multipart fields are read here, after core/http/request-guard.ts looked at the parsed bodies.
      assertNoNul(`${part.fieldname}${String(part.value)}`, t);
      if (part.fieldname !== '_csrf') (body[part.fieldname] ??= []).push(String(part.value));
      continue;
    }
    const field = fileFieldOf(fields, part.fieldname);
    if ((!field && !extraFiles.includes(part.fieldname)) || !part.filename) {
      part.file.resume();
      continue;
    }
    const maxBytes = field?.maxBytes ?? DEFAULT_MAX_BYTES;
    try {
      const stored = await storeUpload(deps, tenantId, part.file, {
        maxBytes,
        allowedTypes: field?.accept?.length ? field.accept : DEFAULT_ACCEPT,
        filename: part.filename,
        onCreated: (blob) => createdBy(request, deps.db, tenantId).push(blob),
      });
      const path = pathOf(part.fieldname).join('.');
      (files[path] ??= []).push({ sha256: stored.sha256, filename: sanitizeFilename(stored.filename), size: stored.size, content_type: stored.contentType });
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      part.file.resume();
      const message =
        error.code === 'too_large'
          ? t('procedures.web.upload.too_large', { name: part.filename, max: `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} Mo` })
          : error.code === 'empty'
            ? t('procedures.web.upload.empty', { name: part.filename })
            : t('procedures.web.upload.type', { name: part.filename });
      (fileErrors[part.fieldname] ??= []).push(message);
    }
  }
  return { body, files, fileErrors };
}

/**
 * Blobs that a request's uploads created (the store had no copy of those bytes) are registered with the
 * request (core/http/upload-cleanup.ts). A filing route wraps its handler in withUploadCleanup: those that no
 * `blobs` row refers to are deleted before its answer is written — a rejected, limited or failed filing
 * leaves nothing on disk, nor do files the answers did not keep, even for a client that reads the store the
 * moment it gets the answer. A form re-rendered with its files (keepUploads) keeps them: the page carries
 * them as signed values for the next submission, and the daily sweep (core/files/sweep.ts) removes those
 * never used.
 */
function createdBy(request: FastifyRequest, db: Database, tenantId: string): AdoptedBlob[] {
  return requestUploads(request, db, tenantId);
}

/** The form is shown again with the files received: they stay. */
export function keepUploads(request: FastifyRequest): void {
  keepRequestUploads(request);
}

/** Deletes the blobs this request created that no `blobs` row refers to, unless they were kept. */
export async function discardUploads(request: FastifyRequest): Promise<number> {
  return discardRequestUploads(request);
}

/**
 * A route handler whose request's unused uploads are deleted before its answer is written (the core's onSend
 * hook), answered or failed; the finally only catches a request that ends without an answer.
 */
export function withUploadCleanup<Req extends FastifyRequest, Rep extends FastifyReply, R>(
  handler: (request: Req, reply: Rep) => Promise<R>,
): (request: Req, reply: Rep) => Promise<R> {
  return async (request, reply) => {
    cleanUploadsBeforeReply(request);
    try {
      return await handler(request, reply);
    } finally {
      try {
        const removed = await discardUploads(request);
        if (removed) request.log.info({ removed }, 'uploads of the request deleted');
      } catch (error) {
        // The answer stands; the daily sweep removes what could not be deleted now.
        request.log.warn({ err: error }, 'could not delete the uploads of a request');
      }
    }
  };
}

/**
 * The text values of a parsed urlencoded body, query string or path parameters (a name once, or repeated):
 * read, not cast — anything else (an object a JSON body might hold) is left out (core/http/form-values.ts).
 */
export function formBodyOf(value: unknown): FormBody {
  return formValues(value);
}

export { firstValue } from '../../../core/http/form-values.ts';

/** The schema of an HTML form (or of a page's query or path): text fields, and lists for repeated names. */
export type FormSchema = TObject<Record<string, TString | TArray<TString>>>;

/**
 * A form read by its schema: a text field is its first value, trimmed ('' when absent), a list every value
 * as sent. Nothing is refused here: the action checks the values and the page shows its errors.
 */
export function readForm<S extends FormSchema>(schema: S, value: unknown): Static<S> {
  const body = formBodyOf(value);
  const out: Record<string, string | string[]> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const all = allValues(body, name);
    out[name] = field.type === 'array' ? all : (all[0] ?? '').trim();
  }
  return out as Static<S>;
}

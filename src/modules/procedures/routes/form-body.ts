// Reading a posted procedure form, urlencoded or multipart. Files are streamed straight to the blob
// store (hashed, bounded, typed from their content by core/files) and come back as file answers by path
// (`photo`, `pieces.1.document`), which the submit action checks against the field and records.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { storeUpload, UploadError } from '../../../core/files/upload.ts';
import { sanitizeFilename } from '../../../core/files/names.ts';
import { assertNoNul } from '../../../core/http/request-guard.ts';
import type { Translate } from '../../../core/i18n/i18n.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import type { FileAnswer } from '../fields/values.ts';
import type { FormBody } from '../fields/parse-form.ts';
import { pathOf } from '../fields/names.ts';

/** What a file field accepts when its definition says nothing: documents and photos people have. */
export const DEFAULT_ACCEPT = [
  'application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic',
  'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
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
export async function readPostedForm(request: FastifyRequest, deps: AppDeps, tenantId: string, fields: FieldDefinition[], t: Translate, extraFiles: string[] = []): Promise<PostedForm> {
  if (!request.isMultipart()) return { body: (request.body ?? {}) as FormBody, files: {}, fileErrors: {} };
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
      const stored = await storeUpload(deps, tenantId, part.file, { maxBytes, allowedTypes: field?.accept?.length ? field.accept : DEFAULT_ACCEPT, filename: part.filename });
      const path = pathOf(part.fieldname).join('.');
      (files[path] ??= []).push({ sha256: stored.sha256, filename: sanitizeFilename(stored.filename), size: stored.size, content_type: stored.contentType });
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      part.file.resume();
      const message = error.code === 'too_large'
        ? t('procedures.web.upload.too_large', { name: part.filename, max: `${Math.round(maxBytes / 1024 / 1024 * 10) / 10} Mo` })
        : error.code === 'empty' ? t('procedures.web.upload.empty', { name: part.filename }) : t('procedures.web.upload.type', { name: part.filename });
      (fileErrors[part.fieldname] ??= []).push(message);
    }
  }
  return { body, files, fileErrors };
}

export function firstValue(body: FormBody, name: string): string {
  const v = body[name];
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
}

/**
 * Files already received survive a re-rendered form (an error elsewhere, "add another") as signed
 * hidden values: the browser cannot claim a file it did not upload, nor one of another dossier.
 */
export function signKeptFile(secret: string, path: string, file: FileAnswer): string {
  const payload = Buffer.from(JSON.stringify({ path, file })).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(`kept-file:${payload}`).digest('base64url')}`;
}

export function keptFiles(secret: string, body: FormBody): Record<string, FileAnswer[]> {
  const out: Record<string, FileAnswer[]> = {};
  const values = body._kept === undefined ? [] : Array.isArray(body._kept) ? body._kept : [body._kept];
  for (const value of values) {
    const [payload, mac] = value.split('.');
    if (!payload || !mac) continue;
    const expected = createHmac('sha256', secret).update(`kept-file:${payload}`).digest('base64url');
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) continue;
    try {
      const { path, file } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { path: string; file: FileAnswer };
      (out[path] ??= []).push(file);
    } catch {
      // A damaged value is simply not kept.
    }
  }
  return out;
}

// What the catalogue's routes share: reading a form by name, sending a stored version as a download, and a
// 422's reasons. (A resource's upload goes through core/http/receive-upload.ts.)
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { findBlob } from '../../../core/files/upload.ts';
import { sendAttachment } from '../../../core/files/send.ts';
import type { VersionRow } from '../catalogue.repository.ts';

// Reading a form by name: core/http/form-values.ts, under the names the catalogue's routes use.
export { formValues as formOf, firstValue as one, allValues as many } from '../../../core/http/form-values.ts';

/** The reasons of a 422 (by field); any other error is thrown again. */
export function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

export async function sendVersion(deps: AppDeps, reply: FastifyReply, tenantId: string, v: VersionRow): Promise<FastifyReply> {
  const blob = await deps.db.transaction(tenantId, (tx) => findBlob(tx, v.sha256));
  if (!blob) throw notFound();
  return sendAttachment(reply, deps, tenantId, blob, v.filename);
}

export function positiveInt(value: string): number | null {
  return /^\d{1,6}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.split('?')[0]!.endsWith('.json');
}

// Reading stored files back, and sending them to a browser only as downloads: the type they were
// stored with (or octet-stream for anything a browser could run), `nosniff`, and a sandboxing CSP, so
// an uploaded file can never act as a page of this origin.
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { blobStoreFor } from './store.ts';
import type { FileDeps } from './upload.ts';
import { attachmentDisposition } from './names.ts';
import { notFound } from '../base/errors.ts';

export async function openBlob(deps: FileDeps, tenantId: string, sha256: string): Promise<{ stream: Readable; size: number } | null> {
  return (deps.blobs ?? blobStoreFor(deps.config)).open(tenantId, sha256);
}

/** Types a browser would execute or render as a document; they are sent as opaque bytes. */
const ACTIVE =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript|application\/x-shockwave-flash)$/i;

export function servedContentType(stored: string): string {
  const [head, ...params] = stored.split(';');
  const type = head!.trim().toLowerCase();
  if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) || ACTIVE.test(type)) return 'application/octet-stream';
  // Text is UTF-8 unless it was accepted as Windows-1252 (upload.ts, legacyText); no other charset is ever passed on.
  const legacy = params.some((p) => p.trim().toLowerCase() === 'charset=windows-1252');
  return type.startsWith('text/') ? `${type}; charset=${legacy ? 'windows-1252' : 'utf-8'}` : type;
}

/**
 * Sends a blob the caller has already found in its tenant (findBlob in a tenant transaction) and is
 * allowed to read. Answers 404 through the error handler when the bytes are missing.
 */
export async function sendAttachment(
  reply: FastifyReply,
  deps: FileDeps,
  tenantId: string,
  blob: { sha256: string; content_type: string },
  filename: string,
): Promise<FastifyReply> {
  const opened = await openBlob(deps, tenantId, blob.sha256);
  if (!opened) throw notFound();
  return reply
    .header('content-type', servedContentType(blob.content_type))
    .header('content-length', String(opened.size))
    .header('content-disposition', attachmentDisposition(filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(opened.stream);
}

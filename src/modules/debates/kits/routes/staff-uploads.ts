// The team's two uploads, through core/http's receiveSingleUpload (one bounded multipart file, typed by its
// content, bytes taken back on every refusal before the answer leaves):
//   - a debate's document (PDF, OpenDocument, Word), recorded with its blob row and journal entry;
//   - the ANFR SUP_SUPPORT file of a radio-sites slot (';'-separated text, Latin-1 or UTF-8), read and loaded
//     into the debate's table in one transaction; the file itself is not kept. A bad file comes back with one
//     message per line at fault and nothing stored.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { receiveSingleUpload } from '../../../../core/http/receive-upload.ts';
import { openBlob } from '../../../../core/files/send.ts';
import type { Principal } from '../../debates.policy.ts';
import { MAX_ANFR_BYTES } from '../anfr-sites.ts';
import { addUploadedDocument, DOCUMENT_TYPES, maxDocumentBytes } from '../actions/staff-documents.ts';
import { communesOf, loadDebateDataset } from '../actions/datasets.ts';
import { fieldErrors } from '../actions/staff-checks.ts';

/** The largest ANFR file taken: BASTIDE_DEBATES_MAX_ANFR_MB (32 MB by default, and never more). */
export function maxAnfrUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.BASTIDE_DEBATES_MAX_ANFR_MB ?? '32');
  return Math.min(MAX_ANFR_BYTES, Math.round((Number.isFinite(mb) && mb > 0 ? mb : 32) * 1024 * 1024));
}

export async function receiveDebateDocument(
  deps: AppDeps,
  request: FastifyRequest,
  p: Principal,
  debateId: string,
): Promise<{ id: string } | { errors: Record<string, string[]>; values: Record<string, string> }> {
  const values: Record<string, string> = {};
  const max = maxDocumentBytes();
  try {
    const id = await receiveSingleUpload(deps, request, {
      tenantId: p.tenantId,
      maxBytes: max,
      allowedTypes: DOCUMENT_TYPES,
      fields: { title: 1000 },
      record: (stored, fields) => {
        values.title = fields.title ?? '';
        return addUploadedDocument(deps.db, p, debateId, fields.title ?? '', stored);
      },
    });
    return { id };
  } catch (error) {
    return { errors: fieldErrors(error), values };
  }
}

export async function receiveAnfrFile(
  deps: AppDeps,
  request: FastifyRequest,
  p: Principal,
  debateId: string,
  key: string,
): Promise<{ rows: number } | { messages: string[] }> {
  const tenant = requireTenant(request);
  const max = maxAnfrUploadBytes();
  try {
    const loaded = await receiveSingleUpload(deps, request, {
      tenantId: p.tenantId,
      maxBytes: max,
      allowedTypes: ['text/csv', 'text/plain'],
      legacyText: 'windows-1252',
      fields: { note: 500 },
      record: async (stored, fields) => {
        const opened = await openBlob(deps, p.tenantId, stored.sha256);
        if (!opened) throw new Error('the uploaded file vanished');
        const chunks: Buffer[] = [];
        for await (const chunk of opened.stream as AsyncIterable<Buffer>) chunks.push(chunk);
        const note = (fields.note ?? '').trim() || request.ctx.t('debates.staff.anfr.default_note', { file: stored.filename });
        // No blob row is written: the file is read, not kept (the helper takes its bytes back).
        return loadDebateDataset(deps.db, p, debateId, key, Buffer.concat(chunks), { inseeCodes: communesOf(tenant), sourceNote: note });
      },
    });
    return { rows: loaded.rows };
  } catch (error) {
    return { messages: Object.values(fieldErrors(error)).flat() };
  }
}

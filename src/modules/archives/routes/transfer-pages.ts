// The archivist's pages for leaving the system (issue 13): /<slug>/admin/archives/transferts (prepared
// transfers, their SEDA package, the archive's reply uploaded as XML, a new transfer from ticked units) and
// /communication (a DIP for units ticked in the search list). Each goes through the same action as the API
// (actions/transfer.ts, actions/communication.ts): same checks, same transaction and journal entry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant, type RequestContext } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { notFound } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { page } from '../../../core/views/layout.ts';
import type { Html } from '../../../core/views/html.ts';
import { principalOf, type Principal } from '../archives.policy.ts';
import { createTransfer, recordTransferReply, transferZip } from '../actions/transfer.ts';
import { communicate } from '../actions/communication.ts';
import { SedaError, sedaMessage } from '../seda/index.ts';
import { MAX_REPLY_BYTES } from '../seda/reply-reader.ts';
import { communicationBody, transfersBody, type TransferCandidate, type TransferRow } from '../views/transfers.ts';
import type { Errors } from '../views/pages.ts';

function send(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

function form(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v.slice(0, 5000);
  return out;
}

function units(value: unknown): string[] {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>).units : undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').slice(0, 1001);
}

// Which field each of the actions' refusals belongs to; any other goes beside the form it came from.
const FIELD_OF: Record<string, string> = {
  'archives.seda.transfer.units': 'units',
  'archives.seda.transfer.agency': 'archival_agency',
  'archives.seda.transfer.comment': 'comment',
  'archives.seda.communication.request': 'request',
  'archives.seda.communication.requester': 'requester',
};

function refusals(ctx: RequestContext, error: unknown, fallback: string): Errors {
  if (!(error instanceof SedaError)) throw error;
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) (errors[FIELD_OF[issue.key] ?? fallback] ??= []).push(sedaMessage(ctx.locale, issue));
  return errors;
}

/** The reply's XML from the multipart form, at most MAX_REPLY_BYTES (the API's bound): null when absent or empty. */
async function replyFile(request: FastifyRequest): Promise<Buffer | 'too_large' | null> {
  if (!request.isMultipart()) return null;
  try {
    return await readParts(request);
  } catch (error) {
    // The multipart reader stops a file past its limit: the same answer as the bound below.
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return 'too_large';
    throw error;
  }
}

async function readParts(request: FastifyRequest): Promise<Buffer | 'too_large' | null> {
  let found: Buffer | 'too_large' | null = null;
  for await (const part of request.parts({ limits: { fileSize: MAX_REPLY_BYTES + 1, files: 1, fields: 5 } })) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'reply' || found) {
      part.file.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) break;
      chunks.push(chunk);
    }
    if (size > MAX_REPLY_BYTES) {
      part.file.resume();
      found = 'too_large';
    } else found = size ? Buffer.concat(chunks) : null;
  }
  return found;
}

const CANDIDATES = `select u.id, u.title, u.start_date::text as start_date, u.end_date::text as end_date
   from archives_units u
  where u.parent_id is null and u.eliminated_at is null
    and not exists (
      select 1 from archives_transfer_units tu
       where tu.unit_id = u.id
         and coalesce((select r.accepted from archives_transfer_replies r where r.transfer_id = tu.transfer_id order by r.created_at desc, r.id desc limit 1), true))
  order by u.title, u.id limit 150`;

const TRANSFERS = `select t.id, t.created_at, t.archival_agency, t.unit_count, t.object_count,
        (select r.accepted from archives_transfer_replies r where r.transfer_id = t.id order by r.created_at desc, r.id desc limit 1) as accepted
   from archives_transfers t order by t.created_at desc, t.id desc limit 50`;

export function registerTransferPages(app: FastifyInstance, deps: AppDeps): void {
  const archivist = (request: FastifyRequest): Principal => {
    requireRoles(request, 'archivist');
    return principalOf(request.ctx);
  };
  const baseOf = (request: FastifyRequest) => `/${requireTenant(request).slug}/admin/archives`;
  const agencyOf = (request: FastifyRequest) => {
    const tenant = requireTenant(request);
    return tenant.official_code || tenant.slug;
  };

  const transfersPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors, values: Record<string, string> = {}) => {
    const p = archivist(request);
    const { candidates, transfers } = await deps.db.transaction(p.tenantId, async (tx) => ({
      candidates: await tx.query<TransferCandidate>(CANDIDATES),
      transfers: await tx.query<TransferRow>(TRANSFERS),
    }));
    const key = form(request.query).notice;
    const notice = key === 'transfer_created' || key === 'reply_recorded' ? request.ctx.t(`archives.notice.${key}`) : null;
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.transfer.title'),
      request.url,
      transfersBody(request.ctx, { base: baseOf(request), candidates, transfers, errors, notice, values }),
      errors ? 422 : 200,
    );
  };

  app.get('/:tenant/admin/archives/transferts', (request, reply) => transfersPage(request, reply));

  app.post('/:tenant/admin/archives/transferts', async (request, reply) => {
    const p = archivist(request);
    const f = form(request.body);
    try {
      await createTransfer(deps, p, { units: units(request.body), archival_agency: f.archival_agency, comment: f.comment }, agencyOf(request));
    } catch (error) {
      return transfersPage(request, reply, refusals(request.ctx, error, 'units'), f);
    }
    return reply.redirect(`${baseOf(request)}/transferts?notice=transfer_created`, 303);
  });

  app.get('/:tenant/admin/archives/transferts/:id/paquet.zip', async (request, reply) => {
    const p = archivist(request);
    const zip = await transferZip(deps, p, (request.params as { id: string }).id);
    if (!zip) throw notFound();
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${zip.name}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(zip.stream);
  });

  app.post('/:tenant/admin/archives/transferts/:id/reponse', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound();
    const file = await replyFile(request);
    const t = request.ctx.t;
    if (file === null) return transfersPage(request, reply, { reply: [t('archives.transfer.reply_missing')] });
    if (file === 'too_large')
      return transfersPage(request, reply, { reply: [t('archives.transfer.reply_too_large', { max: `${MAX_REPLY_BYTES / 1024 ** 2} Mo` })] });
    try {
      await recordTransferReply(deps, p, id, file);
    } catch (error) {
      return transfersPage(request, reply, refusals(request.ctx, error, 'reply'));
    }
    return reply.redirect(`${baseOf(request)}/transferts?notice=reply_recorded`, 303);
  });

  app.post('/:tenant/admin/archives/communication', async (request, reply) => {
    const p = archivist(request);
    const f = form(request.body);
    const ids = units(request.body);
    try {
      const dip = await communicate(deps, p, { units: ids, request: f.request, requester: f.requester }, agencyOf(request));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${dip.name}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(dip.stream);
    } catch (error) {
      const errors = refusals(request.ctx, error, 'units');
      const valid = ids.filter(isUuid);
      const listed = await deps.db.transaction(p.tenantId, (tx) =>
        tx.query<{ id: string; title: string }>(
          'select id, title from archives_units where id = any($1::uuid[]) and eliminated_at is null order by title limit 150',
          [valid],
        ),
      );
      return send(
        reply,
        request.ctx,
        request.ctx.t('archives.communication.title'),
        request.url,
        communicationBody(request.ctx, { base: baseOf(request), units: listed, errors, values: f }),
        422,
      );
    }
  });
}

// Transfers to the definitive archive (archivist token):
//   POST /api/v1/<slug>/archives/transfers            {units:[ids], archival_agency?, comment?} → 201 {id, message_identifier, units, objects, size}
//   GET  /api/v1/<slug>/archives/transfers/<id>        the transfer and its status (sent, accepted, rejected)
//   GET  /api/v1/<slug>/archives/transfers/<id>.zip    its SEDA 2.3 ArchiveTransfer package, streamed
//   POST /api/v1/<slug>/archives/transfers/<id>/reply  the ArchiveTransferReply (application/xml) → 200, or 422
//   POST /api/v1/<slug>/archives/dips                  {units:[ids], request, requester} → 200 the DIP (zip)
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import type { AppDeps } from '../../../core/module.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import type { Locale } from '../../../core/i18n/i18n.ts';
import { principalOf } from '../archives.policy.ts';
import { createTransfer, recordTransferReply, transferStatus, transferZip } from '../actions/transfer.ts';
import { communicate } from '../actions/communication.ts';
import { SedaError, sedaMessage } from '../seda/index.ts';
import { MAX_REPLY_BYTES } from '../seda/reply-reader.ts';

const doc = (summary: string): object => ({ summary, tags: ['archives'] });

// Bodies typed and checked for their shape here; the actions check the content (ids, lengths) and answer
// 422 with the SEDA library's reasons, as for a package.
const UnitIds = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10_000, description: 'Identifiants des unités racines' });
const TransferBody = Type.Object(
  {
    units: Type.Optional(UnitIds),
    archival_agency: Type.Optional(Type.String({ maxLength: 200, description: 'Service d’archives destinataire (identifiant)' })),
    comment: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
const DipBody = Type.Object(
  {
    units: Type.Optional(UnitIds),
    request: Type.Optional(Type.String({ maxLength: 500, description: 'Référence de la demande de communication' })),
    requester: Type.Optional(Type.String({ maxLength: 500, description: 'Demandeur' })),
  },
  { additionalProperties: false },
);

/** The SEDA library's refusals as the API's 422: every reason, in the caller's language. */
async function refusals<T>(locale: Locale, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof SedaError)) throw error;
    const errors = error.issues.map((i) => ({ code: i.key, message: sedaMessage(locale, i) }));
    throw new HttpError(
      422,
      'invalid',
      errors.length === 1 ? errors[0]!.message : sedaMessage(locale, { key: 'archives.seda.refused', params: { count: errors.length } }),
      { errors },
    );
  }
}

export async function registerTransferApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    // In this scope only: an XML body (the reply) arrives as bytes, bounded; the SEDA library parses it safely.
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: MAX_REPLY_BYTES }, (_request, body, done) => done(null, body));

    typed(scope).post(
      '/api/v1/:tenant/archives/transfers',
      { schema: { ...doc('Préparer un transfert vers le service d’archives définitives (SEDA 2.3)'), body: TransferBody } },
      async (request, reply) => {
        const p = principalOf(request.ctx);
        const tenant = request.ctx.tenant!;
        const body = request.body;
        const created = await refusals(request.ctx.locale, () => createTransfer(deps, p, body, tenant.official_code || tenant.slug));
        return reply.code(201).send(created);
      },
    );

    scope.get(
      '/api/v1/:tenant/archives/transfers/:file',
      { schema: doc('Un transfert (…/<id>) ou son paquet SEDA 2.3 (…/<id>.zip)') },
      async (request, reply: FastifyReply) => {
        const p = principalOf(request.ctx);
        const file = (request.params as { file: string }).file;
        if (file.endsWith('.zip')) {
          const zip = await transferZip(deps, p, file.slice(0, -4));
          if (!zip) throw notFound();
          return reply
            .header('content-type', 'application/zip')
            .header('content-disposition', `attachment; filename="${zip.name}"`)
            .header('x-content-type-options', 'nosniff')
            .send(zip.stream);
        }
        const status = await transferStatus(deps, p, file);
        if (!status) throw notFound();
        return status;
      },
    );

    scope.post(
      '/api/v1/:tenant/archives/transfers/:id/reply',
      { schema: doc('Enregistrer la réponse du service d’archives (ArchiveTransferReply)') },
      async (request) => {
        const p = principalOf(request.ctx);
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new HttpError(415, 'unsupported_media_type', 'Content-Type: application/xml');
        return refusals(request.ctx.locale, () => recordTransferReply(deps, p, (request.params as { id: string }).id, body));
      },
    );

    typed(scope).post(
      '/api/v1/:tenant/archives/dips',
      { schema: { ...doc('Communiquer des unités d’archives : DIP SEDA 2.3 (zip)'), body: DipBody } },
      async (request, reply) => {
        const p = principalOf(request.ctx);
        const tenant = request.ctx.tenant!;
        const dip = await refusals(request.ctx.locale, () => communicate(deps, p, request.body, tenant.official_code || tenant.slug));
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="${dip.name}"`)
          .header('x-content-type-options', 'nosniff')
          .send(dip.stream);
      },
    );
  });
}

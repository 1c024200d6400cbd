// POST /api/v1/<slug>/archives/sips — import of a SEDA 2.3 ArchiveTransfer package (archivist token,
// body: the zip, Content-Type application/zip) → 201 {id, units, objects}, or 422 {errors: [{code, message}]}
// naming every reason the package was refused (nothing stored then).
//
// The body is streamed to a scratch file under the data folder, capped at BASTIDE_ARCHIVES_MAX_UPLOAD_BYTES
// (the zip reader needs random access to the central directory, so it cannot read from the socket).
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { uuidv7 } from '../../../core/db/ids.ts';
import { HttpError } from '../../../core/base/errors.ts';
import { principalOf, requireArchivist } from '../archives.policy.ts';
import { importSip } from '../actions/import-sip.ts';
import { SedaError, sedaMessage } from '../seda/index.ts';
import { maxUploadBytes } from './upload.ts';

class TooLarge extends Error {}

// Summary and tag for the generated OpenAPI document (Fastify's schema type does not declare them).
const doc: object = {
  summary: 'Verser un paquet SEDA 2.3 (ArchiveTransfer zippé : bordereau et objets)',
  tags: ['archives'],
  description:
    'Corps : le zip (Content-Type application/zip). Le bordereau est validé contre les XSD officiels SEDA 2.3, chaque objet contrôlé (taille, empreinte) ; un paquet invalide est refusé en entier (422, errors) et rien n’est conservé.',
};

/** Copies the request body to `path`, failing past `max` bytes (counted, not trusted from Content-Length). */
async function saveBody(body: Readable, path: string, max: number): Promise<void> {
  let bytes = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > max ? new TooLarge() : null, chunk);
    },
  });
  await pipeline(body, cap, createWriteStream(path, { flags: 'wx' }));
}

export async function registerSipApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    // In this scope only: a zip body reaches the handler as a stream, unread, outside the global body limit.
    scope.addContentTypeParser('application/zip', (_request, payload, done) => done(null, payload));
    scope.post(
      '/api/v1/:tenant/archives/sips',
      {
        schema: doc,
      },
      async (request, reply) => {
        const p = principalOf(request.ctx);
        requireArchivist(p);
        if (!request.headers['content-type']?.toLowerCase().startsWith('application/zip')) {
          throw new HttpError(415, 'unsupported_media_type', request.ctx.t('archives.seda.zip.unreadable', { reason: 'Content-Type: application/zip' }));
        }
        const dir = join(deps.config.dataDir, 'tmp', 'sips');
        await mkdir(dir, { recursive: true });
        const path = join(dir, `${uuidv7()}.zip`);
        let result: Awaited<ReturnType<typeof importSip>>;
        try {
          const max = maxUploadBytes();
          try {
            // The parser above hands the socket's stream over unread; anything else is not a zip body.
            const body: unknown = request.body;
            if (!(body instanceof Readable))
              throw new HttpError(415, 'unsupported_media_type', request.ctx.t('archives.seda.zip.unreadable', { reason: 'Content-Type: application/zip' }));
            await saveBody(body, path, max);
          } catch (error) {
            if (error instanceof TooLarge) throw new HttpError(413, 'too_large', request.ctx.t('archives.seda.zip.too_large', { max }));
            throw error;
          }
          result = await importSip(deps, p, path);
        } catch (error) {
          if (error instanceof SedaError) {
            const errors = error.issues.map((i) => ({ code: i.key, message: sedaMessage(request.ctx.locale, i) }));
            throw new HttpError(422, 'invalid', sedaMessage(request.ctx.locale, { key: 'archives.seda.refused', params: { count: errors.length } }), {
              errors,
            });
          }
          throw error;
        } finally {
          // Removed before the answer goes out: a client that reads 201 or 422 finds no scratch file left.
          await rm(path, { force: true });
        }
        return reply.code(201).send({ id: result.id, units: result.units, objects: result.objects });
      },
    );
  });
}

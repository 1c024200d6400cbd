// POST /api/v1/<slug>/validate?schema=<name>: anyone checks a CSV file against a bundled schema, or against
// a schema file sent with it (multipart: `schema` part first, then `csv`), and gets the JSON report. No token;
// limited per client address as guest filings are; the body is streamed into the validator and bounded.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { AppDeps } from '../../../../core/module.ts';
import type { Database } from '../../../../core/db/database.ts';
import { clientAddressKey, RateLimiter } from '../../../../core/base/rate-limit.ts';
import { HttpError } from '../../../../core/base/errors.ts';
import { CsvValidator, type CompiledSchema, type ValidationReport } from '../../validation/index.ts';
import { bundledSchema, checkCustomSchema, MAX_CUSTOM_SCHEMA_BYTES } from '../../dataset-schema.ts';
import { formOf, one } from '../shared.ts';

/** Validations per address and minute (BASTIDE_VALIDATE_PER_MINUTE, 30 by default). */
export function validationsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_VALIDATE_PER_MINUTE) || 30;
}

/** The largest CSV the endpoint reads (BASTIDE_VALIDATE_MAX_BYTES, 50 MiB by default); larger: 413. */
export function maxValidateBytes(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.BASTIDE_VALIDATE_MAX_BYTES) || 50 * 1024 * 1024;
}

const limiters = new WeakMap<Database, RateLimiter>();
function limiterOf(db: Database): RateLimiter {
  let l = limiters.get(db);
  if (!l) limiters.set(db, (l = new RateLimiter(validationsPerMinute(), 60_000)));
  return l;
}

function tooLarge(request: FastifyRequest, max: number): HttpError {
  return new HttpError(413, 'too_large', request.ctx.t('catalogue.api.too_large', { max: `${Math.round(max / 1024 / 1024)} Mo` }));
}

/** Feeds a stream into the validator, stopping (413) past `max` bytes. */
async function feed(request: FastifyRequest, stream: Readable, validator: CsvValidator, max: number): Promise<void> {
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw tooLarge(request, max);
    }
    validator.push(chunk);
  }
  if ('truncated' in stream && stream.truncated) throw tooLarge(request, max);
}

async function readSmall(request: FastifyRequest, stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CUSTOM_SCHEMA_BYTES) {
      stream.destroy();
      throw new HttpError(400, 'invalid_schema', request.ctx.t('catalogue.schema.too_large', { max: `${MAX_CUSTOM_SCHEMA_BYTES / 1024} Ko` }));
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function namedSchema(request: FastifyRequest): CompiledSchema | null {
  const name = one(formOf(request.query), 'schema');
  if (!name) return null;
  const schema = /^[a-z0-9-]{1,80}$/.test(name) ? bundledSchema(name) : null;
  if (!schema) throw new HttpError(400, 'unknown_schema', request.ctx.t('catalogue.api.unknown_schema', { name: name.slice(0, 80) }));
  return schema;
}

export async function registerValidateApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    // In this scope only: a CSV body reaches the handler as a stream, unread and unbounded by the global body limit.
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser(['text/csv', 'text/plain', 'application/octet-stream'], (_request, payload, done) => done(null, payload));
    scope.post(
      '/api/v1/:tenant/validate',
      {
        schema: {
          summary: 'Valider un fichier CSV contre un schéma (Table Schema) et obtenir le rapport',
          tags: ['catalogue'],
          querystring: { type: 'object', properties: { schema: { type: 'string', description: 'Nom d’un schéma fourni (scdl-subventions…)' } } },
        },
      },
      async (request, reply) => {
        // Counted before a byte of the body is read: a client over its limit costs nothing more.
        limiterOf(deps.db).hit(clientAddressKey(request.ip));
        const max = maxValidateBytes();
        let report: ValidationReport;
        if (request.isMultipart()) {
          let schema = namedSchema(request);
          let validator: CsvValidator | null = null;
          for await (const part of request.parts({ limits: { fileSize: max + 1, files: 2 } })) {
            if (part.type === 'field') continue;
            if (part.fieldname === 'schema') {
              if (validator) {
                part.file.resume();
                throw new HttpError(400, 'bad_request', request.ctx.t('catalogue.api.schema_first'));
              }
              const checked = checkCustomSchema(await readSmall(request, part.file), request.ctx.t);
              if (!checked.ok) throw new HttpError(400, 'invalid_schema', checked.message);
              schema = checked.schema;
            } else if (part.fieldname === 'csv' && !validator) {
              if (!schema) {
                part.file.resume();
                throw new HttpError(400, 'schema_required', request.ctx.t('catalogue.api.schema_required'));
              }
              validator = new CsvValidator(schema, { locale: request.ctx.locale });
              await feed(request, part.file, validator, max);
            } else part.file.resume();
          }
          if (!validator) throw new HttpError(400, 'csv_required', request.ctx.t('catalogue.api.csv_required'));
          report = validator.end();
        } else {
          const schema = namedSchema(request);
          if (!schema) throw new HttpError(400, 'schema_required', request.ctx.t('catalogue.api.schema_required'));
          const body = request.body;
          if (!body || typeof body !== 'object' || !('pipe' in body)) throw new HttpError(400, 'csv_required', request.ctx.t('catalogue.api.csv_required'));
          const validator = new CsvValidator(schema, { locale: request.ctx.locale });
          await feed(request, body as Readable, validator, max);
          report = validator.end();
        }
        return reply.header('cache-control', 'no-store').send(report);
      },
    );
  });
}

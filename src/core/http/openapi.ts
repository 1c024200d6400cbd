// The API description, generated from the schemas Fastify validates requests with (TypeBox or plain
// JSON Schema on each route), so the document cannot drift from the code. OpenAPI 3.1 uses JSON Schema
// 2020-12, so route schemas are copied as they are. `/api/openapi.json` serves the document and `/api`
// a server-rendered page of it (openapi-page.ts). Routes without `schema`, or with `schema.hide`, are
// not documented.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { notFound } from '../base/errors.ts';
import { renderApiPage, renderApiTagPage } from './openapi-page.ts';
import type { Json, OpenApiDocument, Operation, Parameter } from './openapi-document.ts';

export type { OpenApiDocument, Operation, Parameter } from './openapi-document.ts';

interface RouteSchema {
  hide?: boolean;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  consumes?: string[];
  security?: Array<Record<string, string[]>>;
  params?: Json;
  querystring?: Json;
  query?: Json;
  headers?: Json;
  body?: Json;
  response?: Record<string, Json>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'patch', 'trace'];

/** Plain JSON (TypeBox's symbol keys dropped), with references to shared schemas pointed at components. */
function clean(schema: unknown, shared: Set<string>): Json {
  return JSON.parse(JSON.stringify(schema ?? {}), (key, value: unknown) => {
    if (key !== '$ref' || typeof value !== 'string') return value;
    const match = /^([^#]+)#?(.*)$/.exec(value);
    return match && shared.has(match[1]!) ? `#/components/schemas/${match[1]}${match[2] ?? ''}` : value;
  }) as Json;
}

/** `/api/v1/:tenant/items/:id(^\\d+)` → `/api/v1/{tenant}/items/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)(\([^)]*\))?/g, '{$1}').replace(/\*$/, '{wildcard}');
}

function parametersOf(location: Parameter['in'], schema: Json | undefined, shared: Set<string>): Parameter[] {
  if (!schema) return [];
  const s = clean(schema, shared);
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries((s.properties as Record<string, Json> | undefined) ?? {}).map(([name, prop]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\/\{tenant\}/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
};
const VALIDATION_ERROR = {
  ...ERROR,
  required: ['error', 'errors'],
  properties: {
    ...ERROR.properties,
    errors: {
      type: 'object',
      description: 'Messages per field, in the language of the request.',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
};

function operationOf(method: string, path: string, schema: RouteSchema, shared: Set<string>): Operation {
  const tenantApi = path.startsWith('/api/v1/{tenant}');
  const declaredParams = parametersOf('path', schema.params, shared);
  const implicitParams = [...path.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1]!)
    .filter((name) => !declaredParams.some((p) => p.name === name))
    .map((name): Parameter => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(name === 'tenant' ? { description: 'Identifiant (slug) de la collectivité.' } : {}),
    }));
  const op: Operation = {
    operationId: schema.operationId ?? operationIdOf(method, path),
    ...(schema.summary ? { summary: schema.summary } : {}),
    ...(schema.description ? { description: schema.description } : {}),
    tags: schema.tags ?? [tenantApi ? (path.split('/')[4] ?? 'api') : path.split('/')[1] || 'api'],
    parameters: [
      ...implicitParams,
      ...declaredParams,
      ...parametersOf('query', schema.querystring ?? schema.query, shared),
      ...parametersOf('header', schema.headers, shared),
    ],
    responses: {},
  };
  if (schema.body) {
    const body = clean(schema.body, shared);
    op.requestBody = { required: true, content: Object.fromEntries((schema.consumes ?? ['application/json']).map((type) => [type, { schema: body }])) };
  }
  for (const [status, response] of Object.entries(schema.response ?? {})) {
    const r = clean(response, shared);
    op.responses[status.toUpperCase()] = {
      description: typeof r.description === 'string' ? r.description : 'OK',
      content: { 'application/json': { schema: r } },
    };
  }
  if (Object.keys(op.responses).length === 0) op.responses['200'] = { description: 'OK' };
  if ((schema.body || op.parameters.length > 0) && !op.responses['422']) {
    op.responses['422'] = {
      description: 'Invalid request: one message per field.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ValidationError' } } },
    };
  }
  const security = schema.security ?? (tenantApi ? [{ bearerAuth: [] }] : undefined);
  if (security) {
    op.security = security;
    if (security.length && !op.responses['401']) {
      op.responses['401'] = {
        description: 'Missing, unknown or revoked token.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
  }
  return op;
}

export function buildOpenApiDocument(
  routes: RouteOptions[],
  shared: Record<string, unknown>,
  baseUrl: string,
  tags: OpenApiDocument['tags'] = [],
): OpenApiDocument {
  const sharedIds = new Set(Object.keys(shared));
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Bastide API',
      version: VERSION,
      description:
        'API de Bastide : chaque collectivité sous /api/v1/{tenant}/, authentifiée par un jeton (Authorization: Bearer). Les erreurs de validation renvoient 422 avec un message par champ.',
    },
    servers: [{ url: baseUrl }],
    ...(tags?.length ? { tags } : {}),
    paths: {},
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Jeton d’API créé par un administrateur de la collectivité ; il agit avec le rôle qui lui a été donné.',
        },
      },
      schemas: { Error: ERROR, ValidationError: VALIDATION_ERROR, ...Object.fromEntries(Object.entries(shared).map(([id, s]) => [id, clean(s, sharedIds)])) },
    },
  };
  const usedIds = new Set<string>();
  for (const route of routes) {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || schema.hide) continue;
    const path = openApiPath(route.url);
    for (const m of [route.method].flat()) {
      const method = m.toLowerCase();
      if (!METHODS.includes(method)) continue;
      const op = operationOf(method, path, schema, sharedIds);
      // Two routes that would derive the same id get a numbered one: ids must be unique.
      let id = op.operationId;
      for (let n = 2; usedIds.has(id); n++) id = `${op.operationId}${n}`;
      usedIds.add(id);
      op.operationId = id;
      (doc.paths[path] ??= {})[method] = op;
    }
  }
  return doc;
}

/** Collects routes as they are declared; call before any route with a schema is registered. */
export function registerOpenApi(app: FastifyInstance, options: { baseUrl: string; tags?: OpenApiDocument['tags'] }): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  let doc: OpenApiDocument | null = null;
  const documentOf = () => (doc ??= buildOpenApiDocument(routes, app.getSchemas(), options.baseUrl, options.tags));
  app.get('/api/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(documentOf()));
  app.get('/api', async (request, reply) => reply.type('text/html; charset=utf-8').send(renderApiPage(request.ctx, documentOf()).value));
  app.get<{ Params: { tag: string } }>('/api/:tag', async (request, reply) => {
    const tagPage = renderApiTagPage(request.ctx, documentOf(), request.params.tag);
    if (!tagPage) throw notFound();
    return reply.type('text/html; charset=utf-8').send(tagPage.value);
  });
}

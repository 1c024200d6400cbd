// The DCAT-AP 3 feeds (docs/catalogue.md §7): /<slug>/catalogue.jsonld|ttl for a collectivité, and
// /catalogue.jsonld|ttl (also /api/catalogue.jsonld|ttl, its first address) for the whole installation,
// paginated with Hydra (?page=, ?page_size=). The root names are reserved in the manifest
// (`reservedRootPaths`): core reads no collectivité from them and none may take them as its slug.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { tenantsOf } from '../../publishing/across-tenants.ts';
import { CONTENT_TYPES, DEFAULT_PAGE_SIZE, feedChunks, MAX_PAGE_SIZE, type FeedFormat } from '../../publishing/feed.ts';
import { publishedSchema } from '../../publishing/feed.repository.ts';
import { BUNDLED_SCHEMAS_DIR, bundledSchemaNames } from '../../validation/bundled.ts';
import { formOf, one } from '../shared.ts';

/** `page` (1…1,000,000) and `page_size` (bounded to 1…1000, default 100); anything else is a 400 naming it. */
export function pagingOf(request: FastifyRequest): { page: number; pageSize: number } {
  const f = formOf(request.query);
  const t = request.ctx.t;
  const page = one(f, 'page');
  const size = one(f, 'page_size');
  if (page !== '' && !(/^\d{1,7}$/.test(page) && Number(page) >= 1 && Number(page) <= 1_000_000)) {
    throw new HttpError(400, 'bad_request', t('catalogue.feed.bad_page', { max: '1 000 000' }));
  }
  if (size !== '' && !(/^\d{1,12}$/.test(size) && Number(size) >= 1)) {
    throw new HttpError(400, 'bad_request', t('catalogue.feed.bad_page_size', { max: MAX_PAGE_SIZE }));
  }
  return { page: page === '' ? 1 : Number(page), pageSize: size === '' ? DEFAULT_PAGE_SIZE : Math.min(Number(size), MAX_PAGE_SIZE) };
}

function send(
  reply: FastifyReply,
  deps: AppDeps,
  request: FastifyRequest,
  format: FeedFormat,
  tenants: Awaited<ReturnType<typeof tenantsOf>>,
  owner: (typeof tenants)[number] | null,
) {
  const paging = pagingOf(request);
  const path = request.url.split('?')[0]!;
  const body = Readable.from(feedChunks(deps.db, { baseUrl: deps.config.baseUrl, path, format, ...paging, tenants, owner }));
  return reply.header('content-type', CONTENT_TYPES[format]).header('access-control-allow-origin', '*').send(body);
}

export function registerFeeds(app: FastifyInstance, deps: AppDeps): void {
  for (const format of ['jsonld', 'ttl'] as const) {
    const doc = (who: string): FastifySchema & { summary: string; description: string; tags: string[] } => ({
      summary: `Catalogue DCAT-AP 3 (${format === 'ttl' ? 'Turtle' : 'JSON-LD'}) ${who}`,
      description:
        'Jeux de données publiés, paginés avec Hydra (hydra:PartialCollectionView : first, next, previous, last). ' +
        `Paramètres : page (entier ≥ 1), page_size (${DEFAULT_PAGE_SIZE} par défaut, au plus ${MAX_PAGE_SIZE}). Sans jeton.`,
      tags: ['catalogue'],
    });
    app.get(
      `/:tenant/catalogue.${format}`,
      { schema: { ...doc('d’une collectivité'), params: { type: 'object', properties: { tenant: { type: 'string' } } } } },
      async (request, reply) => {
        const tenant = requireTenant(request);
        const ref = { id: tenant.id, slug: tenant.slug, name: tenant.name };
        return send(reply, deps, request, format, [ref], ref);
      },
    );
    for (const path of [`/catalogue.${format}`, `/api/catalogue.${format}`]) {
      app.get(path, { schema: doc('de toute l’installation') }, async (request, reply) => send(reply, deps, request, format, await tenantsOf(deps.db), null));
    }
  }

  // The Table Schema a published dataset declared itself, which its dct:conformsTo points at.
  app.get('/:tenant/donnees/:dataset/schema.json', async (request, reply) => {
    const tenant = requireTenant(request);
    const slug = one(formOf(request.params), 'dataset');
    if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw notFound();
    const found = await deps.db.transaction(tenant.id, (tx) => publishedSchema(tx, slug));
    reply.header('content-type', 'application/schema+json; charset=utf-8');
    if (found?.custom_schema) return reply.send(JSON.stringify(found.custom_schema));
    // A bundled schema (known by name: never a path from the request) as it is stored.
    if (found?.schema_name && bundledSchemaNames().includes(found.schema_name)) {
      return reply.send(await readFile(join(BUNDLED_SCHEMAS_DIR, found.schema_name, 'schema.json')));
    }
    throw notFound();
  });
}

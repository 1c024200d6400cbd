// The read-only subset of CKAN's action API that harvesters call (udata's CKAN backend, CKAN's own
// harvester): package_list, package_show, package_search, organization_list, under /api/3/action/. A
// collectivité is an organization; a package is a published dataset, named `<collectivité>--<dataset>`
// (neither slug may hold "--", so the name splits back without ambiguity). CKAN's envelope throughout:
// {help, success: true, result} or {help, success: false, error: {__type, message}} with 404 (Not Found
// Error), 409 (Validation Error) or 400 (unknown action), as ckan/views/api.py answers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { countEach, tenantsOf, windowOf, type TenantRef } from '../../publishing/across-tenants.ts';
import { datasetUrl, LICENCE_IRIS, schemaUrlOf, type FeedDataset } from '../../publishing/dcat.ts';
import { findPublished, type PublishedFilter } from '../../publishing/feed.repository.ts';
import { formOf, one } from '../shared.ts';
import { listResources } from '../../catalogue.repository.ts';
import { datasetQuality } from '../../quality/load.ts';

const MAX_ROWS = 1000;
const MAX_LIST = 10_000;

class CkanError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: Record<string, unknown>;
  constructor(status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.type = type;
    this.extra = extra;
  }
}

const notFound = () => new CkanError(404, 'Not Found Error', 'Not found');
const invalid = (field: string, message: string) => new CkanError(409, 'Validation Error', message, { [field]: [message] });

function naturalOf(f: Record<string, string | string[]>, name: string, fallback: number, max: number): number {
  const v = one(f, name);
  if (v === '') return fallback;
  if (!/^\d{1,12}$/.test(v)) throw invalid(name, 'Must be a natural number');
  return Math.min(Number(v), max);
}

export function packageName(tenant: TenantRef, d: { slug: string }): string {
  return `${tenant.slug}--${d.slug}`;
}

function organizationOf(tenant: TenantRef, baseUrl: string, count?: number): Record<string, unknown> {
  return {
    id: tenant.id,
    name: tenant.slug,
    title: tenant.name,
    display_name: tenant.name,
    description: '',
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    created: null,
    url: `${baseUrl}/${tenant.slug}`,
    ...(count === undefined ? {} : { package_count: count }),
  };
}

function packageOf(baseUrl: string, tenant: TenantRef, d: FeedDataset): Record<string, unknown> {
  const url = datasetUrl(baseUrl, tenant, d.slug);
  const licence = LICENCE_IRIS[d.licence];
  const extras: Array<{ key: string; value: string }> = [];
  if (d.frequency) extras.push({ key: 'frequency', value: d.frequency.toLowerCase() });
  if (d.spatial.length > 0) extras.push({ key: 'spatial-text', value: d.spatial.join(', ') });
  if (d.temporal_start) extras.push({ key: 'temporal_start', value: d.temporal_start });
  if (d.temporal_end) extras.push({ key: 'temporal_end', value: d.temporal_end });
  const schema = schemaUrlOf(baseUrl, tenant, d);
  if (schema) extras.push({ key: 'schema', value: schema });
  return {
    id: d.id,
    name: packageName(tenant, d),
    title: d.title,
    notes: d.description,
    url,
    license_id: d.licence,
    license_title: licence?.title ?? d.licence,
    license_url: licence?.iri ?? null,
    tags: d.keywords.map((k) => ({ id: k, name: k, display_name: k, state: 'active' })),
    num_tags: d.keywords.length,
    groups: d.themes.map((t) => ({ name: t.toLowerCase(), title: t })),
    metadata_created: (d.published_at ?? d.created_at).toISOString(),
    metadata_modified: d.updated_at.toISOString(),
    organization: organizationOf(tenant, baseUrl),
    owner_org: tenant.id,
    author: d.publisher || tenant.name,
    author_email: null,
    maintainer: d.publisher || tenant.name,
    maintainer_email: /^[^\s@]+@[^\s@]+$/.test(d.contact_point) ? d.contact_point : null,
    private: false,
    type: 'dataset',
    state: 'active',
    extras,
    num_resources: d.resources.length,
    resources: d.resources.map((r, position) => ({
      id: r.id,
      package_id: d.id,
      position,
      name: r.title,
      description: r.description,
      format: r.latest?.format ?? '',
      mimetype: r.latest?.content_type ?? null,
      size: r.latest?.size ?? null,
      hash: r.latest ? `sha256:${r.latest.sha256}` : '',
      created: r.created_at.toISOString(),
      last_modified: (r.latest?.uploaded_at ?? r.created_at).toISOString(),
      url: r.latest ? `${url}/ressources/${r.id}/versions/${r.latest.version}/telecharger` : url,
      resource_type: 'file',
      state: 'active',
    })),
  };
}

/**
 * CKAN's `q` read as far as this catalogue can: `*:*` or nothing is every package; `organization:<slug>`
 * and `tags:<keyword>` filter; any other text is a French full-text search (websearch syntax, with its
 * parameters bound: quotes, semicolons and the like are only text).
 */
export function searchOf(q: string, fq: string): { organization: string | null; filter: PublishedFilter } {
  let organization: string | null = null;
  const filter: PublishedFilter = {};
  const rest: string[] = [];
  for (const token of `${q} ${fq}`.split(/\s+/).filter(Boolean)) {
    const m = /^(?:\+?)(organization|tags):"?([^"]*)"?$/.exec(token);
    if (m?.[1] === 'organization') organization = m[2]!;
    else if (m?.[1] === 'tags') filter.keyword = m[2]!.slice(0, 60);
    else if (token !== '*:*' && token !== 'AND') rest.push(token);
  }
  const text = rest.join(' ').slice(0, 200);
  if (text) filter.q = text;
  return { organization, filter };
}

export function registerCkanApi(app: FastifyInstance, deps: AppDeps): void {
  // package_show (one dataset) carries the quality score as extras, udata's way of naming it: the share of
  // criteria met (0…1) and the unmet ones. package_search does not (one look at the store per file).
  const withQuality = async (tenant: TenantRef, d: FeedDataset): Promise<Record<string, unknown>> => {
    const pkg = packageOf(deps.config.baseUrl, tenant, d);
    const resources = await deps.db.transaction(tenant.id, (tx) => listResources(tx, d.id));
    const q = await datasetQuality(deps, tenant.id, { ...d, custom_schema: d.has_custom_schema ? {} : null }, resources);
    (pkg.extras as Array<{ key: string; value: string }>).push(
      { key: 'quality_score', value: q.score.toFixed(2) },
      {
        key: 'quality_unmet',
        value: q.criteria
          .filter((c) => !c.met)
          .map((c) => c.id)
          .join(','),
      },
    );
    return pkg;
  };
  const baseUrl = deps.config.baseUrl;
  const help = (action: string) => `${baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;

  const actions: Record<string, (f: Record<string, string | string[]>) => Promise<unknown>> = {
    async package_list(f) {
      const limit = naturalOf(f, 'limit', MAX_LIST, MAX_LIST);
      const offset = naturalOf(f, 'offset', 0, Number.MAX_SAFE_INTEGER);
      const counted = await countEach(deps.db, await tenantsOf(deps.db));
      const names: string[] = [];
      for await (const { tenant, datasets } of windowOf(deps.db, counted, offset, limit)) names.push(...datasets.map((d) => packageName(tenant, d)));
      return names;
    },
    async package_show(f) {
      const id = one(f, 'id');
      if (!id) throw invalid('id', 'Missing value');
      const byName = /^([a-z0-9]+(?:-[a-z0-9]+)*)--([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(id);
      if (byName) {
        const [tenant] = await tenantsOf(deps.db, byName[1]!);
        const d = tenant ? await deps.db.transaction(tenant.id, (tx) => findPublished(tx, { slug: byName[2]! })) : null;
        if (!tenant || !d) throw notFound();
        return withQuality(tenant, d);
      }
      if (!isUuid(id)) throw notFound();
      // An id says nothing of its collectivité: each one is asked, under its own row-level security.
      for (const tenant of await tenantsOf(deps.db)) {
        const d = await deps.db.transaction(tenant.id, (tx) => findPublished(tx, { id }));
        if (d) return withQuality(tenant, d);
      }
      throw notFound();
    },
    async package_search(f) {
      const rows = naturalOf(f, 'rows', 10, MAX_ROWS);
      const start = naturalOf(f, 'start', 0, Number.MAX_SAFE_INTEGER);
      const { organization, filter } = searchOf(one(f, 'q'), one(f, 'fq'));
      const tenants = organization === null ? await tenantsOf(deps.db) : /^[a-z0-9-]{1,63}$/.test(organization) ? await tenantsOf(deps.db, organization) : [];
      const counted = await countEach(deps.db, tenants, filter);
      const results: unknown[] = [];
      for await (const { tenant, datasets } of windowOf(deps.db, counted, start, rows, filter))
        results.push(...datasets.map((d) => packageOf(baseUrl, tenant, d)));
      return { count: counted.reduce((n, c) => n + c.count, 0), sort: 'score desc, metadata_modified desc', facets: {}, search_facets: {}, results };
    },
    async organization_list(f) {
      const all = ['true', '1', 'True'].includes(one(f, 'all_fields'));
      const counted = (await countEach(deps.db, await tenantsOf(deps.db))).filter((c) => c.count > 0);
      return all ? counted.map((c) => organizationOf(c.tenant, baseUrl, c.count)) : counted.map((c) => c.tenant.slug);
    },
  };

  const schema = {
    summary: 'API CKAN en lecture (package_list, package_show, package_search, organization_list)',
    description:
      'Le sous-ensemble de l’API « action » de CKAN que lisent les moissonneurs : une collectivité est une organisation, ' +
      'un jeu de données publié un « package » nommé <collectivité>--<jeu>. Enveloppe CKAN {help, success, result} ; erreurs ' +
      '{success: false, error: {__type, message}} en 404, 409 ou 400. Paramètres : id (package_show), q, fq, rows (≤ 1000), start ' +
      '(package_search), limit, offset (package_list), all_fields (organization_list). Sans jeton.',
    tags: ['catalogue'],
    // A plain string: an unknown action gets CKAN's own 400 below, not a validation error.
    params: { type: 'object', properties: { action: { type: 'string' } } },
  };
  app.get('/api/3/action/:action', { schema }, async (request: FastifyRequest, reply: FastifyReply) => {
    const action = one(formOf(request.params), 'action');
    reply.header('content-type', 'application/json; charset=utf-8').header('access-control-allow-origin', '*');
    const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!run) {
      return reply
        .code(400)
        .send({ help: help('help_show'), success: false, error: { __type: 'Bad request', message: `Action name not known: ${action.slice(0, 60)}` } });
    }
    try {
      return reply.send({ help: help(action), success: true, result: await run(formOf(request.query)) });
    } catch (error) {
      if (!(error instanceof CkanError)) throw error;
      return reply.code(error.status).send({ help: help(action), success: false, error: { __type: error.type, message: error.message, ...error.extra } });
    }
  });
}

// The public catalogue: /<slug>/donnees (published datasets only; anything else does not exist here).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { requirePublic } from '../../catalogue.policy.ts';
import { facetValues, findDatasetBySlug, findDatasetVersion, listDatasets, listResources, versionReport } from '../../catalogue.repository.ts';
import { isLicence, isTheme } from '../../vocabularies.ts';
import { previewable, previewOf } from '../../preview.ts';
import type { ValidationReport } from '../../validation/index.ts';
import { sendPage } from '../../views/common.ts';
import { publicDatasetBody, publicListBody, type CatalogueQuery } from '../../views/public.ts';
import { tabularLinks } from '../../tabular/view.ts';
import { reportBody } from '../../views/report.ts';
import { datasetQuality } from '../../quality/load.ts';
import { publicQuality } from '../../quality/view.ts';
import { formOf, one, positiveInt, sendVersion, wantsJson } from '../shared.ts';

const PER_PAGE = 20;

function queryOf(value: unknown): CatalogueQuery {
  const f = formOf(value);
  const theme = one(f, 'theme');
  const licence = one(f, 'licence');
  return {
    q: one(f, 'q').slice(0, 200),
    theme: isTheme(theme) ? theme : '',
    keyword: one(f, 'keyword').slice(0, 60),
    licence: isLicence(licence) ? licence : '',
    schema: one(f, 'schema').slice(0, 80),
    page: Math.min(positiveInt(one(f, 'page')) ?? 1, 10_000),
  };
}

export function registerPublicPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/:tenant/donnees', async (request, reply) => {
    const tenant = requireTenant(request);
    const query = queryOf(request.query);
    const { list, facets } = await deps.db.transaction(tenant.id, async (tx) => ({
      list: await listDatasets(tx, {
        states: ['published'],
        q: query.q || undefined,
        theme: query.theme || undefined,
        keyword: query.keyword || undefined,
        licence: query.licence || undefined,
        schema: query.schema || undefined,
        limit: PER_PAGE,
        offset: (query.page - 1) * PER_PAGE,
      }),
      facets: await facetValues(tx, ['published']),
    }));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('catalogue.public.title'),
      path: request.url,
      body: publicListBody(request.ctx, { base: `/${tenant.slug}/donnees`, query, rows: list.rows, total: list.total, perPage: PER_PAGE, ...facets }),
    });
  });

  const published = async (request: FastifyRequest) => {
    const tenant = requireTenant(request);
    const slug = one(formOf(request.params), 'dataset');
    if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw notFound();
    const dataset = requirePublic(await deps.db.transaction(tenant.id, (tx) => findDatasetBySlug(tx, slug)));
    return { tenant, dataset, base: `/${tenant.slug}/donnees/${dataset.slug}` };
  };

  app.get('/:tenant/donnees/:dataset', async (request, reply) => {
    const { tenant, dataset, base } = await published(request);
    const resources = await deps.db.transaction(tenant.id, (tx) => listResources(tx, dataset.id));
    // The preview shows the newest CSV version of the first resource that has one.
    let preview = null;
    for (const r of resources) {
      const v = r.versions[0];
      if (!v || !previewable(v.content_type)) continue;
      const report = v.validation_state === 'done' ? await deps.db.transaction(tenant.id, (tx) => versionReport(tx, v.id)) : null;
      const data = await previewOf(deps.config, tenant.id, v.sha256, report?.stats.delimiter ?? null, 10, v.content_type);
      if (data) preview = { resource: r.title, data };
      break;
    }
    return sendPage(reply, request.ctx, {
      title: dataset.title,
      path: request.url,
      body: publicDatasetBody(request.ctx, {
        base,
        dataset,
        resources,
        preview,
        quality: publicQuality(request.ctx, await datasetQuality(deps, tenant.id, dataset, resources)),
        tabular: await tabularLinks(deps.db, request.ctx, {
          tenantId: tenant.id,
          tenantSlug: tenant.slug,
          datasetSlug: dataset.slug,
          resourceIds: resources.map((r) => r.id),
        }),
      }),
    });
  });

  const version = async (request: FastifyRequest) => {
    const { tenant, dataset, base } = await published(request);
    const params = formOf(request.params);
    const rid = one(params, 'rid');
    const n = positiveInt(one(params, 'n'));
    if (!isUuid(rid) || !n) throw notFound();
    const found = await deps.db.transaction(tenant.id, (tx) => findDatasetVersion(tx, dataset.id, rid, n));
    if (!found) throw notFound();
    return { tenant, dataset, base, ...found };
  };

  app.get('/:tenant/donnees/:dataset/ressources/:rid/versions/:n/telecharger', async (request, reply) => {
    const { tenant, v } = await version(request);
    return sendVersion(deps, reply, tenant.id, v);
  });

  const report = async (request: FastifyRequest, reply: FastifyReply) => {
    const { dataset, resource, v, report, base } = await version(request);
    if (!report) throw notFound();
    if (wantsJson(request)) return reply.send(report satisfies ValidationReport);
    const title = request.ctx.t('catalogue.report.title', { resource: resource.title, n: v.version });
    return sendPage(reply, request.ctx, {
      title,
      path: request.url,
      body: reportBody(request.ctx, report, {
        title,
        back: { href: base, label: dataset.title },
        jsonHref: `${base}/ressources/${resource.id}/versions/${v.version}/rapport.json`,
      }),
    });
  };
  app.get('/:tenant/donnees/:dataset/ressources/:rid/versions/:n/rapport', report);
  app.get('/:tenant/donnees/:dataset/ressources/:rid/versions/:n/rapport.json', report);
}

// Staff pages (data stewards and administrators): /<slug>/admin/donnees.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { receiveSingleUpload } from '../../../../core/http/receive-upload.ts';
import { principalOf, type Principal, type Transition, TRANSITIONS } from '../../catalogue.policy.ts';
import { findDatasetVersion, listDatasets, listResources } from '../../catalogue.repository.ts';
import { createDataset, loadForStaff, transitionDataset, updateDataset } from '../../actions/datasets.ts';
import { addResourceVersion, LEGACY_TEXT, maxUploadBytes, RESOURCE_TYPES } from '../../actions/upload-version.ts';
import { listBundledSchemas } from '../../validation/index.ts';
import type { DatasetInput } from '../../dataset-input.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';
import { staffDatasetBody, staffListBody } from '../../views/staff.ts';
import { datasetQuality } from '../../quality/load.ts';
import { staffQuality } from '../../quality/view.ts';
import { reportBody } from '../../views/report.ts';
import { tabularLinks } from '../../tabular/view.ts';
import { errorsOf, formOf, many, one, positiveInt, sendVersion, wantsJson } from '../shared.ts';

function staffOf(request: FastifyRequest): Principal {
  requireRoles(request, 'data_steward');
  return principalOf(request.ctx);
}

function datasetInput(form: Record<string, string | string[]>): DatasetInput {
  return {
    title: one(form, 'title'),
    description: one(form, 'description'),
    keywords: one(form, 'keywords'),
    themes: many(form, 'themes'),
    licence: one(form, 'licence'),
    frequency: one(form, 'frequency'),
    spatial: one(form, 'spatial'),
    temporal_start: one(form, 'temporal_start'),
    temporal_end: one(form, 'temporal_end'),
    publisher: one(form, 'publisher'),
    contact_point: one(form, 'contact_point'),
    personal_data: one(form, 'personal_data'),
    schema: one(form, 'schema'),
    custom_schema: one(form, 'custom_schema'),
  };
}

export function registerStaffPages(app: FastifyInstance, deps: AppDeps): void {
  const listPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, title?: string) => {
    const tenant = requireTenant(request);
    staffOf(request);
    const { rows } = await deps.db.transaction(tenant.id, (tx) => listDatasets(tx, { limit: 500, offset: 0 }));
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('catalogue.staff.title'),
        path: request.url,
        body: staffListBody(request.ctx, {
          base: `/${tenant.slug}/admin/donnees`,
          datasets: rows,
          notice: noticeFrom(request.ctx, request.query),
          errors,
          title,
        }),
      },
      errors ? 422 : 200,
    );
  };

  const datasetPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, values?: Record<string, string | string[]>) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formOf(request.params), 'id');
    const dataset = await loadForStaff(deps.db, p, id);
    const resources = await deps.db.transaction(tenant.id, (tx) => listResources(tx, dataset.id));
    const base = `/${tenant.slug}/admin/donnees/${dataset.id}`;
    return sendPage(
      reply,
      request.ctx,
      {
        title: dataset.title,
        path: request.url,
        body: staffDatasetBody(request.ctx, {
          base,
          publicHref: `/${tenant.slug}/donnees/${dataset.slug}`,
          p,
          dataset,
          resources,
          schemas: listBundledSchemas(),
          notice: noticeFrom(request.ctx, request.query),
          quality: staffQuality(request.ctx, await datasetQuality(deps, tenant.id, dataset, resources)),
          tabular: await tabularLinks(deps.db, request.ctx, {
            tenantId: tenant.id,
            tenantSlug: tenant.slug,
            datasetSlug: dataset.slug,
            resourceIds: resources.map((r) => r.id),
            staff: { formBase: base },
          }),
          errors,
          values,
        }),
      },
      errors ? 422 : 200,
    );
  };

  app.get('/:tenant/admin/donnees', (request, reply) => listPage(request, reply));

  app.post('/:tenant/admin/donnees', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const title = one(formOf(request.body), 'title');
    try {
      const created = await createDataset(deps.db, p, { title });
      return seeOther(reply, `/${tenant.slug}/admin/donnees/${created.id}`, 'created');
    } catch (error) {
      return listPage(request, reply, errorsOf(error), title);
    }
  });

  app.get('/:tenant/admin/donnees/:id', (request, reply) => datasetPage(request, reply));

  app.post('/:tenant/admin/donnees/:id', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formOf(request.params), 'id');
    const form = formOf(request.body);
    try {
      await updateDataset(deps.db, p, id, datasetInput(form));
      return seeOther(reply, `/${tenant.slug}/admin/donnees/${id}`, 'saved');
    } catch (error) {
      return datasetPage(request, reply, errorsOf(error), form);
    }
  });

  app.post('/:tenant/admin/donnees/:id/etat', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formOf(request.params), 'id');
    const form = formOf(request.body);
    const op = one(form, 'op');
    if (!Object.hasOwn(TRANSITIONS, op)) throw new HttpError(400, 'bad_request', request.ctx.t('catalogue.error.unknown_action'));
    try {
      await transitionDataset(deps.db, p, id, op as Transition, { comment: one(form, 'comment'), decision: one(form, 'decision') });
      return seeOther(reply, `/${tenant.slug}/admin/donnees/${id}`, op);
    } catch (error) {
      return datasetPage(request, reply, errorsOf(error));
    }
  });

  app.post('/:tenant/admin/donnees/:id/ressources', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formOf(request.params), 'id');
    // Checked before any byte is read: a dataset of another collectivité, or one not open to uploads, costs no disk.
    await loadForStaff(deps.db, p, id);
    const t = request.ctx.t;
    const max = maxUploadBytes();
    try {
      // The bytes of a refused file or record are taken back before this returns or throws, so before the page is sent.
      await receiveSingleUpload(deps, request, {
        tenantId: tenant.id,
        maxBytes: max,
        allowedTypes: RESOURCE_TYPES,
        legacyText: LEGACY_TEXT,
        fields: { resource: 5000, title: 5000, description: 5000 },
        messages: {
          notMultipart: t('catalogue.error.multipart'),
          missing: t('catalogue.upload.missing'),
          refused: (error) =>
            error.code === 'too_large'
              ? t('catalogue.upload.too_large', { max: `${Math.round(max / 1024 / 1024)} Mo` })
              : error.code === 'empty'
                ? t('catalogue.upload.empty')
                : t('catalogue.upload.type'),
        },
        record: (stored, fields) =>
          addResourceVersion(deps, p, id, { resourceId: fields.resource || undefined, title: fields.title, description: fields.description }, stored),
      });
    } catch (error) {
      return datasetPage(request, reply, errorsOf(error));
    }
    return seeOther(reply, `/${tenant.slug}/admin/donnees/${id}`, 'uploaded');
  });

  const version = async (request: FastifyRequest) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const params = formOf(request.params);
    const dataset = await loadForStaff(deps.db, p, one(params, 'id'));
    const rid = one(params, 'rid');
    const n = positiveInt(one(params, 'n'));
    if (!isUuid(rid) || !n) throw notFound();
    const found = await deps.db.transaction(tenant.id, (tx) => findDatasetVersion(tx, dataset.id, rid, n));
    if (!found) throw notFound();
    return { tenant, dataset, ...found, base: `/${tenant.slug}/admin/donnees/${dataset.id}` };
  };

  app.get('/:tenant/admin/donnees/:id/ressources/:rid/versions/:n/telecharger', async (request, reply) => {
    const { tenant, v } = await version(request);
    return sendVersion(deps, reply, tenant.id, v);
  });

  const report = async (request: FastifyRequest, reply: FastifyReply) => {
    const { dataset, resource, v, report, base } = await version(request);
    if (!report) throw notFound();
    if (wantsJson(request)) return reply.header('cache-control', 'no-store').send(report);
    const href = `${base}/ressources/${resource.id}/versions/${v.version}/rapport`;
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('catalogue.report.title', { resource: resource.title, n: v.version }),
      path: request.url,
      body: reportBody(request.ctx, report, {
        title: request.ctx.t('catalogue.report.title', { resource: resource.title, n: v.version }),
        back: { href: base, label: dataset.title },
        jsonHref: `${href}.json`,
      }),
    });
  };
  app.get('/:tenant/admin/donnees/:id/ressources/:rid/versions/:n/rapport', report);
  app.get('/:tenant/admin/donnees/:id/ressources/:rid/versions/:n/rapport.json', report);
}

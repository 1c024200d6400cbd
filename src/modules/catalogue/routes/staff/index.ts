// Staff pages (data stewards and administrators): /<slug>/admin/donnees.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { storeUpload, UploadError } from '../../../../core/files/upload.ts';
import type { AdoptedBlob } from '../../../../core/files/store.ts';
import { assertNoNul } from '../../../../core/http/request-guard.ts';
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
import { discardUnrecorded, errorsOf, formOf, many, one, positiveInt, sendVersion, wantsJson } from '../shared.ts';

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
    if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', request.ctx.t('catalogue.error.multipart'));
    const max = maxUploadBytes();
    const created: AdoptedBlob[] = [];
    const fields: Record<string, string> = {};
    let stored: Awaited<ReturnType<typeof storeUpload>> | null = null;
    let fileError: string | null = null;
    try {
      // fileSize one byte over the limit: the upload's meter sees the excess and refuses it (a truncated file is never kept).
      for await (const part of request.parts({ limits: { fileSize: max + 1, files: 1 } })) {
        if (part.type === 'field') {
          assertNoNul(`${part.fieldname}${String(part.value)}`, request.ctx.t);
          if (['resource', 'title', 'description'].includes(part.fieldname)) fields[part.fieldname] = String(part.value).slice(0, 5000);
          continue;
        }
        if (part.fieldname !== 'file' || !part.filename || stored) {
          part.file.resume();
          continue;
        }
        try {
          stored = await storeUpload(deps, tenant.id, part.file, {
            maxBytes: max,
            allowedTypes: RESOURCE_TYPES,
            legacyText: LEGACY_TEXT,
            filename: part.filename,
            onCreated: (b) => created.push(b),
          });
        } catch (error) {
          if (!(error instanceof UploadError)) throw error;
          part.file.resume();
          fileError =
            error.code === 'too_large'
              ? request.ctx.t('catalogue.upload.too_large', { max: `${Math.round(max / 1024 / 1024)} Mo` })
              : error.code === 'empty'
                ? request.ctx.t('catalogue.upload.empty')
                : request.ctx.t('catalogue.upload.type');
        }
      }
      // A refused upload takes its bytes back before the answer leaves (finally would run after the page
      // is sent: a client reading the store at once could still see them).
      if (!stored) {
        await discardUnrecorded(deps, tenant.id, created.splice(0));
        return await datasetPage(request, reply, { file: [fileError ?? request.ctx.t('catalogue.upload.missing')] });
      }
      try {
        await addResourceVersion(deps, p, id, { resourceId: fields.resource || undefined, title: fields.title, description: fields.description }, stored);
      } catch (error) {
        await discardUnrecorded(deps, tenant.id, created.splice(0));
        return await datasetPage(request, reply, errorsOf(error));
      }
      return seeOther(reply, `/${tenant.slug}/admin/donnees/${id}`, 'uploaded');
    } finally {
      await discardUnrecorded(deps, tenant.id, created);
    }
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

// The designer's list of procedures, with the forms to create one and to import a definition (JSON).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { listProcedures } from '../../procedures.repository.ts';
import { createProcedure } from '../../actions/create-procedure.ts';
import { importDefinition } from '../../actions/share-procedure.ts';
import { readForm } from '../form-body.ts';
import { designerListBody } from '../../views/designer.ts';
import { noticeFrom, sendPage, seeOther } from '../../views/common.ts';
import { designerOf, errorsOf } from './shared.ts';

const CreateForm = Type.Object({ title: Type.String() });
const ImportForm = Type.Object({ json: Type.String() });

export function registerProcedureListPages(app: FastifyInstance, deps: AppDeps): void {
  const listPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, values?: Record<string, string>) => {
    const tenant = requireTenant(request);
    designerOf(request);
    const procedures = await deps.db.transaction(tenant.id, (tx) => listProcedures(tx, { publishedOnly: false }));
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('procedures.web.designer.list'),
        path: request.url,
        body: designerListBody(request.ctx, {
          base: `/${tenant.slug}/admin/demarches`,
          procedures,
          notice: noticeFrom(request.ctx, request.query),
          errors,
          values,
        }),
      },
      errors ? 422 : 200,
    );
  };

  app.get('/:tenant/admin/demarches', (request, reply) => listPage(request, reply));

  app.post('/:tenant/admin/demarches', async (request, reply) => {
    const tenant = requireTenant(request);
    const { title } = readForm(CreateForm, request.body);
    try {
      const created = await createProcedure(deps.db, designerOf(request), { title, fields: [] });
      return seeOther(reply, `/${tenant.slug}/admin/demarches/${created.id}`, 'created');
    } catch (error) {
      return listPage(request, reply, errorsOf(error), { title });
    }
  });

  app.post('/:tenant/admin/demarches/importer', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = designerOf(request);
    const { json } = readForm(ImportForm, request.body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return listPage(request, reply, { json: [request.ctx.t('procedures.web.designer.bad_json')] }, { json });
    }
    try {
      const created = await importDefinition(deps.db, p, parsed);
      return seeOther(reply, `/${tenant.slug}/admin/demarches/${created.id}`, 'imported');
    } catch (error) {
      const errors = errorsOf(error);
      return listPage(request, reply, { json: Object.entries(errors).map(([k, v]) => `${k} : ${v.join(' ')}`) }, { json });
    }
  });
}

// API of the operations settings (designers) and of the webhook delivery log:
//   GET/PUT /api/v1/<slug>/procedures/<id|slug>/operations
//   GET     /api/v1/<slug>/procedures/<id|slug>/webhook-deliveries
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { principalOf, requireDesigner } from '../../procedures.policy.ts';
import { findProcedure } from '../../procedures.repository.ts';
import { listWebhookDeliveries } from '../../webhooks/dispatch.ts';
import { operationsSettings } from '../../operations/settings.ts';
import { publicOperationsSettings, updateOperationsSettings } from '../../operations/update-settings.ts';

type Params = { procedure: string };

export function registerOperationsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const allowHttp = deps.config.env !== 'production';
  const outbound = { allow: deps.config.outboundAllow };
  app.get<{ Params: Params }>('/api/v1/:tenant/procedures/:procedure/operations', async (request) => {
    const p = principalOf(request.ctx);
    requireDesigner(p);
    const procedure = await deps.db.transaction(p.tenantId, (tx) => findProcedure(tx, request.params.procedure));
    if (!procedure) throw notFound();
    return publicOperationsSettings(operationsSettings(procedure.settings));
  });
  app.put<{ Params: Params }>('/api/v1/:tenant/procedures/:procedure/operations', async (request) => {
    const p = principalOf(request.ctx);
    const updated = await updateOperationsSettings(deps.db, p, request.params.procedure, request.body, { allowHttp, outbound });
    // A secret the server generated is in this answer only (shown once); never again afterwards.
    return publicOperationsSettings(updated, updated.generatedSecret);
  });
  app.get<{ Params: Params; Querystring: { limit?: string } }>('/api/v1/:tenant/procedures/:procedure/webhook-deliveries', async (request) => {
    const p = principalOf(request.ctx);
    requireDesigner(p);
    return deps.db.transaction(p.tenantId, async (tx) => {
      const procedure = await findProcedure(tx, request.params.procedure);
      if (!procedure) throw notFound();
      return { items: await listWebhookDeliveries(tx, procedure.id, Number(request.query.limit) || 50) };
    });
  });
}

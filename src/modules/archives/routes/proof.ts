// The proof of integrity of a unit (archivists): /<slug>/admin/archives/unites/<id>/preuve (page),
// …/preuve.json (the report to hand over), POST …/preuve (checkpoint the journal now), and the standalone
// verifier itself as a download; GET /api/v1/<slug>/archives/units/<id>/proof for tokens.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { page } from '../../../core/views/layout.ts';
import { principalOf, type Principal } from '../archives.policy.ts';
import { buildProof } from '../proof/report.ts';
import { checkpointJournal } from '../proof/checkpoints.ts';
import { verifyReport } from '../proof/verify-proof.ts';
import { proofBody } from '../views/proof.ts';
import { demoUnitId } from './demo.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { notFound } from '../../../core/base/errors.ts';

const VERIFIER = new URL('../proof/verify-proof.ts', import.meta.url);

export function registerProofRoutes(app: FastifyInstance, deps: AppDeps): void {
  const archivist = (request: FastifyRequest): Principal => {
    requireRoles(request, 'archivist');
    return principalOf(request.ctx);
  };
  const unitId = (request: FastifyRequest): string => {
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound();
    return id;
  };

  const proofPage = async (request: FastifyRequest, reply: FastifyReply, demo: boolean) => {
    const p = archivist(request);
    const report = await buildProof(deps, p, demo ? await demoUnitId(deps.db, p.tenantId) : unitId(request));
    const base = `/${requireTenant(request).slug}/admin/archives`;
    const notice = (request.query as { notice?: string }).notice === 'checkpoint' ? request.ctx.t('archives.notice.checkpoint') : null;
    const body = proofBody(request.ctx, { base, report, findings: verifyReport(report), notice });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page(request.ctx, { title: request.ctx.t('archives.proof.title'), path: `${base}/unites/${report.unit.id}/preuve`, body }).value);
  };
  app.get('/:tenant/admin/archives/unites/:id/preuve', (request, reply) => proofPage(request, reply, false));
  app.get('/:tenant/admin/archives/demonstration/preuve', (request, reply) => proofPage(request, reply, true));

  app.get('/:tenant/admin/archives/unites/:id/preuve.json', async (request, reply) => {
    const p = archivist(request);
    const report = await buildProof(deps, p, unitId(request));
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="preuve-${report.unit.id}.json"`)
      .send(JSON.stringify(report, null, 1));
  });

  app.post('/:tenant/admin/archives/unites/:id/preuve', async (request, reply) => {
    const p = archivist(request);
    const id = unitId(request);
    await checkpointJournal(deps.db, p.tenantId, p.actor);
    return reply.redirect(`/${requireTenant(request).slug}/admin/archives/unites/${id}/preuve?notice=checkpoint`, 303);
  });

  app.get('/:tenant/admin/archives/verificateur-preuve.ts', (request, reply) => {
    archivist(request);
    return reply.type('text/plain; charset=utf-8').header('content-disposition', 'attachment; filename="verify-proof.ts"').send(readFileSync(VERIFIER, 'utf8'));
  });

  app.get(
    '/api/v1/:tenant/archives/units/:id/proof',
    { schema: { summary: 'Relevé de valeur probante d’une unité (JSON vérifiable seul)', tags: ['archives'] } as object },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      return reply.header('cache-control', 'no-store').send(await buildProof(deps, p, unitId(request)));
    },
  );
}

// The usage report's page, CSV and API (report.ts). Only an administrator of the collectivité in the path
// reads it (its own tenant_admin, an administrator of its host, the host operator, or a tenant_admin API
// token of it), and it lists that collectivité and the ones it hosts: a member commune's administrator
// sees its own line, never its host's report nor another member's.
//   GET /<slug>/admin/usage?month=YYYY-MM       page (the current month by default)
//   GET /<slug>/admin/usage.csv?month=YYYY-MM   the same table as CSV
//   GET /api/v1/<slug>/usage?month=YYYY-MM      JSON; /api/v1/<slug>/usage.csv the CSV
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../module.ts';
import { typed } from '../http/typebox.ts';
import { requireRoles } from '../auth/require.ts';
import { grants } from '../base/roles.ts';
import { forbidden, notFound, unprocessable } from '../base/errors.ts';
import { currentMonth, parseMonth, usageCsv, usageReport, type UsageMonth, type UsageReport } from './report.ts';
import { usagePage } from './page.ts';

const Query = Type.Object({ month: Type.Optional(Type.String({ maxLength: 20 })) });

function monthOf(month: string | undefined): UsageMonth | null {
  if (month === undefined || month === '') return currentMonth();
  return parseMonth(month);
}

function apiAdmin(request: FastifyRequest): string {
  const tenant = request.ctx.tenant;
  if (!tenant) throw notFound();
  if (!grants(request.ctx.roles, 'tenant_admin')) throw forbidden();
  return tenant.id;
}

function sendCsv(reply: FastifyReply, slug: string, report: UsageReport) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${slug}-usage-${report.month}.csv"`).send(usageCsv(report));
}

export function registerUsageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = typed(app);
  const report = (tenantId: string, month: UsageMonth) => usageReport(deps.db, tenantId, month, deps.usageContributors ?? []);
  const badMonth = (request: FastifyRequest) => unprocessable({ month: [request.ctx.t('core.usage.bad_month')] });

  r.get('/:tenant/admin/usage', { schema: { querystring: Query, hide: true } }, async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = request.ctx.tenant!;
    const month = monthOf(request.query.month);
    const html = 'text/html; charset=utf-8';
    if (!month) {
      const errors = { month: [request.ctx.t('core.usage.bad_month')] };
      return reply
        .code(422)
        .type(html)
        .send(usagePage(request.ctx, { report: null, month: request.query.month ?? '', errors }).value);
    }
    return reply.type(html).send(usagePage(request.ctx, { report: await report(tenant.id, month), month: month.label }).value);
  });

  r.get('/:tenant/admin/usage.csv', { schema: { querystring: Query, hide: true } }, async (request, reply) => {
    requireRoles(request, 'tenant_admin');
    const tenant = request.ctx.tenant!;
    const month = monthOf(request.query.month);
    if (!month) throw badMonth(request);
    return sendCsv(reply, tenant.slug, await report(tenant.id, month));
  });

  const apiSchema = {
    querystring: Query,
    tags: ['usage'],
    summary: 'Usage of the collectivité and of those it hosts, for a month (tenant_admin)',
  };
  r.get('/api/v1/:tenant/usage', { schema: apiSchema }, async (request) => {
    const tenantId = apiAdmin(request);
    const month = monthOf(request.query.month);
    if (!month) throw badMonth(request);
    return report(tenantId, month);
  });

  r.get('/api/v1/:tenant/usage.csv', { schema: apiSchema }, async (request, reply) => {
    const tenantId = apiAdmin(request);
    const month = monthOf(request.query.month);
    if (!month) throw badMonth(request);
    return sendCsv(reply, request.ctx.tenant!.slug, await report(tenantId, month));
  });
}

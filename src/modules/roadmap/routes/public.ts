// The roadmap's public pages: /<slug>/feuille-de-route (projects, totals, indicators), its PDF, and one
// project's page. Drafts show to the collectivité's staff only (roadmap.policy.ts); a draft's address
// answers 404 to everyone else.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant, type RequestContext } from '../../../core/base/context.ts';
import { notFound } from '../../../core/base/errors.ts';
import { page } from '../../../core/views/layout.ts';
import type { Html } from '../../../core/views/html.ts';
import { principalOf, readsDrafts } from '../roadmap.policy.ts';
import { loadProject, loadRoadmap } from '../roadmap.load.ts';
import { projectBody, roadmapBody } from '../views/public.ts';
import { roadmapPdf } from '../views/pdf.ts';
import { ROADMAP_DATASET_SLUG } from '../dataset.ts';
import { obtainedFunding } from '../funding/public-fragment.ts';
import { listApplications } from '../funding/applications.repository.ts';
import { fundingPlan } from '../funding/plan.ts';

export function sendHtml(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

function param(value: unknown, name: string): string {
  const v = value && typeof value === 'object' && name in value ? (value as Record<string, unknown>)[name] : '';
  return typeof v === 'string' ? v : '';
}

export function registerRoadmapPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/:tenant/feuille-de-route', async (request, reply) => {
    const tenant = requireTenant(request);
    const staff = readsDrafts(principalOf(request.ctx));
    // Funding totals as the funding API gives them: the staff see everything (drafts, amounts expected);
    // others only what published projects obtained — amounts asked are the collectivité's business.
    const { roadmap, funding } = await deps.db.transaction(tenant.id, async (tx) => {
      const rows = await listApplications(tx, { publishedOnly: !staff });
      return { roadmap: await loadRoadmap(tx, staff), funding: { ...fundingPlan(staff ? rows : rows.filter((a) => a.status === 'granted')), staff } };
    });
    // The open dataset is published by the daily job once a project is public (dataset.ts).
    const dataset = roadmap.projects.some((p) => p.published);
    const base = `/${tenant.slug}/feuille-de-route`;
    return sendHtml(
      reply,
      request.ctx,
      request.ctx.t('roadmap.title'),
      request.url,
      roadmapBody(request.ctx, { base, ...roadmap, funding, datasetHref: dataset ? `/${tenant.slug}/donnees/${ROADMAP_DATASET_SLUG}` : null }),
    );
  });

  app.get('/:tenant/feuille-de-route.pdf', async (request, reply) => {
    const tenant = requireTenant(request);
    const staff = readsDrafts(principalOf(request.ctx));
    const roadmap = await deps.db.transaction(tenant.id, (tx) => loadRoadmap(tx, staff));
    const pdf = roadmapPdf(request.ctx, tenant.name, roadmap);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="feuille-de-route-${tenant.slug}.pdf"`)
      .header('cache-control', staff ? 'no-store' : 'public, max-age=300')
      .send(pdf);
  });

  app.get('/:tenant/feuille-de-route/projets/:project', async (request, reply) => {
    const tenant = requireTenant(request);
    const staff = readsDrafts(principalOf(request.ctx));
    const ref = param(request.params, 'project');
    if (!/^[a-z0-9-]{1,80}$/.test(ref)) throw notFound();
    const found = await deps.db.transaction(tenant.id, async (tx) => {
      const d = await loadProject(tx, ref, staff);
      // The fragment reads granted applications of PUBLISHED projects only: a draft's funding never shows here.
      return d
        ? { detail: d, funding: await obtainedFunding(tx, request.ctx, tenant.slug, d.project.id, d.project.budget_investment + d.project.budget_operation) }
        : null;
    });
    if (!found) throw notFound();
    const { detail, funding } = found;
    const base = `/${tenant.slug}/feuille-de-route`;
    return sendHtml(
      reply,
      request.ctx,
      detail.project.title,
      request.url,
      projectBody(request.ctx, { base, tenantSlug: tenant.slug, ...detail, extra: funding }),
    );
  });
}

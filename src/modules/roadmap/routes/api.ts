// API of the roadmap: projects (list, read, create, edit), indicators and their values. Reading follows
// roadmap.policy.ts (published for everyone, drafts for staff); writing is for the tenant_admin.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import type { AppDeps } from '../../../core/module.ts';
import { notFound } from '../../../core/base/errors.ts';
import { principalOf, readsDrafts } from '../roadmap.policy.ts';
import { IndicatorBody, ProjectBody, ValueBody } from '../roadmap.schema.ts';
import { findProject, listLinks, listPartners, listPooledProjects, listProjects, type ProjectRow } from '../projects.repository.ts';
import { listIndicators, valuesOf, type IndicatorRow, type ValueRow } from '../indicators/indicators.repository.ts';
import { createProject, editProject } from '../actions/projects.ts';
import { createIndicator, recordValue } from '../actions/indicators.ts';

// Summary and tag for the OpenAPI document (Fastify's schema type does not declare them, as procedures' api-doc.ts says).
const doc = (summary: string, tag: 'roadmap-projects' | 'roadmap-indicators'): object => ({ summary, tags: [tag] });
const ProjectParams = Type.Object({ tenant: Type.String(), project: Type.String({ maxLength: 80 }) });
const IndicatorParams = Type.Object({ tenant: Type.String(), indicator: Type.String({ maxLength: 40 }) });

export function projectJson(p: ProjectRow, tenantSlug: string) {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    theme: p.theme,
    stage: p.stage,
    description: p.description,
    start_on: p.start_on,
    end_on: p.end_on,
    budget_investment: p.budget_investment,
    budget_operation: p.budget_operation,
    published: p.published,
    url: `/${tenantSlug}/feuille-de-route/projets/${p.slug}`,
    updated_at: p.updated_at,
  };
}

export function indicatorJson(i: IndicatorRow, values: ValueRow[]) {
  return {
    id: i.id,
    project: i.project_slug,
    name: i.name,
    unit: i.unit,
    target: i.target,
    target_on: i.target_on,
    source: i.source,
    values: values.filter((v) => v.indicator_id === i.id).map((v) => ({ measured_on: v.measured_on, value: v.value, origin: v.origin })),
  };
}

export function registerRoadmapApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.get('/api/v1/:tenant/roadmap/projects', { schema: doc('Lister les projets de la feuille de route', 'roadmap-projects') }, async (request) => {
    const p = principalOf(request.ctx);
    const staff = readsDrafts(p);
    const { rows, pooled } = await db.transaction(p.tenantId, async (tx) => ({
      rows: await listProjects(tx, { publishedOnly: !staff }),
      pooled: await listPooledProjects(tx, { includeDrafts: staff }),
    }));
    return {
      items: rows.map((r) => projectJson(r, request.ctx.tenant!.slug)),
      pooled_with_others: pooled.map((r) => ({
        owner: r.owner_slug,
        slug: r.slug,
        title: r.title,
        theme: r.theme,
        stage: r.stage,
        contribution: r.contribution,
        url: `/${r.owner_slug}/feuille-de-route/projets/${r.slug}`,
      })),
    };
  });

  api.get(
    '/api/v1/:tenant/roadmap/projects/:project',
    { schema: { ...doc('Lire un projet, ses partenaires, liens et indicateurs', 'roadmap-projects'), params: ProjectParams } },
    async (request) => {
      const p = principalOf(request.ctx);
      return db.transaction(p.tenantId, async (tx) => {
        const project = await findProject(tx, request.params.project, { publishedOnly: !readsDrafts(p) });
        if (!project) throw notFound();
        const indicators = await listIndicators(tx, { publicOnly: false, projectId: project.id });
        const values = await valuesOf(
          tx,
          indicators.map((i) => i.id),
        );
        return {
          ...projectJson(project, request.ctx.tenant!.slug),
          partners: (await listPartners(tx, project.id)).map((x) => ({ tenant: x.slug, name: x.name, contribution: x.contribution })),
          links: await listLinks(tx, project.id),
          indicators: indicators.map((i) => indicatorJson(i, values)),
        };
      });
    },
  );

  api.post(
    '/api/v1/:tenant/roadmap/projects',
    { schema: { ...doc('Créer un projet (administrateur de la collectivité)', 'roadmap-projects'), body: ProjectBody } },
    async (request, reply) => {
      const project = await createProject(db, principalOf(request.ctx), request.body);
      return reply.code(201).send(projectJson(project, request.ctx.tenant!.slug));
    },
  );

  api.put(
    '/api/v1/:tenant/roadmap/projects/:project',
    { schema: { ...doc('Modifier un projet (administrateur de la collectivité propriétaire)', 'roadmap-projects'), params: ProjectParams, body: ProjectBody } },
    async (request) => {
      const project = await editProject(db, principalOf(request.ctx), request.params.project, request.body);
      return projectJson(project, request.ctx.tenant!.slug);
    },
  );

  api.get('/api/v1/:tenant/roadmap/indicators', { schema: doc('Lister les indicateurs et leurs valeurs', 'roadmap-indicators') }, async (request) => {
    const p = principalOf(request.ctx);
    return db.transaction(p.tenantId, async (tx) => {
      const indicators = await listIndicators(tx, { publicOnly: !readsDrafts(p) });
      const values = await valuesOf(
        tx,
        indicators.map((i) => i.id),
      );
      return { items: indicators.map((i) => indicatorJson(i, values)) };
    });
  });

  api.post(
    '/api/v1/:tenant/roadmap/indicators',
    { schema: { ...doc('Créer un indicateur (d’un projet ou de la feuille de route)', 'roadmap-indicators'), body: IndicatorBody } },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      const indicator = await createIndicator(db, p, request.body);
      return reply.code(201).send(indicatorJson(indicator, []));
    },
  );

  api.post(
    '/api/v1/:tenant/roadmap/indicators/:indicator/values',
    { schema: { ...doc('Enregistrer une valeur d’un indicateur saisi', 'roadmap-indicators'), params: IndicatorParams, body: ValueBody } },
    async (request, reply) => {
      const value = await recordValue(db, principalOf(request.ctx), request.params.indicator, request.body);
      return reply.code(201).send(value);
    },
  );
}

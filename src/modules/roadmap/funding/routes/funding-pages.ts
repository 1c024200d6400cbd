// Staff pages of a collectivité's funding:
//   /<slug>/admin/feuille-de-route/financements                         the roadmap's funding plan and applications
//   /<slug>/admin/feuille-de-route/projets/<project>/financements       plan, applications, every matched programme with its reasons
//                                                                       and a link to apply (?programme=<slug>#candidature), new application
//   /<slug>/admin/feuille-de-route/candidatures/<id>                    one application: amounts, dates, documents
// Reading: the collectivité's staff; writing: its tenant_admin (roadmap.policy.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { STAFF_ROLES } from '../../../../core/base/roles.ts';
import { HttpError, notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { html, type Html } from '../../../../core/views/html.ts';
import { page } from '../../../../core/views/layout.ts';
import { sendAttachment } from '../../../../core/files/send.ts';
import { findBlob } from '../../../../core/files/upload.ts';
import { canEditRoadmap, principalOf } from '../../roadmap.policy.ts';
import { findProject, listProjects } from '../../projects.repository.ts';
import { findApplication, listApplications, listDocuments } from '../applications.repository.ts';
import { createApplication, updateApplication } from '../actions/applications.ts';
import { fundingPlan } from '../plan.ts';
import { loadProjectFunding, projectFundingLinks } from '../staff-fragment.ts';
import {
  applicationForm,
  applicationSummary,
  applicationValues,
  applicationsTable,
  documentsSection,
  planBody,
  projectFundingBody,
  type ApplicationValues,
} from '../views/funding.ts';
import { formValues, one } from './form.ts';
import { receiveDocument } from './documents.ts';

function send(reply: FastifyReply, request: FastifyRequest, title: string, body: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(request.ctx, { title, path: request.url, body }).value);
}

function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

function staffOf(request: FastifyRequest) {
  requireRoles(request, STAFF_ROLES);
  return principalOf(request.ctx);
}

const saved = (request: FastifyRequest, t: (k: string) => string) =>
  one(formValues(request.query), 'notice') === 'saved' ? html`<p class="notice" role="status">${t('roadmap.funding.application_saved')}</p>` : html``;

export function registerFundingPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;

  app.get('/:tenant/admin/feuille-de-route/financements', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const { rows, budget } = await db.transaction(p.tenantId, async (tx) => {
      const projects = await listProjects(tx, { publishedOnly: false });
      return { rows: await listApplications(tx), budget: projects.reduce((s, x) => s + x.budget_investment + x.budget_operation, 0) };
    });
    const t = request.ctx.t;
    const body = html`<h1>${t('roadmap.funding.plan.title')}</h1>
${planBody(request.ctx, fundingPlan(rows), budget)}
<h2>${t('roadmap.funding.applications')}</h2>
${applicationsTable(request.ctx, { rows, editBase: `/${tenant.slug}/admin/feuille-de-route/candidatures`, caption: t('roadmap.funding.applications') })}
<p><a href="/${tenant.slug}/feuille-de-route/financements">${t('roadmap.funding.programmes')}</a></p>`;
    return send(reply, request, t('roadmap.funding.plan.title'), body);
  });

  const projectPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>, values?: ApplicationValues) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const ref = one(formValues(request.params), 'project');
    if (!/^[a-z0-9-]{1,80}$/.test(ref)) throw notFound();
    const { project, f } = await db.transaction(p.tenantId, async (tx) => {
      const project = await findProject(tx, ref);
      if (!project) throw notFound();
      return { project, f: await loadProjectFunding(tx, tenant, project) };
    });
    const t = request.ctx.t;
    const links = projectFundingLinks(tenant.slug, project.slug, f, canEditRoadmap(p));
    const open = f.matches.filter((m) => !links.applied!.has(m.programme.slug)).map((m) => ({ slug: m.programme.slug, name: m.programme.name }));
    // "Start an application" links here with the programme chosen (…?programme=<slug>#candidature).
    const chosen = one(formValues(request.query), 'programme');
    const initial: ApplicationValues = values ?? (open.some((o) => o.slug === chosen) ? { programme: chosen } : {});
    const body = html`<p><a href="/${tenant.slug}/feuille-de-route/projets/${project.slug}">${project.title}</a>${
      canEditRoadmap(p) ? html` · <a href="/${tenant.slug}/admin/feuille-de-route/projets/${project.slug}">${t('roadmap.funding.staff_project')}</a>` : ''
    }</p>
<h1>${t('roadmap.funding.project_funding', { project: project.title })}</h1>
${saved(request, t)}
${projectFundingBody(request.ctx, f, links)}
${canEditRoadmap(p) && open.length ? applicationForm(request.ctx, { action: links.fundingPage, values: initial, errors, programmes: open, legend: t('roadmap.funding.application_new'), id: 'candidature' }) : ''}`;
    return send(reply, request, t('roadmap.funding.project_funding', { project: project.title }), body, errors ? 422 : 200);
  };

  app.get('/:tenant/admin/feuille-de-route/projets/:project/financements', (request, reply) => projectPage(request, reply));

  app.post('/:tenant/admin/feuille-de-route/projets/:project/financements', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const ref = one(formValues(request.params), 'project');
    const values = formValues(request.body);
    try {
      const { id } = await createApplication(db, p, ref, one(values, 'programme'), values);
      return reply.redirect(`/${tenant.slug}/admin/feuille-de-route/candidatures/${id}?notice=saved`, 303);
    } catch (error) {
      return projectPage(request, reply, errorsOf(error), values);
    }
  });

  const applicationPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: Record<string, string[]>,
    values?: ApplicationValues,
    fileError?: string,
  ) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formValues(request.params), 'id');
    if (!isUuid(id)) throw notFound();
    const { a, documents } = await db.transaction(p.tenantId, async (tx) => {
      const found = await findApplication(tx, id);
      if (!found) throw notFound();
      return { a: found, documents: await listDocuments(tx, id) };
    });
    const t = request.ctx.t;
    const base = `/${tenant.slug}/admin/feuille-de-route/candidatures/${a.id}`;
    const body = html`<p><a href="/${tenant.slug}/admin/feuille-de-route/projets/${a.project_slug}/financements">${t('roadmap.funding.project_funding', { project: a.project_title })}</a></p>
<h1>${t('roadmap.funding.application')} — ${a.programme_name}</h1>
${saved(request, t)}
${applicationSummary(request.ctx, a)}
${canEditRoadmap(p) ? applicationForm(request.ctx, { action: base, values: values ?? applicationValues(a), errors, legend: t('roadmap.funding.application') }) : applicationsTable(request.ctx, { rows: [a], caption: t('roadmap.funding.application') })}
${documentsSection(request.ctx, { base, documents, canEdit: canEditRoadmap(p), error: fileError })}`;
    return send(reply, request, `${t('roadmap.funding.application')} — ${a.programme_name}`, body, errors || fileError ? 422 : 200);
  };

  app.get('/:tenant/admin/feuille-de-route/candidatures/:id', (request, reply) => applicationPage(request, reply));

  app.post('/:tenant/admin/feuille-de-route/candidatures/:id', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formValues(request.params), 'id');
    const values = formValues(request.body);
    try {
      await updateApplication(db, p, id, values);
      return reply.redirect(`/${tenant.slug}/admin/feuille-de-route/candidatures/${id}?notice=saved`, 303);
    } catch (error) {
      return applicationPage(request, reply, errorsOf(error), values);
    }
  });

  app.post('/:tenant/admin/feuille-de-route/candidatures/:id/documents', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const id = one(formValues(request.params), 'id');
    const error = await receiveDocument(deps, request, p, id);
    if (error) return applicationPage(request, reply, undefined, undefined, error);
    return reply.redirect(`/${tenant.slug}/admin/feuille-de-route/candidatures/${id}?notice=saved`, 303);
  });

  app.get('/:tenant/admin/feuille-de-route/candidatures/:id/documents/:doc', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staffOf(request);
    const params = formValues(request.params);
    const id = one(params, 'id');
    const docId = one(params, 'doc');
    if (!isUuid(id) || !isUuid(docId)) throw notFound();
    const found = await db.transaction(p.tenantId, async (tx) => {
      const d = (await listDocuments(tx, id)).find((x) => x.id === docId);
      return d ? { d, blob: await findBlob(tx, d.sha256) } : null;
    });
    if (!found?.blob) throw notFound();
    return sendAttachment(reply, deps, tenant.id, found.blob, found.d.filename);
  });
}

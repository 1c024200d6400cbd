// Staff pages of the roadmap (/<slug>/admin/feuille-de-route), for the collectivité's administrator: the
// same actions as the API (actions/), a form re-shown with its errors and the values typed (422) when a
// field is wrong, a redirect with a notice when it is saved.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { journal } from '../../../core/audit/journal.ts';
import { enqueue } from '../../../core/jobs/queue.ts';
import { principalOf, requireEditor, type Principal } from '../roadmap.policy.ts';
import { listProjects } from '../projects.repository.ts';
import { loadProject } from '../roadmap.load.ts';
import { createProject, editProject } from '../actions/projects.ts';
import { createIndicator, recordValue } from '../actions/indicators.ts';
import { MEASURE_JOB } from '../indicators/measure.ts';
import { publishRoadmapDataset } from '../dataset.ts';
import { staffProjectFunding } from '../funding/staff-fragment.ts';
import type { ProjectBodyT } from '../roadmap.schema.ts';
import { staffListBody, staffProjectBody } from '../views/staff.ts';
import { sendHtml } from './public.ts';

type Form = Record<string, string>;

/** The text values of a parsed form or path (first value of a repeated name); anything else is left out. */
function formOf(value: unknown): Form {
  const out: Form = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

function lines(text: string | undefined): string[][] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 200)
    .map((l) => l.split(/\s+/));
}

/** A project form as the action's body: partners "slug [euros]" and links "kind ref", one per line. */
export function projectBodyOf(f: Form): Partial<ProjectBodyT> {
  return {
    title: f.title ?? '',
    theme: f.theme ?? '',
    stage: f.stage,
    description: f.description,
    start_on: f.start_on,
    end_on: f.end_on,
    budget_investment: f.budget_investment,
    budget_operation: f.budget_operation,
    published: f.published === 'on',
    ...(f.partners !== undefined ? { partners: lines(f.partners).map(([tenant, amount]) => ({ tenant: tenant!, contribution: amount ?? null })) } : {}),
    ...(f.links !== undefined ? { links: lines(f.links).map(([kind, ref]) => ({ kind: kind!, ref: ref ?? '' })) } : {}),
  };
}

function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

function noticeOf(query: unknown): string | null {
  const n = formOf(query).notice;
  return n && /^(created|saved|indicator|value|measured|dataset)$/.test(n) ? n : null;
}

function seeOther(reply: FastifyReply, location: string, notice: string): FastifyReply {
  return reply.redirect(`${location}?notice=${notice}`, 303);
}

function editorOf(request: FastifyRequest): Principal {
  requireRoles(request, 'tenant_admin');
  const p = principalOf(request.ctx);
  requireEditor(p);
  return p;
}

export function registerRoadmapStaffPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: Record<string, string[]>; values?: Form; form?: 'project' | 'indicator' } = {},
  ) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const projects = await db.transaction(p.tenantId, (tx) => listProjects(tx, { publishedOnly: false }));
    const base = `/${tenant.slug}/admin/feuille-de-route`;
    const body = staffListBody(request.ctx, { base, publicHref: `/${tenant.slug}/feuille-de-route`, projects, notice: noticeOf(request.query), ...state });
    return sendHtml(reply, request.ctx, request.ctx.t('roadmap.staff.title'), request.url, body, state.errors ? 422 : 200);
  };

  const projectPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: Record<string, string[]>; values?: Form; form?: 'project' | 'indicator' | 'value' } = {},
  ) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    // The project and its funding (plan, applications, programmes to claim with their reasons) in one transaction.
    const found = await db.transaction(p.tenantId, async (tx) => {
      const d = await loadProject(tx, formOf(request.params).project ?? '', true);
      return d ? { detail: d, funding: await staffProjectFunding(tx, request.ctx, tenant, d.project, { canEdit: true }) } : null;
    });
    if (!found) throw notFound();
    const { detail, funding } = found;
    const body = staffProjectBody(request.ctx, {
      base: `/${tenant.slug}/admin/feuille-de-route`,
      publicHref: `/${tenant.slug}/feuille-de-route/projets/${detail.project.slug}`,
      ...detail,
      funding,
      notice: noticeOf(request.query),
      ...state,
    });
    return sendHtml(reply, request.ctx, detail.project.title, request.url, body, state.errors ? 422 : 200);
  };

  app.get('/:tenant/admin/feuille-de-route', (request, reply) => listPage(request, reply));

  app.post('/:tenant/admin/feuille-de-route/projets', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const form = formOf(request.body);
    try {
      const project = await createProject(db, p, projectBodyOf(form));
      return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route/projets/${project.slug}`, 'created');
    } catch (error) {
      return listPage(request, reply, { errors: errorsOf(error), values: form, form: 'project' });
    }
  });

  app.post('/:tenant/admin/feuille-de-route/indicateurs', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const form = formOf(request.body);
    try {
      await createIndicator(db, p, { name: form.name, unit: form.unit, target: form.target, target_on: form.target_on, source: form.source });
      return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route`, 'indicator');
    } catch (error) {
      return listPage(request, reply, { errors: errorsOf(error), values: form, form: 'indicator' });
    }
  });

  app.get('/:tenant/admin/feuille-de-route/projets/:project', (request, reply) => projectPage(request, reply));

  app.post('/:tenant/admin/feuille-de-route/projets/:project', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const form = formOf(request.body);
    try {
      const project = await editProject(db, p, formOf(request.params).project ?? '', projectBodyOf(form));
      return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route/projets/${project.slug}`, 'saved');
    } catch (error) {
      return projectPage(request, reply, { errors: errorsOf(error), values: form, form: 'project' });
    }
  });

  app.post('/:tenant/admin/feuille-de-route/projets/:project/indicateurs', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const form = formOf(request.body);
    const ref = formOf(request.params).project ?? '';
    try {
      await createIndicator(db, p, { name: form.name, unit: form.unit, target: form.target, target_on: form.target_on, source: form.source, project: ref });
      return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route/projets/${ref}`, 'indicator');
    } catch (error) {
      return projectPage(request, reply, { errors: errorsOf(error), values: form, form: 'indicator' });
    }
  });

  app.post('/:tenant/admin/feuille-de-route/projets/:project/valeurs', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    const form = formOf(request.body);
    const ref = formOf(request.params).project ?? '';
    // The indicator must be one of this project's (the form lists only those); its unit is the value's.
    const detail = await db.transaction(p.tenantId, (tx) => loadProject(tx, ref, true));
    const indicator = detail?.indicators.find((x) => x.indicator.id === form.indicator)?.indicator;
    if (!indicator) throw notFound();
    try {
      await recordValue(db, p, indicator.id, { measured_on: form.measured_on ?? '', value: form.value ?? '', unit: indicator.unit });
      return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route/projets/${ref}`, 'value');
    } catch (error) {
      return projectPage(request, reply, { errors: errorsOf(error), values: form, form: 'value' });
    }
  });

  app.post('/:tenant/admin/feuille-de-route/mesurer', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    // One measurement queued per collectivité at a time (the unique key): pressing the button again waits for it.
    await db.transaction(p.tenantId, async (tx) => {
      await enqueue(tx, MEASURE_JOB, { actor: p.actor }, { uniqueKey: `${MEASURE_JOB}:${p.tenantId}`, maxAttempts: 3 });
      await journal(tx, { actor: p.actor, action: 'roadmap.indicators.measure_requested' });
    });
    return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route`, 'measured');
  });

  app.post('/:tenant/admin/feuille-de-route/jeu-de-donnees', async (request, reply) => {
    const tenant = requireTenant(request);
    const p = editorOf(request);
    await publishRoadmapDataset(deps, { id: tenant.id, name: tenant.name, official_code: tenant.official_code ?? null }, p.actor);
    return seeOther(reply, `/${tenant.slug}/admin/feuille-de-route`, 'dataset');
  });
}

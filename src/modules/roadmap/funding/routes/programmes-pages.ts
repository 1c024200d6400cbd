// Pages of funding programmes: /<slug>/feuille-de-route/financements (search, for everyone), one programme,
// its change trail (…/<programme>/historique: host operators, and the collectivité's staff without names),
// and the host operator's forms (…/nouveau, …/<programme>/modifier). Programmes are the installation's: the
// collectivité in the path only frames the page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles, requireSignedIn } from '../../../../core/auth/require.ts';
import { grants, STAFF_ROLES } from '../../../../core/base/roles.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { forbidden, HttpError, notFound } from '../../../../core/base/errors.ts';
import { html } from '../../../../core/views/html.ts';
import { page } from '../../../../core/views/layout.ts';
import { findProgramme, listProgrammeChanges, searchProgrammes } from '../programmes.repository.ts';
import { createProgramme, updateProgramme, type HostPrincipal } from '../actions/programmes.ts';
import { searchOf, type SearchQuery } from '../programme-search.ts';
import { PROGRAMME_FIELDS, type ProgrammeInput } from '../programme-input.ts';
import { programmeBody, programmeFormBody, programmesListBody, programmeTrailBody, programmeValues, type ProgrammeFormValues } from '../views/programmes.ts';
import { PER_PAGE } from './programmes-api.ts';
import { formValues, one } from './form.ts';

function send(reply: FastifyReply, request: FastifyRequest, title: string, body: ReturnType<typeof html>, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(request.ctx, { title, path: request.url, body }).value);
}

function hostOf(request: FastifyRequest): HostPrincipal {
  const person = requireSignedIn(request);
  if (!person.is_host_operator) throw forbidden(request.ctx.t('roadmap.funding.error.host_only'));
  return { actor: `person:${person.id}`, isHostOperator: true, t: request.ctx.t };
}

/** The form as the action's input: every field of the programme (audiences and themes are repeated names). */
function inputOf(form: ProgrammeFormValues): ProgrammeInput {
  return Object.fromEntries(PROGRAMME_FIELDS.map((k) => [k, k === 'audiences' || k === 'themes' ? (form[k] ?? []) : one(form, k)]));
}

function errorsOf(error: unknown): Record<string, string[]> {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Record<string, string[]> }).errors;
  throw error;
}

export function registerProgrammePages(app: FastifyInstance, deps: AppDeps): void {
  const baseOf = (request: FastifyRequest) => `/${requireTenant(request).slug}/feuille-de-route/financements`;

  app.get('/:tenant/feuille-de-route/financements', async (request, reply) => {
    const query = formValues(request.query) as SearchQuery;
    const { search, page: n } = searchOf(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), PER_PAGE);
    const { rows, total } = await deps.db.transaction(null, (tx) => searchProgrammes(tx, search));
    const body = programmesListBody(request.ctx, {
      base: baseOf(request),
      rows,
      total,
      page: n,
      perPage: PER_PAGE,
      query: { q: search.q, theme: search.theme, audience: search.audience, nature: search.nature, open: search.openOn ? '1' : undefined },
      canEdit: request.ctx.person?.is_host_operator ?? false,
    });
    return send(reply, request, request.ctx.t('roadmap.funding.programmes'), body);
  });

  const formPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { action: string; title: string; values: ProgrammeFormValues; errors?: Record<string, string[]> },
  ) => send(reply, request, o.title, programmeFormBody(request.ctx, o), o.errors ? 422 : 200);

  app.get('/:tenant/feuille-de-route/financements/nouveau', async (request, reply) => {
    hostOf(request);
    return formPage(request, reply, { action: `${baseOf(request)}/nouveau`, title: request.ctx.t('roadmap.funding.new_programme'), values: {} });
  });

  app.post('/:tenant/feuille-de-route/financements/nouveau', async (request, reply) => {
    const p = hostOf(request);
    const values = formValues(request.body);
    try {
      const created = await createProgramme(deps.db, p, inputOf(values));
      return reply.redirect(`${baseOf(request)}/${created.slug}?notice=saved`, 303);
    } catch (error) {
      return formPage(request, reply, {
        action: `${baseOf(request)}/nouveau`,
        title: request.ctx.t('roadmap.funding.new_programme'),
        values,
        errors: errorsOf(error),
      });
    }
  });

  const programmeOf = async (request: FastifyRequest) => {
    const slug = one(formValues(request.params), 'programme');
    const row = /^[a-z0-9-]{1,80}$/.test(slug) ? await deps.db.transaction(null, (tx) => findProgramme(tx, slug)) : null;
    if (!row) throw notFound();
    return row;
  };

  app.get('/:tenant/feuille-de-route/financements/:programme', async (request, reply) => {
    const p = await programmeOf(request);
    const saved = one(formValues(request.query), 'notice') === 'saved';
    const notice = saved ? html`<p class="notice" role="status">${request.ctx.t('roadmap.funding.saved')}</p>` : html``;
    return send(
      reply,
      request,
      p.name,
      programmeBody(request.ctx, {
        base: baseOf(request),
        p,
        canEdit: request.ctx.person?.is_host_operator ?? false,
        notice,
        trailHref:
          (request.ctx.person?.is_host_operator ?? false) || grants(request.ctx.roles, STAFF_ROLES) ? `${baseOf(request)}/${p.slug}/historique` : undefined,
      }),
    );
  });

  // The programme's change trail. The host operators read who made each change; a collectivité's staff, at
  // their collectivité's address, read the same facts without the person (the host team's names are not
  // theirs to read). Anyone else: sign in, or 403.
  app.get('/:tenant/feuille-de-route/financements/:programme/historique', async (request, reply) => {
    const host = request.ctx.person?.is_host_operator ?? false;
    if (!host) requireRoles(request, STAFF_ROLES);
    const p = await programmeOf(request);
    const rows = await deps.db.transaction(null, (tx) => listProgrammeChanges(tx, p.id));
    let who: ((actor: string) => string) | undefined;
    if (host) {
      const ids = [...new Set(rows.map((r) => /^person:(.+)$/.exec(r.actor)?.[1]).filter((id): id is string => !!id && isUuid(id)))];
      const people = ids.length
        ? await deps.db.transaction(null, (tx) =>
            tx.query<{ id: string; display_name: string; email: string }>('select id, display_name, email from people where id = any($1::uuid[])', [ids]),
          )
        : [];
      const names = new Map(people.map((x) => [`person:${x.id}`, x.display_name ? `${x.display_name} <${x.email}>` : x.email]));
      const t = request.ctx.t;
      who = (actor) =>
        names.get(actor) ??
        (actor.startsWith('token:')
          ? t('roadmap.funding.trail.token')
          : actor.startsWith('person:')
            ? t('roadmap.funding.trail.host')
            : t('roadmap.funding.trail.system'));
    }
    return send(
      reply,
      request,
      request.ctx.t('roadmap.funding.trail.title', { programme: p.name }),
      programmeTrailBody(request.ctx, { base: baseOf(request), p, rows, who }),
    );
  });

  app.get('/:tenant/feuille-de-route/financements/:programme/modifier', async (request, reply) => {
    hostOf(request);
    const p = await programmeOf(request);
    return formPage(request, reply, {
      action: `${baseOf(request)}/${p.slug}/modifier`,
      title: request.ctx.t('roadmap.funding.edit_programme'),
      values: programmeValues(p),
    });
  });

  app.post('/:tenant/feuille-de-route/financements/:programme/modifier', async (request, reply) => {
    const host = hostOf(request);
    const p = await programmeOf(request);
    const values = formValues(request.body);
    try {
      await updateProgramme(deps.db, host, p.slug, inputOf(values));
      return reply.redirect(`${baseOf(request)}/${p.slug}?notice=saved`, 303);
    } catch (error) {
      return formPage(request, reply, {
        action: `${baseOf(request)}/${p.slug}/modifier`,
        title: request.ctx.t('roadmap.funding.edit_programme'),
        values,
        errors: errorsOf(error),
      });
    }
  });
}

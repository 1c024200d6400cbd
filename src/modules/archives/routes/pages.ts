// Staff pages: /<slug>/admin/archives (search; staff who are not archivists see communicable units only),
// /verser (deposit), /unites/<id> (a unit; holds), /regles (library), /eliminations (proposal, visa,
// execution, certificate).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { STAFF_ROLES } from '../../../core/base/roles.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { findBlob } from '../../../core/files/upload.ts';
import { sendAttachment } from '../../../core/files/send.ts';
import { listHostedTenants } from '../../../core/tenancy/tenants.ts';
import { page } from '../../../core/views/layout.ts';
import type { Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { isArchivist, principalOf, today, type Principal } from '../archives.policy.ts';
import { findObject, listChildren, listLibrary, listObjects, searchUnits, unitHistory } from '../archives.repository.ts';
import { loadUnitView } from '../actions/unit-view.ts';
import { addRule, liftHold, placeHold, shareRule } from '../actions/library.ts';
import { approveElimination, cancelElimination, eliminationCandidates, executeElimination, proposeElimination } from '../actions/eliminate.ts';
import { depositBody, eliminationBody, eliminationsBody, rulesBody, searchBody, unitBody, type EliminationRow, type Errors } from '../views/pages.ts';
import { receiveUpload } from './upload.ts';
import { demoUnitId } from './demo.ts';

function send(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

function seeOther(reply: FastifyReply, location: string, notice?: string): FastifyReply {
  return reply.redirect(notice ? `${location}?notice=${notice}` : location, 303);
}

function text(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v.slice(0, 100_000);
  return out;
}

function list(value: unknown, name: string): string[] {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** The notice of `?notice=<key>` when it is one of ours (never free text from the address). */
function notice(ctx: RequestContext, query: unknown): string | null {
  const key = text(query).notice;
  if (!key || !/^[a-z_]{1,40}$/.test(key)) return null;
  const value = ctx.t(`archives.notice.${key}`);
  return value === `archives.notice.${key}` ? null : value;
}

function errorsOf(error: unknown): Errors {
  if (error instanceof HttpError && (error.statusCode === 422 || error.statusCode === 409)) {
    return error.statusCode === 422 ? (error.details as { errors: Record<string, string[]> }).errors : { state: [error.message] };
  }
  throw error;
}

export function registerArchivesPages(app: FastifyInstance, deps: AppDeps): void {
  const staff = (request: FastifyRequest): Principal => {
    requireRoles(request, STAFF_ROLES);
    return principalOf(request.ctx);
  };
  const archivist = (request: FastifyRequest): Principal => {
    requireRoles(request, 'archivist');
    return principalOf(request.ctx);
  };
  const baseOf = (request: FastifyRequest) => `/${requireTenant(request).slug}/admin/archives`;

  app.get('/:tenant/admin/archives', async (request, reply) => {
    const p = staff(request);
    const q = text(request.query);
    const page = /^\d{1,5}$/.test(q.page ?? '') && Number(q.page) > 0 ? Number(q.page) : 1;
    const date = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
    const perPage = 50;
    const { rows, total } = await deps.db.transaction(p.tenantId, (tx) =>
      searchUnits(tx, {
        q: (q.q ?? '').slice(0, 500).trim() || undefined,
        rule: (q.rule ?? '').slice(0, 64).trim() || undefined,
        from: date(q.from),
        to: date(q.to),
        communicableOn: isArchivist(p) ? undefined : today(),
        limit: perPage,
        offset: (page - 1) * perPage,
      }),
    );
    const query = Object.fromEntries(Object.entries(q).filter(([k]) => ['q', 'rule', 'from', 'to'].includes(k)));
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.title'),
      request.url,
      searchBody(request.ctx, {
        base: baseOf(request),
        archivist: isArchivist(p),
        rows,
        total,
        page,
        perPage,
        query,
        notice: notice(request.ctx, request.query),
      }),
    );
  });

  const depositPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors, values: Record<string, string> = {}) => {
    const p = archivist(request);
    const library = await deps.db.transaction(p.tenantId, (tx) => listLibrary(tx));
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.deposit.title'),
      request.url,
      depositBody(request.ctx, { base: baseOf(request), library, errors, values }),
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/archives/verser', (request, reply) => depositPage(request, reply));
  app.post('/:tenant/admin/archives/verser', async (request, reply) => {
    const p = archivist(request);
    try {
      const { result } = await receiveUpload(deps, request, p);
      return seeOther(reply, `${baseOf(request)}/unites/${result.units[0]!.id}`, 'deposited');
    } catch (error) {
      return depositPage(request, reply, errorsOf(error));
    }
  });

  const unitPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors, demo = false) => {
    const p = staff(request);
    const id = demo ? await demoUnitId(deps.db, p.tenantId) : (request.params as { id: string }).id;
    const view = await loadUnitView(deps.db, p, id);
    if (!view) throw notFound();
    const { children, objects, history, library } = await deps.db.transaction(p.tenantId, async (tx) => ({
      children: await listChildren(tx, view.unit.id),
      // 100 objects at most on the page (about 10 elements each: the staff budget is 1,500).
      objects: await listObjects(tx, view.unit.id, 100),
      history: isArchivist(p) ? await unitHistory(tx, view.unit) : [],
      library: await listLibrary(tx),
    }));
    return send(
      reply,
      request.ctx,
      view.unit.title,
      request.url,
      unitBody(request.ctx, {
        base: baseOf(request),
        archivist: isArchivist(p),
        view,
        children,
        objects,
        history,
        library,
        notice: notice(request.ctx, request.query),
        errors,
      }),
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/archives/unites/:id', (request, reply) => unitPage(request, reply));
  app.get('/:tenant/admin/archives/demonstration', (request, reply) => unitPage(request, reply, undefined, true));

  app.get('/:tenant/admin/archives/unites/:id/objets/:object', async (request, reply) => {
    const p = staff(request);
    const { id, object } = request.params as { id: string; object: string };
    const view = await loadUnitView(deps.db, p, id);
    if (!view) throw notFound();
    const found = await deps.db.transaction(p.tenantId, async (tx) => {
      const o = await findObject(tx, view.unit.id, object);
      return o && !o.eliminated_at ? { o, blob: await findBlob(tx, o.sha256) } : null;
    });
    if (!found?.blob) throw notFound();
    return sendAttachment(reply, deps, p.tenantId, found.blob, found.o.filename);
  });

  app.post('/:tenant/admin/archives/unites/:id/gel', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    const form = text(request.body);
    try {
      await placeHold(deps.db, p, id, form.rule ?? '', form.note ?? '');
    } catch (error) {
      return unitPage(request, reply, errorsOf(error));
    }
    return seeOther(reply, `${baseOf(request)}/unites/${id}`, 'held');
  });
  app.post('/:tenant/admin/archives/unites/:id/gel/lever', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    await liftHold(deps.db, p, id, text(request.body).rule ?? '');
    return seeOther(reply, `${baseOf(request)}/unites/${id}`, 'hold_lifted');
  });

  const rulesPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors, values: Record<string, string> = {}) => {
    const p = archivist(request);
    const { library, hosted } = await deps.db.transaction(p.tenantId, async (tx) => ({
      library: await listLibrary(tx),
      hosted: await listHostedTenants(tx, p.tenantId),
    }));
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.rules.title'),
      request.url,
      rulesBody(request.ctx, { base: baseOf(request), library, isHost: hosted.length > 0, errors, values, notice: notice(request.ctx, request.query) }),
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/archives/regles', (request, reply) => rulesPage(request, reply));
  app.post('/:tenant/admin/archives/regles', async (request, reply) => {
    const p = archivist(request);
    const f = text(request.body);
    try {
      await addRule(deps.db, p, {
        code: f.code ?? '',
        category: f.category ?? '',
        label: f.label ?? '',
        duration_years: f.duration_years ?? '',
        final_action: f.final_action ?? '',
        legal_ground: f.legal_ground ?? '',
      });
    } catch (error) {
      return rulesPage(request, reply, errorsOf(error), f);
    }
    return seeOther(reply, `${baseOf(request)}/regles`, 'rule_added');
  });
  app.post('/:tenant/admin/archives/regles/partage', async (request, reply) => {
    const p = archivist(request);
    const f = text(request.body);
    await shareRule(deps.db, p, f.code ?? '', f.shared === 'true');
    return seeOther(reply, `${baseOf(request)}/regles`, f.shared === 'true' ? 'rule_shared' : 'rule_unshared');
  });

  const eliminationsPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors) => {
    const p = archivist(request);
    const candidates = await eliminationCandidates(deps.db, p);
    const eliminations = await deps.db.transaction(p.tenantId, (tx) =>
      tx.query<EliminationRow>(
        `select e.id, e.state, e.created_at, e.visa_reference, e.executed_at, (select count(*)::int from archives_elimination_units eu where eu.elimination_id = e.id) as units
         from archives_eliminations e order by e.created_at desc limit 100`,
      ),
    );
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.elimination.title'),
      request.url,
      eliminationsBody(request.ctx, { base: baseOf(request), candidates, eliminations, errors, notice: notice(request.ctx, request.query) }),
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/archives/eliminations', (request, reply) => eliminationsPage(request, reply));
  app.post('/:tenant/admin/archives/eliminations', async (request, reply) => {
    const p = archivist(request);
    try {
      const { id } = await proposeElimination(deps.db, p, list(request.body, 'units'));
      return seeOther(reply, `${baseOf(request)}/eliminations/${id}`, 'proposed');
    } catch (error) {
      return eliminationsPage(request, reply, errorsOf(error));
    }
  });

  const eliminationPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Errors) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound();
    const data = await deps.db.transaction(p.tenantId, async (tx) => {
      const e = await tx.one<Parameters<typeof eliminationBody>[1]['e']>(
        `select e.id, e.state, e.created_at, e.visa_reference, e.visa_authority, e.visa_signatory, to_char(e.visa_date, 'YYYY-MM-DD') as visa_date, e.executed_at,
                e.certificate_sha256, (select count(*)::int from archives_elimination_units eu where eu.elimination_id = e.id) as units
         from archives_eliminations e where e.id = $1`,
        [id],
      );
      if (!e) return null;
      const units = await tx.query<{ id: string; title: string }>(
        'select u.id, u.title from archives_elimination_units eu join archives_units u on u.id = eu.unit_id where eu.elimination_id = $1 order by u.title',
        [id],
      );
      return { e, units };
    });
    if (!data) throw notFound();
    return send(
      reply,
      request.ctx,
      request.ctx.t('archives.elimination.one'),
      request.url,
      eliminationBody(request.ctx, { base: baseOf(request), ...data, errors, notice: notice(request.ctx, request.query) }),
      errors ? 422 : 200,
    );
  };
  app.get('/:tenant/admin/archives/eliminations/:id', (request, reply) => eliminationPage(request, reply));
  app.post('/:tenant/admin/archives/eliminations/:id/visa', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    const f = text(request.body);
    try {
      await approveElimination(deps.db, p, id, {
        authority: f.visa_authority ?? '',
        signatory: f.visa_signatory ?? '',
        date: f.visa_date ?? '',
        reference: f.visa_reference ?? '',
      });
    } catch (error) {
      return eliminationPage(request, reply, errorsOf(error));
    }
    return seeOther(reply, `${baseOf(request)}/eliminations/${id}`, 'approved');
  });
  app.post('/:tenant/admin/archives/eliminations/:id/executer', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    try {
      await executeElimination(deps, p, id);
    } catch (error) {
      return eliminationPage(request, reply, errorsOf(error));
    }
    return seeOther(reply, `${baseOf(request)}/eliminations/${id}`, 'executed');
  });
  app.post('/:tenant/admin/archives/eliminations/:id/annuler', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    await cancelElimination(deps.db, p, id);
    return seeOther(reply, `${baseOf(request)}/eliminations/${id}`, 'cancelled');
  });
  app.get('/:tenant/admin/archives/eliminations/:id/certificat.pdf', async (request, reply) => {
    const p = archivist(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound();
    const blob = await deps.db.transaction(p.tenantId, async (tx) => {
      const e = await tx.one<{ certificate_sha256: string | null }>('select certificate_sha256 from archives_eliminations where id = $1', [id]);
      return e?.certificate_sha256 ? findBlob(tx, e.certificate_sha256) : null;
    });
    if (!blob) throw notFound();
    return sendAttachment(reply, deps, p.tenantId, blob, `certificat-elimination-${id}.pdf`);
  });
}

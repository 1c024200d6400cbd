// The network secretariat's pages, at the NETWORK's slug, for its administrator only (requireNetworkAdmin:
// a member's administrator, another network's staff and a citizen get 403; anonymous visitors are sent to
// sign in): /<network>/reseau/gestion and below —
//   instances/nouvelle, instances/<slug> (edit, seats, meetings, remove), instances/<slug>/sieges/{nouveau,<id>,
//   <id>/supprimer}, instances/<slug>/reunions/{nouvelle,<id>}, contributions/{nouvelle,<slug>,<slug>/versions,
//   <slug>/adoption}, evenements/{nouveau,<slug>}, programmes/{nouveau,<slug>}.
// Every read and write runs in the network's transaction (row-level security: another network's ids are not
// found, 404). Fields are checked first (staff-fields.ts): a refused field comes back beside its input (422),
// nothing written; each change is journaled in its own transaction (actions.ts, staff-actions.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import type { Tx } from '../../../core/db/database.ts';
import { page } from '../../../core/views/layout.ts';
import type { Html } from '../../../core/views/html.ts';
import { requireNetworkAdmin } from './network.policy.ts';
import * as repo from './network.repository.ts';
import { addMeeting, addSeat, addVersion, adoptContribution, createBody, createContribution, createProgramme } from './actions.ts';
import {
  createEventLocal,
  removeBody,
  removeSeat,
  updateBody,
  updateContribution,
  updateEvent,
  updateMeeting,
  updateProgramme,
  updateSeat,
} from './staff-actions.ts';
import {
  checkAdoption,
  checkBody,
  checkContribution,
  checkEvent,
  checkMeeting,
  checkProgramme,
  checkSeat,
  formFields,
  sessionField,
  type Errors,
  type Values,
} from './staff-fields.ts';
import { bodyForm, bodyPage, contributionForm, contributionPage, eventForm, indexBody, meetingForm, programmeForm, seatForm } from './staff-views.ts';
import { receiveDocument } from './upload.ts';

function send(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

/** Field errors of a refused action (422), or the error itself. */
function errorsOf(error: unknown): Errors {
  if (error instanceof HttpError && error.statusCode === 422) return (error.details as { errors: Errors }).errors;
  throw error;
}

const param = (request: FastifyRequest, name: string): string => formFields(request.params)[name] ?? '';
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const here = (request: FastifyRequest): string => request.url.split('?')[0]!;

export function registerNetworkStaffForms(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.db;
  /** The network's administrator, its base path, and an actor for the actions. */
  const staff = (request: FastifyRequest) => {
    const admin = requireNetworkAdmin(request);
    const base = `/${admin.network.slug}/reseau/gestion`;
    return { ...admin, base, home: `/${admin.network.slug}/reseau`, a: { networkId: admin.network.id, actor: admin.actor, t: request.ctx.t } };
  };
  const inNet = <T>(s: ReturnType<typeof staff>, fn: (tx: Tx) => Promise<T>) => db.transaction(s.network.id, fn);
  const saved = (request: FastifyRequest) => formFields(request.query).fait === '1';
  const t = (request: FastifyRequest) => request.ctx.t;

  // ---- the index ------------------------------------------------------------------------------------------
  app.get('/:tenant/reseau/gestion', async (request, reply) => {
    const s = staff(request);
    const d = await inNet(s, async (tx) => ({
      bodies: await repo.listBodies(tx),
      contributions: await repo.listContributions(tx),
      events: await repo.listEvents(tx),
      programmes: await repo.listProgrammes(tx),
    }));
    return send(reply, request.ctx, t(request)('roadmap.network.staff.title'), request.url, indexBody(request.ctx, s.base, d, saved(request)));
  });

  // ---- bodies ---------------------------------------------------------------------------------------------
  app.get('/:tenant/reseau/gestion/instances/nouvelle', (request, reply) => {
    const s = staff(request);
    const title = t(request)('roadmap.network.staff.body_new');
    return send(
      reply,
      request.ctx,
      title,
      request.url,
      bodyForm(request.ctx, { base: s.base, action: here(request), creating: true, values: { kind: 'commission' }, title }),
    );
  });
  app.post('/:tenant/reseau/gestion/instances/nouvelle', async (request, reply) => {
    const s = staff(request);
    const { c, input } = checkBody(t(request), formFields(request.body), true);
    let errors = c.errors;
    if (c.ok) {
      try {
        await createBody(db, s.a, input);
        return reply.redirect(`${s.base}/instances/${input.slug}?fait=1`, 303);
      } catch (error) {
        errors = errorsOf(error);
      }
    }
    const title = t(request)('roadmap.network.staff.body_new');
    return send(
      reply,
      request.ctx,
      title,
      request.url,
      bodyForm(request.ctx, { base: s.base, action: here(request), creating: true, values: c.values, errors, title }),
      422,
    );
  });

  const bodyOf = async (request: FastifyRequest, s: ReturnType<typeof staff>) => {
    const slug = param(request, 'slug');
    const body = SLUG.test(slug) ? await inNet(s, (tx) => repo.findBody(tx, slug)) : null;
    if (!body) throw notFound();
    return body;
  };
  const showBody = async (request: FastifyRequest, reply: FastifyReply, o: { values?: Values; errors?: Errors; removeError?: string } = {}) => {
    const s = staff(request);
    const body = await bodyOf(request, s);
    const d = await inNet(s, async (tx) => ({ seats: await repo.listSeats(tx, body.id), meetings: await repo.listMeetings(tx, body.id) }));
    return send(
      reply,
      request.ctx,
      body.name,
      request.url,
      bodyPage(request.ctx, {
        base: s.base,
        body,
        ...d,
        values: o.values ?? { kind: body.kind, name: body.name, description: body.description },
        errors: o.errors,
        removeError: o.removeError,
        saved: saved(request),
        publicHref: `${s.home}/instances/${body.slug}`,
      }),
      o.errors || o.removeError ? 422 : 200,
    );
  };
  app.get('/:tenant/reseau/gestion/instances/:slug', (request, reply) => showBody(request, reply));
  app.post('/:tenant/reseau/gestion/instances/:slug', async (request, reply) => {
    const s = staff(request);
    const body = await bodyOf(request, s);
    const { c, input } = checkBody(t(request), formFields(request.body), false);
    if (!c.ok) return showBody(request, reply, { values: c.values, errors: c.errors });
    await updateBody(db, s.a, body.slug, input);
    return reply.redirect(`${s.base}/instances/${body.slug}?fait=1`, 303);
  });
  app.post('/:tenant/reseau/gestion/instances/:slug/supprimer', async (request, reply) => {
    const s = staff(request);
    const body = await bodyOf(request, s);
    if (formFields(request.body).confirm !== 'yes') return showBody(request, reply, { removeError: t(request)('roadmap.network.staff.confirm_required') });
    try {
      await removeBody(db, s.a, body.slug);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409) return showBody(request, reply, { removeError: error.message });
      throw error;
    }
    return reply.redirect(`${s.base}?fait=1`, 303);
  });

  // ---- seats ----------------------------------------------------------------------------------------------
  const seatContext = async (request: FastifyRequest) => {
    const s = staff(request);
    const body = await bodyOf(request, s);
    const members = await inNet(s, (tx) => repo.listMembers(tx, s.network.id));
    return { s, body, members, bodyHref: `${s.base}/instances/${body.slug}` };
  };
  const seatOf = async (request: FastifyRequest, s: ReturnType<typeof staff>, bodyId: string) => {
    const id = param(request, 'id');
    const seat = isUuid(id) ? await inNet(s, (tx) => repo.findSeat(tx, id)) : null;
    if (!seat || seat.body_id !== bodyId) throw notFound();
    return seat;
  };
  const seatPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    x: Awaited<ReturnType<typeof seatContext>>,
    creating: boolean,
    values: Values,
    errors?: Errors,
  ) =>
    send(
      reply,
      request.ctx,
      t(request)(creating ? 'roadmap.network.staff.seat_new' : 'roadmap.network.staff.seat_edit'),
      request.url,
      seatForm(request.ctx, { bodyHref: x.bodyHref, body: x.body, action: here(request), members: x.members, values, errors, creating }),
      errors ? 422 : 200,
    );
  app.get('/:tenant/reseau/gestion/instances/:slug/sieges/nouveau', async (request, reply) => seatPage(request, reply, await seatContext(request), true, {}));
  app.post('/:tenant/reseau/gestion/instances/:slug/sieges/nouveau', async (request, reply) => {
    const x = await seatContext(request);
    const { c, input } = checkSeat(
      t(request),
      formFields(request.body),
      x.members.map((m) => m.slug),
    );
    if (!c.ok) return seatPage(request, reply, x, true, c.values, c.errors);
    try {
      await addSeat(db, x.s.a, x.body.slug, input);
    } catch (error) {
      return seatPage(request, reply, x, true, c.values, errorsOf(error));
    }
    return reply.redirect(`${x.bodyHref}?fait=1`, 303);
  });
  app.get('/:tenant/reseau/gestion/instances/:slug/sieges/:id', async (request, reply) => {
    const x = await seatContext(request);
    const seat = await seatOf(request, x.s, x.body.id);
    const values = {
      member: seat.member_slug,
      seat_role: seat.seat_role,
      holder_name: seat.holder_name,
      holder_title: seat.holder_title,
      since: seat.since ?? '',
      until: seat.until ?? '',
    };
    return seatPage(request, reply, x, false, values);
  });
  app.post('/:tenant/reseau/gestion/instances/:slug/sieges/:id', async (request, reply) => {
    const x = await seatContext(request);
    const seat = await seatOf(request, x.s, x.body.id);
    const { c, input } = checkSeat(
      t(request),
      formFields(request.body),
      x.members.map((m) => m.slug),
    );
    if (!c.ok) return seatPage(request, reply, x, false, c.values, c.errors);
    try {
      await updateSeat(db, x.s.a, x.body.slug, seat.id, input);
    } catch (error) {
      return seatPage(request, reply, x, false, c.values, errorsOf(error));
    }
    return reply.redirect(`${x.bodyHref}?fait=1`, 303);
  });
  app.post('/:tenant/reseau/gestion/instances/:slug/sieges/:id/supprimer', async (request, reply) => {
    const x = await seatContext(request);
    const seat = await seatOf(request, x.s, x.body.id);
    await removeSeat(db, x.s.a, x.body.slug, seat.id);
    return reply.redirect(`${x.bodyHref}?fait=1`, 303);
  });

  // ---- meetings -------------------------------------------------------------------------------------------
  const meetingPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    x: Awaited<ReturnType<typeof seatContext>>,
    o: { creating: boolean; values: Values; errors?: Errors; minutesHref?: string },
  ) =>
    send(
      reply,
      request.ctx,
      t(request)(o.creating ? 'roadmap.network.staff.meeting_new' : 'roadmap.network.staff.meeting_edit'),
      request.url,
      meetingForm(request.ctx, { bodyHref: x.bodyHref, body: x.body, action: here(request), ...o }),
      o.errors ? 422 : 200,
    );
  const meetingOf = async (request: FastifyRequest, s: ReturnType<typeof staff>, bodyId: string) => {
    const id = param(request, 'id');
    const meeting = isUuid(id) ? await inNet(s, (tx) => repo.findMeeting(tx, id)) : null;
    if (!meeting || meeting.body_id !== bodyId) throw notFound();
    return meeting;
  };
  app.get('/:tenant/reseau/gestion/instances/:slug/reunions/nouvelle', async (request, reply) =>
    meetingPage(request, reply, await seatContext(request), { creating: true, values: {} }),
  );
  app.post('/:tenant/reseau/gestion/instances/:slug/reunions/nouvelle', async (request, reply) => {
    const x = await seatContext(request);
    const { c, input } = checkMeeting(t(request), formFields(request.body));
    if (!c.ok) return meetingPage(request, reply, x, { creating: true, values: c.values, errors: c.errors });
    await addMeeting(db, x.s.a, x.body.slug, input);
    return reply.redirect(`${x.bodyHref}?fait=1`, 303);
  });
  app.get('/:tenant/reseau/gestion/instances/:slug/reunions/:id', async (request, reply) => {
    const x = await seatContext(request);
    const m = await meetingOf(request, x.s, x.body.id);
    return meetingPage(request, reply, x, {
      creating: false,
      values: { held_on: m.held_on, title: m.title, place: m.place, agenda: m.agenda.join('\n') },
      minutesHref: `${x.s.home}/reunions/${m.id}/compte-rendu`,
    });
  });
  app.post('/:tenant/reseau/gestion/instances/:slug/reunions/:id', async (request, reply) => {
    const x = await seatContext(request);
    const m = await meetingOf(request, x.s, x.body.id);
    const { c, input } = checkMeeting(t(request), formFields(request.body));
    if (!c.ok) return meetingPage(request, reply, x, { creating: false, values: c.values, errors: c.errors });
    await updateMeeting(db, x.s.a, x.body.slug, m.id, input);
    return reply.redirect(`${x.bodyHref}?fait=1`, 303);
  });

  // ---- contributions --------------------------------------------------------------------------------------
  app.get('/:tenant/reseau/gestion/contributions/nouvelle', (request, reply) => {
    const s = staff(request);
    const title = t(request)('roadmap.network.staff.contribution_new');
    return send(
      reply,
      request.ctx,
      title,
      request.url,
      contributionForm(request.ctx, { base: s.base, action: here(request), creating: true, values: { visibility: 'members' }, title }),
    );
  });
  app.post('/:tenant/reseau/gestion/contributions/nouvelle', async (request, reply) => {
    const s = staff(request);
    const { c, input } = checkContribution(t(request), formFields(request.body), true);
    let errors = c.errors;
    if (c.ok) {
      try {
        await createContribution(db, s.a, input);
        return reply.redirect(`${s.base}/contributions/${input.slug}?fait=1`, 303);
      } catch (error) {
        errors = errorsOf(error);
      }
    }
    const title = t(request)('roadmap.network.staff.contribution_new');
    return send(
      reply,
      request.ctx,
      title,
      request.url,
      contributionForm(request.ctx, { base: s.base, action: here(request), creating: true, values: c.values, errors, title }),
      422,
    );
  });
  const showContribution = async (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { values?: Values; errors?: Errors; fileError?: string; adoption?: Values; adoptionErrors?: Errors } = {},
  ) => {
    const s = staff(request);
    const slug = param(request, 'slug');
    const d = SLUG.test(slug)
      ? await inNet(s, async (tx) => {
          const c = await repo.findContribution(tx, { slug });
          return c && { c, versions: await repo.listVersions(tx, c.id), bodies: await repo.listBodies(tx) };
        })
      : null;
    if (!d) throw notFound();
    const { c } = d;
    return send(
      reply,
      request.ctx,
      c.title,
      `${s.base}/contributions/${c.slug}`,
      contributionPage(request.ctx, {
        base: s.base,
        ...d,
        values: o.values ?? { title: c.title, summary: c.summary, body: c.body, topics: c.topics.join('\n'), visibility: c.visibility },
        errors: o.errors,
        fileError: o.fileError,
        adoption: o.adoption ?? { visibility: c.visibility },
        adoptionErrors: o.adoptionErrors,
        saved: saved(request),
        publicHref: `${s.home}/contributions/${c.slug}`,
      }),
      o.errors || o.fileError || o.adoptionErrors ? 422 : 200,
    );
  };
  app.get('/:tenant/reseau/gestion/contributions/:slug', (request, reply) => showContribution(request, reply));
  app.post('/:tenant/reseau/gestion/contributions/:slug', async (request, reply) => {
    const s = staff(request);
    const slug = param(request, 'slug');
    const { c, input } = checkContribution(t(request), formFields(request.body), false);
    if (!c.ok) return showContribution(request, reply, { values: c.values, errors: c.errors });
    if (!SLUG.test(slug)) throw notFound();
    await updateContribution(db, s.a, slug, input);
    return reply.redirect(`${s.base}/contributions/${slug}?fait=1`, 303);
  });
  app.post('/:tenant/reseau/gestion/contributions/:slug/versions', async (request, reply) => {
    const s = staff(request);
    const slug = param(request, 'slug');
    if (!SLUG.test(slug) || !(await inNet(s, (tx) => repo.findContribution(tx, { slug })))) throw notFound();
    try {
      await receiveDocument(deps, request, s.network.id, (stored, note) => addVersion(db, s.a, slug, stored, note));
    } catch (error) {
      if (error instanceof HttpError && (error.statusCode === 422 || error.statusCode === 415))
        return showContribution(request, reply, { fileError: error.statusCode === 422 ? (errorsOf(error).file ?? []).join(' ') : error.message });
      throw error;
    }
    return reply.redirect(`${s.base}/contributions/${slug}?fait=1`, 303);
  });
  app.post('/:tenant/reseau/gestion/contributions/:slug/adoption', async (request, reply) => {
    const s = staff(request);
    const slug = param(request, 'slug');
    if (!SLUG.test(slug)) throw notFound();
    const bodies = await inNet(s, (tx) => repo.listBodies(tx));
    const { c, input } = checkAdoption(
      t(request),
      formFields(request.body),
      bodies.map((b) => b.slug),
    );
    if (!c.ok) return showContribution(request, reply, { adoption: c.values, adoptionErrors: c.errors });
    try {
      await adoptContribution(db, s.a, slug, input);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409)
        return showContribution(request, reply, { adoption: c.values, adoptionErrors: { body: [error.message] } });
      return showContribution(request, reply, { adoption: c.values, adoptionErrors: errorsOf(error) });
    }
    return reply.redirect(`${s.base}/contributions/${slug}?fait=1`, 303);
  });

  // ---- events ---------------------------------------------------------------------------------------------
  const eventPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { creating: boolean; values: Values; errors?: Errors; title: string; publicHref?: string; saved?: boolean },
  ) => {
    const s = staff(request);
    return send(reply, request.ctx, o.title, request.url, eventForm(request.ctx, { base: s.base, action: here(request), ...o }), o.errors ? 422 : 200);
  };
  app.get('/:tenant/reseau/gestion/evenements/nouveau', (request, reply) => {
    staff(request);
    return eventPage(request, reply, { creating: true, values: { kind: 'forum', online: 'no' }, title: t(request)('roadmap.network.staff.event_new') });
  });
  app.post('/:tenant/reseau/gestion/evenements/nouveau', async (request, reply) => {
    const s = staff(request);
    const title = t(request)('roadmap.network.staff.event_new');
    const { c, input } = checkEvent(t(request), formFields(request.body), true);
    let errors = c.errors;
    if (c.ok) {
      try {
        await createEventLocal(db, s.a, input);
        return reply.redirect(`${s.base}/evenements/${input.slug}?fait=1`, 303);
      } catch (error) {
        errors = errorsOf(error);
      }
    }
    return eventPage(request, reply, { creating: true, values: c.values, errors, title });
  });
  const eventOf = async (request: FastifyRequest, s: ReturnType<typeof staff>) => {
    const slug = param(request, 'slug');
    const d = SLUG.test(slug)
      ? await inNet(s, async (tx) => {
          const event = await repo.findEvent(tx, slug);
          return event && { event, sessions: await repo.listSessionsLocal(tx, event.id) };
        })
      : null;
    if (!d) throw notFound();
    return d;
  };
  app.get('/:tenant/reseau/gestion/evenements/:slug', async (request, reply) => {
    const s = staff(request);
    const { event, sessions } = await eventOf(request, s);
    const values: Values = {
      kind: event.kind,
      title: event.title,
      description: event.description,
      starts_on: event.starts_on,
      ends_on: event.ends_on,
      place: event.place,
      online: event.online ? 'yes' : 'no',
    };
    sessions.forEach((x, i) => {
      values[sessionField(i, 'starts_at')] = x.starts_at;
      values[sessionField(i, 'ends_at')] = x.ends_at;
      values[sessionField(i, 'title')] = x.title;
      values[sessionField(i, 'speakers')] = x.speakers;
    });
    return eventPage(request, reply, { creating: false, values, title: event.title, publicHref: `${s.home}/evenements/${event.slug}`, saved: saved(request) });
  });
  app.post('/:tenant/reseau/gestion/evenements/:slug', async (request, reply) => {
    const s = staff(request);
    const { event } = await eventOf(request, s);
    const { c, input } = checkEvent(t(request), formFields(request.body), false);
    if (!c.ok)
      return eventPage(request, reply, {
        creating: false,
        values: c.values,
        errors: c.errors,
        title: event.title,
        publicHref: `${s.home}/evenements/${event.slug}`,
      });
    await updateEvent(db, s.a, event.slug, input);
    return reply.redirect(`${s.base}/evenements/${event.slug}?fait=1`, 303);
  });

  // ---- programmes -----------------------------------------------------------------------------------------
  app.get('/:tenant/reseau/gestion/programmes/nouveau', (request, reply) => {
    const s = staff(request);
    const title = t(request)('roadmap.network.staff.programme_new');
    return send(reply, request.ctx, title, request.url, programmeForm(request.ctx, { base: s.base, action: here(request), creating: true, values: {}, title }));
  });
  app.post('/:tenant/reseau/gestion/programmes/nouveau', async (request, reply) => {
    const s = staff(request);
    const { c, input } = checkProgramme(t(request), formFields(request.body), true);
    let errors = c.errors;
    if (c.ok) {
      try {
        await createProgramme(db, s.a, input);
        return reply.redirect(`${s.base}/programmes/${input.slug}?fait=1`, 303);
      } catch (error) {
        errors = errorsOf(error);
      }
    }
    const title = t(request)('roadmap.network.staff.programme_new');
    return send(
      reply,
      request.ctx,
      title,
      request.url,
      programmeForm(request.ctx, { base: s.base, action: here(request), creating: true, values: c.values, errors, title }),
      422,
    );
  });
  const programmeOf = async (request: FastifyRequest, s: ReturnType<typeof staff>) => {
    const slug = param(request, 'slug');
    const p = SLUG.test(slug) ? await inNet(s, (tx) => repo.findProgramme(tx, slug)) : null;
    if (!p) throw notFound();
    return p;
  };
  app.get('/:tenant/reseau/gestion/programmes/:slug', async (request, reply) => {
    const s = staff(request);
    const p = await programmeOf(request, s);
    return send(
      reply,
      request.ctx,
      p.name,
      request.url,
      programmeForm(request.ctx, {
        base: s.base,
        action: `${s.base}/programmes/${p.slug}`,
        creating: false,
        values: { name: p.name, description: p.description, link: p.link },
        title: p.name,
        saved: saved(request),
      }),
    );
  });
  app.post('/:tenant/reseau/gestion/programmes/:slug', async (request, reply) => {
    const s = staff(request);
    const p = await programmeOf(request, s);
    const { c, input } = checkProgramme(t(request), formFields(request.body), false);
    if (!c.ok)
      return send(
        reply,
        request.ctx,
        p.name,
        request.url,
        programmeForm(request.ctx, { base: s.base, action: here(request), creating: false, values: c.values, errors: c.errors, title: p.name }),
        422,
      );
    await updateProgramme(db, s.a, p.slug, input);
    return reply.redirect(`${s.base}/programmes/${p.slug}?fait=1`, 303);
  });
}

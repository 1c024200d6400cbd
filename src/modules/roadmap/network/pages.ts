// The network's pages, at the network's slug: /<network>/reseau (home), /instances/<slug> (a body and its
// seats), /reunions/<id>, /contributions/<slug> (versions, endorsements), /evenements/<slug> (programme),
// /vue (members side by side), /solutions and /solutions/<slug>. And the endorsement form's target, at the
// MEMBER's slug: POST /<member>/reseaux/<network>/contributions/<id>/soutien (its administrator).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import type { RequestContext } from '../../../core/base/context.ts';
import { notFound } from '../../../core/base/errors.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { findBlob } from '../../../core/files/upload.ts';
import { sendAttachment } from '../../../core/files/send.ts';
import { page } from '../../../core/views/layout.ts';
import { html, type Html } from '../../../core/views/html.ts';
import { requireMemberAdmin, viewerOf, type NetworkViewer } from './network.policy.ts';
import * as repo from './network.repository.ts';
import { loadNetworkView } from './view.ts';
import { THEMES, type Theme } from '../projects.repository.ts';
import { bastideUses, loadDirectory, nearest } from './solutions.ts';
import { endorse, unendorse } from './member-actions.ts';
import { bodyBody, contributionBody, directoryBody, eventBody, homeBody, meetingBody, solutionBody, viewBody } from './views.ts';

function send(reply: FastifyReply, ctx: RequestContext, title: string, path: string, body: Html): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(ctx, { title, path, body }).value);
}

function query(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v.slice(0, 2000);
  return out;
}

/** Drafts for the network's administrators; members-only contributions for insiders; public ones for all. */
function canRead(v: NetworkViewer, c: repo.ContributionRow): boolean {
  if (c.state === 'draft') return v.admin;
  return c.visibility === 'public' || v.insider;
}

export function registerNetworkPages(app: FastifyInstance, deps: AppDeps): void {
  const base = (v: NetworkViewer) => `/${v.network.slug}/reseau`;
  const inNetwork = <T>(v: NetworkViewer, fn: (tx: Parameters<Parameters<AppDeps['db']['transaction']>[1]>[0]) => Promise<T>) =>
    deps.db.transaction(v.network.id, fn);

  app.get('/:tenant/reseau', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const d = await inNetwork(v, async (tx) => ({
      members: await repo.listMembers(tx, v.network.id),
      bodies: await repo.listBodies(tx),
      contributions: (await repo.listContributions(tx)).filter((c) => canRead(v, c)),
      events: await repo.listEvents(tx),
      programmes: await repo.listProgrammes(tx),
    }));
    // The network's administrator reaches the secretariat's pages (staff-forms.ts) from the home page.
    const manage = v.admin ? html`<p><a href="${base(v)}/gestion">${request.ctx.t('roadmap.network.staff.title')}</a></p>` : '';
    return send(reply, request.ctx, request.ctx.t('roadmap.network.title'), request.url, html`${manage}${homeBody(request.ctx, base(v), d)}`);
  });

  app.get('/:tenant/reseau/instances/:slug', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const d = await inNetwork(v, async (tx) => {
      const body = await repo.findBody(tx, query(request.params).slug ?? '');
      return body && { body, seats: await repo.listSeats(tx, body.id), meetings: await repo.listMeetings(tx, body.id) };
    });
    if (!d) throw notFound();
    return send(reply, request.ctx, d.body.name, request.url, bodyBody(request.ctx, base(v), d.body, d.seats, d.meetings));
  });

  app.get('/:tenant/reseau/reunions/:id', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const id = query(request.params).id;
    if (!isUuid(id)) throw notFound();
    const d = await inNetwork(v, async (tx) => {
      const meeting = await repo.findMeeting(tx, id);
      const body = meeting && (await tx.one<repo.BodyRow>('select id, slug, kind, name, description from network_bodies where id = $1', [meeting.body_id]));
      return meeting && body ? { meeting, body } : null;
    });
    if (!d) throw notFound();
    // The network's administrator reaches the minutes form (admin-forms.ts) from the meeting.
    const edit = v.admin
      ? html`<p><a href="${base(v)}/reunions/${d.meeting.id}/compte-rendu">${request.ctx.t('roadmap.network.forms.minutes_title')}</a></p>`
      : '';
    return send(
      reply,
      request.ctx,
      d.meeting.title,
      request.url,
      html`${meetingBody(request.ctx, base(v), d.body, d.meeting, d.meeting.minutes_public || v.insider)}${edit}`,
    );
  });

  const contribution = async (request: FastifyRequest) => {
    const v = await viewerOf(deps.db, request.ctx);
    const c = await inNetwork(v, (tx) => repo.findContribution(tx, { slug: query(request.params).slug ?? '' }));
    // A contribution the visitor may not read answers as if it did not exist.
    if (!c || !canRead(v, c)) throw notFound();
    return { v, c };
  };

  app.get('/:tenant/reseau/contributions/:slug', async (request, reply) => {
    const { v, c } = await contribution(request);
    const d = await inNetwork(v, async (tx) => ({
      adoptedBy: c.adopted_by ? await tx.one<repo.BodyRow>('select id, slug, kind, name, description from network_bodies where id = $1', [c.adopted_by]) : null,
      versions: await repo.listVersions(tx, c.id),
      endorsements: await repo.listEndorsements(tx, c.id),
      members: await repo.listMembers(tx, v.network.id),
    }));
    const canEndorse = c.state === 'adopted' ? d.members.filter((m) => v.memberRoles.get(m.id)?.includes('tenant_admin')) : [];
    return send(reply, request.ctx, c.title, request.url, contributionBody(request.ctx, base(v), c, { ...d, canEndorse, networkSlug: v.network.slug }));
  });

  app.get('/:tenant/reseau/contributions/:slug/versions/:n', async (request, reply) => {
    const { v, c } = await contribution(request);
    const n = Number(query(request.params).n);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw notFound();
    const found = await inNetwork(v, async (tx) => {
      const version = (await repo.listVersions(tx, c.id)).find((x) => x.version === n);
      return version ? { version, blob: await findBlob(tx, version.blob_sha256) } : null;
    });
    if (!found?.blob) throw notFound();
    return sendAttachment(reply, deps, v.network.id, found.blob, found.version.file_name);
  });

  app.get('/:tenant/reseau/evenements/:slug', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const d = await inNetwork(v, async (tx) => {
      const event = await repo.findEvent(tx, query(request.params).slug ?? '');
      return event && { event, sessions: await repo.listSessions(tx, event.id) };
    });
    if (!d) throw notFound();
    return send(reply, request.ctx, d.event.title, request.url, eventBody(request.ctx, base(v), d.event, d.sessions));
  });

  app.get('/:tenant/reseau/vue', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const q = query(request.query);
    const int = (x?: string) => (/^\d{1,4}$/.test(x ?? '') && Number(x) > 0 ? Number(x) : 1);
    const theme = THEMES.includes(q.theme as Theme) ? q.theme : undefined;
    const view = await loadNetworkView(deps.db, v.network.id, { theme, page: int(q.page) });
    return send(
      reply,
      request.ctx,
      request.ctx.t('roadmap.network.view.title'),
      request.url,
      viewBody(request.ctx, base(v), view, {
        theme,
        page: int(q.page),
        membersPage: int(q.membres),
        // Copying a kit is the debates module's page, in the viewer's own collectivité, for its moderators.
        copyTo: view.members.filter((m) => v.memberRoles.get(m.id)?.some((r) => r === 'moderator' || r === 'tenant_admin')),
      }),
    );
  });

  app.get('/:tenant/reseau/solutions', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const q = query(request.query);
    const filters = { theme: q.theme || undefined, territory: /^[0-9AB]{2,3}$/.test(q.territory ?? '') ? q.territory : undefined, q: q.q?.trim() || undefined };
    const directory = await loadDirectory(deps.db, v.network.id, filters);
    const page = /^\d{1,4}$/.test(q.membres ?? '') && Number(q.membres) > 0 ? Number(q.membres) : 1;
    const { uses, pages } = await bastideUses(deps.db, v.network.id, page);
    return send(
      reply,
      request.ctx,
      request.ctx.t('roadmap.solutions.title'),
      request.url,
      directoryBody(request.ctx, base(v), directory, uses, filters, { page, pages }),
    );
  });

  app.get('/:tenant/reseau/solutions/:slug', async (request, reply) => {
    const v = await viewerOf(deps.db, request.ctx);
    const directory = await loadDirectory(deps.db, v.network.id);
    const solution = directory.solutions.find((s) => s.slug === query(request.params).slug);
    if (!solution) throw notFound();
    const near = directory.members.find((m) => m.slug === query(request.query)['pres-de']) ?? null;
    return send(
      reply,
      request.ctx,
      solution.name,
      request.url,
      solutionBody(request.ctx, base(v), solution, nearest(solution.users, near), directory.members, near),
    );
  });

  // The endorsement form, posted at the member's own slug by its administrator.
  app.post('/:tenant/reseaux/:network/contributions/:id/soutien', async (request, reply) => {
    const m = requireMemberAdmin(request);
    const params = query(request.params);
    const form = query(request.body);
    if (!isUuid(params.id) || !/^[a-z0-9-]{1,63}$/.test(params.network ?? '')) throw notFound();
    const actor = { tenantId: m.tenant.id, personId: m.personId };
    if (form.withdraw) await unendorse(deps.db, actor, params.network!, params.id);
    else await endorse(deps.db, actor, params.network!, params.id, (form.comment ?? '').slice(0, 2000));
    const slug = await deps.db.transaction(null, (tx) =>
      tx.one<{ id: string }>(`select id from tenants where slug = $1 and kind = 'network'`, [params.network]),
    );
    const c = slug && (await deps.db.transaction(slug.id, (tx) => repo.findContribution(tx, { id: params.id })));
    return reply.redirect(c ? `/${params.network}/reseau/contributions/${c.slug}` : `/${m.tenant.slug}/`, 303);
  });
}

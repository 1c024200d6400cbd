// Pages of the debates under /{tenant}/concertations/… (server-rendered, no script needed): the list, a
// debate with its steps and contributions, a contribution with its comments, the contribute form, and the
// moderator's pages. Forms post to the same actions as the API, so the same limits and checks apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import { clientAddressKey } from '../../../core/base/rate-limit.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import type { AppDeps } from '../../../core/module.ts';
import { canModerate, isMediator, principalOf, type Principal } from '../debates.policy.ts';
import { ANSWER_STATUSES, CONTRIBUTION_KINDS, REPORT_REASONS, SORTS, type ContributionFilters, type ContributionInput } from '../debates.schema.ts';
import { findDebate, listDebates, phasesOf, phasesOfDebates, type DebateRow } from '../debates.repository.ts';
import { listContributions, PAGE_SIZE, postingState } from '../contributions.repository.ts';
import { blocksOf, moderationQueue } from '../moderation.repository.ts';
import { debatesFromHosts, isForMembers, membersOfHost } from '../members.repository.ts';
import { postComment, postContribution, supportProposal } from '../actions/contribute.ts';
import { approveContent, blockParticipant, hideContent, reportContent } from '../actions/moderate.ts';
import { currentPhase, today } from '../phases.ts';
import { notice, sendPage, seeOther } from '../views/common.ts';
import { debateListBody, debatePageBody } from '../views/debate.ts';
import { contributeFormBody, type ParticipationOptions } from '../views/contribution.ts';
import { moderationHomeBody, moderationQueueBody } from '../views/moderation.ts';
import { saveAsKitForm } from '../views/new-debate.ts';
import { html } from '../../../core/views/html.ts';

const Str = Type.Optional(Type.String({ maxLength: 100_000 }));
const DebatePath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }) });
const ContributionPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), contribution: Type.String({ maxLength: 40 }) });
const ListQuery = Type.Object({ kind: Str, phase: Str, status: Str, sort: Str, page: Str, notice: Str }, { additionalProperties: true });
const ContributeForm = Type.Object(
  { kind: Str, stance: Str, title: Str, body: Str, pseudonym: Str, accept_charter: Str, mediation_name: Str, mediation_how: Str },
  { additionalProperties: true },
);
const CommentForm = Type.Object({ body: Str, parent: Str, accept_charter: Str }, { additionalProperties: true });
const ReportForm = Type.Object({ reason: Str, comment: Str }, { additionalProperties: true });
const ModerationForm = Type.Object({ contribution: Str, comment: Str, reason: Str, person: Str }, { additionalProperties: true });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pick = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** Filters of the page's query: unknown or empty values are ignored (the filter form sends empty ones). */
function filtersOf(q: Static<typeof ListQuery>): ContributionFilters {
  const phase = /^\d{1,2}$/.test(q.phase ?? '') ? Number(q.phase) : undefined;
  const page = /^\d{1,4}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : undefined;
  return {
    kind: pick(CONTRIBUTION_KINDS, q.kind),
    phase,
    status: pick([...ANSWER_STATUSES, 'unanswered'] as const, q.status),
    sort: pick(SORTS, q.sort),
    page,
  };
}

function webPrincipal(request: FastifyRequest): Principal {
  return principalOf(request.ctx, clientAddressKey(request.ip));
}

export function registerDebatesPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const base = (tenant: string, debate: string) => `/${tenant}/concertations/${debate}`;

  /** A debate a visitor may read (drafts only for the team), its steps and what this person may do. */
  const load = async (request: FastifyRequest, ref: string) => {
    const p = webPrincipal(request);
    return db.transaction(p.tenantId, async (tx) => {
      const debate = await findDebate(tx, ref);
      if (!debate || (debate.status === 'draft' && !canModerate(p))) throw notFound(p.t('debates.error.not_found'));
      const phases = await phasesOf(tx, debate.id);
      const state = p.personId ? await postingState(tx, debate.id, p.personId, today()) : null;
      const current = currentPhase(phases);
      const options: ParticipationOptions = {
        canPost: !!state && debate.status === 'published' && current?.kind === 'contributions' && !state.blocked,
        charter: state && !state.accepted ? debate.charter : null,
        mediator: isMediator(p),
      };
      return { p, debate, phases, current, options };
    });
  };

  web.get('/:tenant/concertations', async (request, reply) => {
    const tenant = requireTenant(request);
    const moderator = canModerate(request.ctx);
    const rows = await db.transaction(tenant.id, async (tx) => {
      const debates = await listDebates(tx, { publicOnly: !moderator });
      const phases = await phasesOfDebates(
        tx,
        debates.map((d) => d.id),
      );
      return {
        own: debates.map((debate) => ({ debate, current: currentPhase(phases.filter((p) => p.debate_id === debate.id)) })),
        // The published debates its hosts run for their members (0750), read through the definer function.
        fromHosts: await debatesFromHosts(tx),
      };
    });
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('debates.title'),
      path: request.url,
      body: debateListBody(request.ctx, tenant.slug, rows.own, rows.fromHosts),
    });
  });

  web.get('/:tenant/concertations/:debate', { schema: { hide: true, params: DebatePath, querystring: ListQuery } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const { p, debate, phases, current } = await load(request, request.params.debate);
    const filters = filtersOf(request.query);
    const { rows, total, more, members } = await db.transaction(p.tenantId, async (tx) => ({
      ...(await listContributions(tx, debate.id, filters, { personId: p.personId, moderator: canModerate(p) })),
      // A host's debate run for its members names them (0750).
      members: (await isForMembers(tx, debate.id)) ? (await membersOfHost(tx)).map((m) => m.name) : [],
    }));
    return sendPage(reply, request.ctx, {
      title: debate.title,
      path: request.url,
      body: debatePageBody(request.ctx, {
        tenantSlug: tenant.slug,
        debate,
        phases,
        current,
        filters,
        rows,
        total,
        more,
        perPage: PAGE_SIZE,
        moderator: canModerate(p),
        notice: notice(request.ctx, request.query),
        members,
      }),
    });
  });

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ref: string,
    values: Record<string, string>,
    errors: Record<string, string[]>,
    status = 200,
  ) => {
    const tenant = requireTenant(request);
    if (!request.ctx.person) throw new HttpError(401, 'unauthorized', request.ctx.t('debates.error.sign_in'));
    const { debate, options } = await load(request, ref);
    const b = base(tenant.slug, debate.slug);
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('debates.web.form.title'),
        path: request.url,
        body: contributeFormBody(request.ctx, {
          action: `${b}/contribuer`,
          back: b,
          title: debate.title,
          pre: debate.moderation === 'pre',
          options,
          values,
          errors,
        }),
      },
      status,
    );
  };

  web.get('/:tenant/concertations/:debate/contribuer', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    if (!request.ctx.person) return reply.redirect(`/auth/sign-in?tenant=${requireTenant(request).slug}`, 303);
    return showForm(request, reply, request.params.debate, {}, {});
  });

  web.post('/:tenant/concertations/:debate/contribuer', { schema: { hide: true, params: DebatePath, body: ContributeForm } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const f = request.body;
    const input: ContributionInput = {
      kind: pick(CONTRIBUTION_KINDS, f.kind) ?? 'proposal',
      stance: f.kind === 'opinion' ? pick(['for', 'against', 'neutral'] as const, f.stance) : undefined,
      title: f.title ?? '',
      body: f.body ?? '',
      pseudonym: f.pseudonym || undefined,
      accept_charter: f.accept_charter === 'yes',
      mediation: f.mediation_name || f.mediation_how ? { name: f.mediation_name ?? '', how: f.mediation_how ?? '' } : undefined,
    };
    try {
      const { id, moderation } = await postContribution(db, webPrincipal(request), request.params.debate, input);
      return seeOther(reply, `${base(tenant.slug, request.params.debate)}/contributions/${id}`, moderation === 'pending' ? 'pending' : 'posted');
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
      const errors = (error.details as { errors: Record<string, string[]> }).errors;
      const values = Object.fromEntries(Object.entries(f).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
      return showForm(request, reply, request.params.debate, values, errors, 422);
    }
  });

  // A contribution's own page (by number or id) is routes/contribution-pages.ts's.

  const contributionUrl = (request: FastifyRequest, params: Static<typeof ContributionPath>) =>
    `${base(requireTenant(request).slug, params.debate)}/contributions/${params.contribution}`;
  const uuidOr404 = (value: string | undefined) => {
    if (!value || !UUID.test(value)) throw notFound();
    return value;
  };

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/soutenir',
    { schema: { hide: true, params: ContributionPath } },
    async (request, reply) => {
      await supportProposal(db, webPrincipal(request), request.params.debate, uuidOr404(request.params.contribution));
      return seeOther(reply, contributionUrl(request, request.params), 'supported');
    },
  );

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/commenter',
    { schema: { hide: true, params: ContributionPath, body: CommentForm } },
    async (request, reply) => {
      const parent = request.body.parent ? uuidOr404(request.body.parent) : undefined;
      const { moderation } = await postComment(db, webPrincipal(request), request.params.debate, uuidOr404(request.params.contribution), {
        body: request.body.body ?? '',
        parent,
        accept_charter: request.body.accept_charter === 'yes',
      });
      return seeOther(reply, contributionUrl(request, request.params), moderation === 'pending' ? 'pending' : 'commented');
    },
  );

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/signaler',
    { schema: { hide: true, params: ContributionPath, body: ReportForm } },
    async (request, reply) => {
      const reason = pick(REPORT_REASONS, request.body.reason) ?? 'other';
      const comment = request.body.comment ? uuidOr404(request.body.comment) : undefined;
      await reportContent(db, webPrincipal(request), request.params.debate, uuidOr404(request.params.contribution), { reason, comment });
      return seeOther(reply, contributionUrl(request, request.params), 'reported');
    },
  );

  // The moderator's pages.
  web.get('/:tenant/admin/concertations', async (request, reply) => {
    const tenant = requireTenant(request);
    requireRoles(request, 'moderator');
    const rows = await db.transaction(tenant.id, async (tx) => {
      const debates = await listDebates(tx, { publicOnly: false });
      const out: Array<{ debate: DebateRow; waiting: number }> = [];
      for (const debate of debates) out.push({ debate, waiting: (await moderationQueue(tx, debate.id, 1000)).length });
      return out;
    });
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('debates.web.moderation.admin_title'),
      path: request.url,
      body: moderationHomeBody(request.ctx, tenant.slug, rows),
    });
  });

  web.get('/:tenant/concertations/:debate/moderation', { schema: { hide: true, params: DebatePath } }, async (request, reply) => {
    const tenant = requireTenant(request);
    requireRoles(request, 'moderator');
    const { debate } = await load(request, request.params.debate);
    const { items, blocks } = await db.transaction(tenant.id, async (tx) => ({
      items: await moderationQueue(tx, debate.id),
      blocks: await blocksOf(tx, debate.id),
    }));
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('debates.web.moderation.title'),
      path: request.url,
      body: html`${moderationQueueBody(request.ctx, { base: base(tenant.slug, debate.slug), debate, items, blocks, notice: notice(request.ctx, request.query) })}
${saveAsKitForm(request.ctx, `${base(tenant.slug, debate.slug)}/moderation/enregistrer-kit`)}`,
    });
  });

  const moderationUrl = (request: FastifyRequest, debate: string) => `${base(requireTenant(request).slug, debate)}/moderation`;
  web.post(
    '/:tenant/concertations/:debate/moderation/masquer',
    { schema: { hide: true, params: DebatePath, body: ModerationForm } },
    async (request, reply) => {
      const f = request.body;
      await hideContent(db, webPrincipal(request), request.params.debate, uuidOr404(f.contribution), {
        reason: f.reason ?? '',
        comment: f.comment ? uuidOr404(f.comment) : undefined,
      });
      return seeOther(reply, moderationUrl(request, request.params.debate), 'hidden');
    },
  );
  web.post(
    '/:tenant/concertations/:debate/moderation/publier',
    { schema: { hide: true, params: DebatePath, body: ModerationForm } },
    async (request, reply) => {
      const f = request.body;
      await approveContent(db, webPrincipal(request), request.params.debate, uuidOr404(f.contribution), {
        comment: f.comment ? uuidOr404(f.comment) : undefined,
      });
      return seeOther(reply, moderationUrl(request, request.params.debate), 'approved');
    },
  );
  web.post(
    '/:tenant/concertations/:debate/moderation/bloquer',
    { schema: { hide: true, params: DebatePath, body: ModerationForm } },
    async (request, reply) => {
      const f = request.body;
      await blockParticipant(db, webPrincipal(request), request.params.debate, { person: uuidOr404(f.person), reason: f.reason ?? '' });
      return seeOther(reply, moderationUrl(request, request.params.debate), 'blocked');
    },
  );
}

// API of debates: /api/v1/:tenant/debates/… — list and read debates, contributions with filters, post a
// contribution, support, comment, report; the team creates debates and moderates. TypeBox schemas are
// the validation and the OpenAPI document alike. A hidden text is never in an answer: its reason is.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import { clientAddressKey } from '../../../core/base/rate-limit.ts';
import { notFound } from '../../../core/base/errors.ts';
import type { AppDeps } from '../../../core/module.ts';
import { canModerate, principalOf, requireModerator, type Principal } from '../debates.policy.ts';
import { ApproveInput, BlockInput, CommentInput, ContributionInput, ContributionQuery, DebateInput, HideInput, ReportInput } from '../debates.schema.ts';
import { findDebate, listDebates, phasesOf, phasesOfDebates, type DebateRow, type PhaseRow } from '../debates.repository.ts';
import { listComments, listContributions, PAGE_SIZE, type CommentRow, type ContributionRow } from '../contributions.repository.ts';
import { moderationQueue } from '../moderation.repository.ts';
import { debatesFromHosts } from '../members.repository.ts';
import { createDebate } from '../actions/create-debate.ts';
import { postComment, postContribution, supportProposal } from '../actions/contribute.ts';
import { approveContent, blockParticipant, hideContent, reportContent, unblockParticipant } from '../actions/moderate.ts';
import { currentPhase } from '../phases.ts';
import { findContributionByRef, type ContributionPageRow } from '../contribution-changes.repository.ts';
import { ContributionEditInput, editContribution, takeBackSupport, withdrawContribution } from '../actions/change-contribution.ts';

// Summary and tag of a route for the OpenAPI document (Fastify's schema type does not declare them).
const doc = (summary: string, tag: 'debates' | 'debate contributions' | 'debate moderation'): object => ({ summary, tags: [tag] });
// The list's two parts, described in the OpenAPI document (0750: debates run by a host for its members).
const listDoc: object = {
  ...doc('Lister les concertations', 'debates'),
  description:
    '`items` : les concertations de la collectivité. `from_hosts` : les concertations publiées que ses hôtes (les collectivités dont elle est membre ou qui l’hébergent) mènent pour leurs membres — `{host: {slug, name}, slug, title, url, api_url, updated_at}` ; on y participe à l’adresse de l’hôte (`url`), les comptes valant pour toute l’installation. Une concertation n’y figure plus dès qu’elle n’est plus publiée ou plus menée pour les membres.',
};
const DebateParams = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }) });
const ContributionParams = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), contribution: Type.String({ format: 'uuid' }) });
// A contribution read by its number (its stable address) or its id.
const ContributionRefParams = Type.Object({
  tenant: Type.String(),
  debate: Type.String({ maxLength: 80 }),
  contribution: Type.String({ pattern: '^([1-9][0-9]{0,8}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$' }),
});
const BlockParams = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), person: Type.String({ format: 'uuid' }) });

/** The principal of an API request, with its client address for the per-address limits. */
export function apiPrincipal(request: FastifyRequest): Principal {
  return principalOf(request.ctx, clientAddressKey(request.ip));
}

export function phaseJson(p: PhaseRow, today?: string) {
  return {
    position: p.position,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    description: p.description,
    starts_on: p.starts_on,
    ends_on: p.ends_on,
    ...(today ? { current: p.starts_on <= today && today <= p.ends_on } : {}),
  };
}

export function debateJson(d: DebateRow, phases: PhaseRow[], tenantSlug: string) {
  const current = currentPhase(phases);
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    presentation: d.presentation,
    status: d.status,
    moderation: d.moderation,
    charter: d.charter,
    current_phase: current ? current.position : null,
    phases: phases.map((p) => phaseJson(p)),
    url: `/${tenantSlug}/concertations/${d.slug}`,
    created_at: d.created_at,
  };
}

/** A contribution as a reader may see it: a hidden or withdrawn one keeps its place (and reason), never its words. */
export function contributionJson(c: ContributionRow) {
  const hidden = c.moderation === 'hidden' || (c.moderation as string) === 'withdrawn';
  return {
    id: c.id,
    kind: c.kind,
    stance: c.stance,
    phase: c.phase_position,
    title: hidden ? null : c.title,
    body: hidden ? null : c.body,
    author: hidden ? null : c.display_name,
    mediated: c.mediated,
    moderation: c.moderation,
    hide_reason: c.hide_reason,
    answer_status: c.answer_status,
    support_count: c.support_count,
    comment_count: c.comment_count,
    created_at: c.created_at,
  };
}

/** A contribution on its own: its number and address, edit and withdrawal dates, the official answer. */
export function contributionPageJson(c: ContributionPageRow, tenantSlug: string, debateSlug: string) {
  const shown = c.moderation === 'visible' || c.moderation === 'pending';
  return {
    ...contributionJson(c as ContributionRow),
    number: c.number,
    url: `/${tenantSlug}/concertations/${debateSlug}/contributions/${c.number}`,
    edited_at: shown ? c.edited_at : null,
    withdrawn_at: c.withdrawn_at,
    answer: c.moderation === 'visible' && c.answer ? { status: c.answer_status, text: c.answer, answered_at: c.answered_at } : null,
  };
}

export function commentJson(m: CommentRow) {
  const hidden = m.moderation === 'hidden';
  return {
    id: m.id,
    parent: m.parent_id,
    body: hidden ? null : m.body,
    author: hidden ? null : m.display_name,
    mediated: m.mediated,
    moderation: m.moderation,
    hide_reason: m.hide_reason,
    created_at: m.created_at,
  };
}

export function registerDebatesApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);
  const base = '/api/v1/:tenant/debates';

  /** A debate the principal may read (a draft only for the team), or 404. */
  const readable = async (p: Principal, ref: string) =>
    db.transaction(p.tenantId, async (tx) => {
      const debate = await findDebate(tx, ref);
      if (!debate || (debate.status === 'draft' && !canModerate(p))) throw notFound(p.t('debates.error.not_found'));
      return { debate, phases: await phasesOf(tx, debate.id) };
    });

  api.get(
    base,
    {
      schema: listDoc,
    },
    async (request) => {
      const p = apiPrincipal(request);
      const { debates, phases, fromHosts } = await db.transaction(p.tenantId, async (tx) => {
        const debates = await listDebates(tx, { publicOnly: !canModerate(p) });
        return {
          debates,
          phases: await phasesOfDebates(
            tx,
            debates.map((d) => d.id),
          ),
          fromHosts: await debatesFromHosts(tx),
        };
      });
      return {
        items: debates.map((d) =>
          debateJson(
            d,
            phases.filter((ph) => ph.debate_id === d.id),
            request.ctx.tenant!.slug,
          ),
        ),
        from_hosts: fromHosts.map((h) => ({
          host: { slug: h.host_slug, name: h.host_name },
          slug: h.slug,
          title: h.title,
          url: `/${h.host_slug}/concertations/${h.slug}`,
          api_url: `/api/v1/${h.host_slug}/debates/${h.slug}`,
          updated_at: h.updated_at,
        })),
      };
    },
  );

  api.post(base, { schema: { ...doc('Créer une concertation et ses phases (équipe)', 'debates'), body: DebateInput } }, async (request, reply) => {
    const p = apiPrincipal(request);
    const { debate, phases } = await createDebate(db, p, request.body);
    return reply.code(201).send(debateJson(debate, phases, request.ctx.tenant!.slug));
  });

  api.get(`${base}/:debate`, { schema: { ...doc('Lire une concertation et ses phases', 'debates'), params: DebateParams } }, async (request) => {
    const p = apiPrincipal(request);
    const { debate, phases } = await readable(p, request.params.debate);
    return debateJson(debate, phases, request.ctx.tenant!.slug);
  });

  api.get(
    `${base}/:debate/contributions`,
    {
      schema: {
        ...doc('Lister les contributions (filtres : type, phase, statut, les plus soutenues)', 'debate contributions'),
        params: DebateParams,
        querystring: ContributionQuery,
      },
    },
    async (request) => {
      const p = apiPrincipal(request);
      const { debate } = await readable(p, request.params.debate);
      const { rows, total, more } = await db.transaction(p.tenantId, (tx) =>
        listContributions(tx, debate.id, request.query, { personId: p.personId, moderator: canModerate(p) }),
      );
      // total_is_lower_bound: more than `total` match (lists are counted up to 2,000).
      return { items: rows.map(contributionJson), total, total_is_lower_bound: more, page: request.query.page ?? 1, per_page: PAGE_SIZE };
    },
  );

  api.post(
    `${base}/:debate/contributions`,
    { schema: { ...doc('Publier une contribution (proposition, question, avis)', 'debate contributions'), params: DebateParams, body: ContributionInput } },
    async (request, reply) => {
      const result = await postContribution(db, apiPrincipal(request), request.params.debate, request.body);
      return reply.code(201).send(result);
    },
  );

  api.get(
    `${base}/:debate/contributions/:contribution`,
    {
      schema: {
        ...doc('Lire une contribution (par son numéro ou son identifiant), la réponse officielle et ses commentaires', 'debate contributions'),
        params: ContributionRefParams,
      },
    },
    async (request) => {
      const p = apiPrincipal(request);
      const { debate } = await readable(p, request.params.debate);
      const viewer = { personId: p.personId, moderator: canModerate(p) };
      return db.transaction(p.tenantId, async (tx) => {
        const c = await findContributionByRef(tx, debate.id, request.params.contribution);
        const mayRead = c && (c.moderation !== 'pending' || viewer.moderator || (p.personId && c.author_person_id === p.personId));
        if (!c || !mayRead) throw notFound(p.t('debates.error.contribution_not_found'));
        return { ...contributionPageJson(c, request.ctx.tenant!.slug, debate.slug), comments: (await listComments(tx, c.id, viewer)).map(commentJson) };
      });
    },
  );

  api.patch(
    `${base}/:debate/contributions/:contribution`,
    {
      schema: {
        ...doc(
          'Modifier sa contribution (titre, texte, position d’un avis) : pendant l’étape des contributions, tant que personne ne l’a commentée, soutenue ni que la collectivité y a répondu ; en pré-modération elle repasse en attente',
          'debate contributions',
        ),
        params: ContributionRefParams,
        body: ContributionEditInput,
      },
    },
    async (request) => {
      const result = await editContribution(db, apiPrincipal(request), request.params.debate, request.params.contribution, request.body);
      return { id: result.id, number: result.number, moderation: result.moderation, edited_at: result.edited_at, changed: result.changed };
    },
  );

  api.post(
    `${base}/:debate/contributions/:contribution/withdraw`,
    {
      schema: {
        ...doc(
          'Retirer sa contribution (jamais effacée : « retirée par son auteur », hors des listes, des comptes et des données ouvertes) ; refusé si elle a des soutiens ou une réponse officielle',
          'debate contributions',
        ),
        params: ContributionRefParams,
      },
    },
    async (request) => {
      const result = await withdrawContribution(db, apiPrincipal(request), request.params.debate, request.params.contribution);
      return { ...result, moderation: 'withdrawn' };
    },
  );

  api.delete(
    `${base}/:debate/contributions/:contribution/supports`,
    { schema: { ...doc('Retirer son soutien à une proposition', 'debate contributions'), params: ContributionRefParams } },
    async (request) => takeBackSupport(db, apiPrincipal(request), request.params.debate, request.params.contribution),
  );

  api.post(
    `${base}/:debate/contributions/:contribution/supports`,
    { schema: { ...doc('Soutenir une proposition (un soutien par personne)', 'debate contributions'), params: ContributionParams } },
    async (request, reply) => {
      const result = await supportProposal(db, apiPrincipal(request), request.params.debate, request.params.contribution);
      return reply.code(201).send(result);
    },
  );

  api.post(
    `${base}/:debate/contributions/:contribution/comments`,
    { schema: { ...doc('Commenter une contribution ou répondre à un commentaire', 'debate contributions'), params: ContributionParams, body: CommentInput } },
    async (request, reply) => {
      const result = await postComment(db, apiPrincipal(request), request.params.debate, request.params.contribution, request.body);
      return reply.code(201).send(result);
    },
  );

  api.post(
    `${base}/:debate/contributions/:contribution/reports`,
    { schema: { ...doc('Signaler une contribution ou un commentaire', 'debate moderation'), params: ContributionParams, body: ReportInput } },
    async (request, reply) => {
      const result = await reportContent(db, apiPrincipal(request), request.params.debate, request.params.contribution, request.body);
      return reply.code(201).send(result);
    },
  );

  api.post(
    `${base}/:debate/contributions/:contribution/hide`,
    { schema: { ...doc('Masquer un texte avec un motif (modération)', 'debate moderation'), params: ContributionParams, body: HideInput } },
    async (request, reply) => {
      await hideContent(db, apiPrincipal(request), request.params.debate, request.params.contribution, request.body);
      return reply.code(204).send();
    },
  );

  api.post(
    `${base}/:debate/contributions/:contribution/approve`,
    {
      schema: {
        ...doc('Publier un texte en attente ou rétablir un texte masqué (modération)', 'debate moderation'),
        params: ContributionParams,
        body: ApproveInput,
      },
    },
    async (request, reply) => {
      await approveContent(db, apiPrincipal(request), request.params.debate, request.params.contribution, request.body);
      return reply.code(204).send();
    },
  );

  api.post(
    `${base}/:debate/blocks`,
    { schema: { ...doc('Bloquer un participant de cette concertation (modération)', 'debate moderation'), params: DebateParams, body: BlockInput } },
    async (request, reply) => {
      await blockParticipant(db, apiPrincipal(request), request.params.debate, request.body);
      return reply.code(204).send();
    },
  );

  api.delete(
    `${base}/:debate/blocks/:person`,
    { schema: { ...doc('Débloquer un participant (modération)', 'debate moderation'), params: BlockParams } },
    async (request, reply) => {
      await unblockParticipant(db, apiPrincipal(request), request.params.debate, request.params.person);
      return reply.code(204).send();
    },
  );

  api.get(
    `${base}/:debate/moderation`,
    { schema: { ...doc('File de modération : textes en attente et signalés', 'debate moderation'), params: DebateParams } },
    async (request) => {
      const p = apiPrincipal(request);
      requireModerator(p);
      const { debate } = await readable(p, request.params.debate);
      const items = await db.transaction(p.tenantId, (tx) => moderationQueue(tx, debate.id));
      return { items };
    },
  );
}

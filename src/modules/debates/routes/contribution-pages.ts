// A contribution's own page, /{collectivité}/concertations/{debate}/contributions/{number} (its id works
// too): the text, the official answer, supports and comments, and for its author the forms to edit and
// withdraw it; a supporter takes back their support there. Server-rendered, no script; forms carry the
// CSRF token and post to the same actions as the API (actions/change-contribution.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import { clientAddressKey } from '../../../core/base/rate-limit.ts';
import { HttpError, notFound } from '../../../core/base/errors.ts';
import { requireTenant } from '../../../core/base/context.ts';
import type { AppDeps } from '../../../core/module.ts';
import { canModerate, isMediator, principalOf, type Principal } from '../debates.policy.ts';
import { STANCES } from '../debates.schema.ts';
import { findDebate } from '../debates.repository.ts';
import { listComments, postingState, supportedBy } from '../contributions.repository.ts';
import { findContributionByRef, versionsOf } from '../contribution-changes.repository.ts';
import { changeRights, editContribution, takeBackSupport, withdrawContribution } from '../actions/change-contribution.ts';
import { today } from '../phases.ts';
import { notice, sendPage, seeOther } from '../views/common.ts';
import { contributionPageBody, editFormBody, type ParticipationOptions } from '../views/contribution.ts';

const Str = Type.Optional(Type.String({ maxLength: 100_000 }));
const ContributionPath = Type.Object({ tenant: Type.String(), debate: Type.String({ maxLength: 80 }), contribution: Type.String({ maxLength: 40 }) });
const PageQuery = Type.Object({ notice: Str }, { additionalProperties: true });
const EditForm = Type.Object({ title: Str, body: Str, stance: Str }, { additionalProperties: true });

function webPrincipal(request: FastifyRequest): Principal {
  return principalOf(request.ctx, clientAddressKey(request.ip));
}

export function registerContributionPages(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const base = (tenant: string, debate: string) => `/${tenant}/concertations/${debate}`;

  /** The debate, the contribution as this visitor may read it (404 otherwise), and what they may do there. */
  const load = async (request: FastifyRequest, debateRef: string, ref: string) => {
    const p = webPrincipal(request);
    const moderator = canModerate(p);
    return db.transaction(p.tenantId, async (tx) => {
      const debate = await findDebate(tx, debateRef);
      if (!debate || (debate.status === 'draft' && !moderator)) throw notFound(p.t('debates.error.not_found'));
      const c = await findContributionByRef(tx, debate.id, ref);
      if (!c || (c.moderation === 'pending' && !moderator && c.author_person_id !== p.personId)) throw notFound(p.t('debates.error.contribution_not_found'));
      const state = p.personId ? await postingState(tx, debate.id, p.personId, today()) : null;
      const open = !!state && debate.status === 'published' && state.phase?.kind === 'contributions';
      const options: ParticipationOptions = {
        canPost: open && !state!.blocked,
        charter: state && !state.accepted ? debate.charter : null,
        mediator: isMediator(p),
      };
      const rights = p.personId && c.author_person_id === p.personId ? changeRights(p, state, c) : null;
      return {
        p,
        debate,
        c,
        options,
        open,
        rights: rights ? { edit: rights.edit?.message ?? null, withdraw: rights.withdraw?.message ?? null } : undefined,
        comments: await listComments(tx, c.id, { personId: p.personId, moderator }),
        supported: (await supportedBy(tx, [c.id], p.personId)).has(c.id),
        // Earlier texts for the team, while the text itself is shown (never those of a hidden or withdrawn one).
        versions: moderator && (c.moderation === 'visible' || c.moderation === 'pending') ? await versionsOf(tx, c.id) : null,
      };
    });
  };

  web.get(
    '/:tenant/concertations/:debate/contributions/:contribution',
    { schema: { hide: true, params: ContributionPath, querystring: PageQuery } },
    async (request, reply) => {
      const tenant = requireTenant(request);
      const found = await load(request, request.params.debate, request.params.contribution);
      const { debate, c } = found;
      const shown = c.moderation === 'visible' || c.moderation === 'pending';
      return sendPage(reply, request.ctx, {
        title: shown ? c.title : `${request.ctx.t('debates.web.change.number', { number: c.number })} · ${debate.title}`,
        path: request.url,
        body: contributionPageBody(request.ctx, {
          base: base(tenant.slug, debate.slug),
          contribution: c,
          comments: found.comments,
          supported: found.supported,
          options: found.options,
          open: found.open,
          rights: found.rights,
          pre: debate.moderation === 'pre',
          versions: found.versions,
          notice: notice(request.ctx, request.query),
        }),
      });
    },
  );

  const pageUrl = (request: FastifyRequest, debate: string, number: number) => `${base(requireTenant(request).slug, debate)}/contributions/${number}`;

  const showEditForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: { debate: string; contribution: string },
    values: Record<string, string> | null,
    errors: Record<string, string[]>,
    status = 200,
  ) => {
    const tenant = requireTenant(request);
    if (!request.ctx.person) throw new HttpError(401, 'unauthorized', request.ctx.t('debates.error.sign_in'));
    const { debate, c, rights } = await load(request, params.debate, params.contribution);
    if (!rights) throw new HttpError(403, 'forbidden', request.ctx.t('debates.error.not_author'));
    if (rights.edit && !Object.keys(errors).length) throw new HttpError(409, 'conflict', rights.edit);
    const here = `${base(tenant.slug, debate.slug)}/contributions/${c.number}`;
    return sendPage(
      reply,
      request.ctx,
      {
        title: request.ctx.t('debates.web.change.edit_title'),
        path: request.url,
        body: editFormBody(request.ctx, {
          action: `${here}/modifier`,
          back: here,
          kind: c.kind,
          pre: debate.moderation === 'pre',
          values: values ?? { title: c.title, body: c.body, stance: c.stance ?? '' },
          errors,
        }),
      },
      status,
    );
  };

  web.get(
    '/:tenant/concertations/:debate/contributions/:contribution/modifier',
    { schema: { hide: true, params: ContributionPath } },
    async (request, reply) => {
      if (!request.ctx.person) return reply.redirect(`/auth/sign-in?tenant=${requireTenant(request).slug}`, 303);
      return showEditForm(request, reply, request.params, null, {});
    },
  );

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/modifier',
    { schema: { hide: true, params: ContributionPath, body: EditForm } },
    async (request, reply) => {
      const f = request.body;
      const stance = STANCES.find((s) => s === f.stance);
      try {
        const result = await editContribution(db, webPrincipal(request), request.params.debate, request.params.contribution, {
          title: f.title ?? '',
          body: f.body ?? '',
          ...(stance ? { stance } : {}),
        });
        return seeOther(
          reply,
          pageUrl(request, request.params.debate, result.number),
          result.moderation === 'pending' && result.changed ? 'edited_pending' : 'edited',
        );
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
        const errors = (error.details as { errors: Record<string, string[]> }).errors;
        const values = { title: f.title ?? '', body: f.body ?? '', stance: f.stance ?? '' };
        return showEditForm(request, reply, request.params, values, errors, 422);
      }
    },
  );

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/retirer',
    { schema: { hide: true, params: ContributionPath } },
    async (request, reply) => {
      const { number } = await withdrawContribution(db, webPrincipal(request), request.params.debate, request.params.contribution);
      return seeOther(reply, pageUrl(request, request.params.debate, number), 'withdrawn');
    },
  );

  web.post(
    '/:tenant/concertations/:debate/contributions/:contribution/retirer-soutien',
    { schema: { hide: true, params: ContributionPath } },
    async (request, reply) => {
      await takeBackSupport(db, webPrincipal(request), request.params.debate, request.params.contribution);
      return seeOther(reply, `${base(requireTenant(request).slug, request.params.debate)}/contributions/${request.params.contribution}`, 'unsupported');
    },
  );
}

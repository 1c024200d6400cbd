// API of the network (tags roadmap-network, roadmap-solutions). Network side, at the network's slug, for its
// administrator: POST /api/v1/<network>/reseau/{instances, instances/<body>/sieges, instances/<body>/reunions,
// contributions, contributions/<slug>/adoption, contributions/<slug>/versions (multipart), evenements,
// programmes, invitations, solutions}, DELETE …/membres/<member>; GET …/reseau/vue (public).
// Member side, at the MEMBER's slug, for its administrator: POST/DELETE /api/v1/<member>/reseaux/<network>/adhesion,
// PUT/DELETE …/contributions/<id>/soutien, PUT …/solutions/<slug>.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { notFound } from '../../../core/base/errors.ts';
import { typed } from '../../../core/http/typebox.ts';
import { isUuid } from '../../../core/db/ids.ts';
import { requireMemberAdmin, requireNetwork, requireNetworkAdmin } from './network.policy.ts';
import * as act from './actions.ts';
import { createSolution } from './solutions.ts';
import { declareSolutionUse, endorse, memberJoin, memberLeave, unendorse } from './member-actions.ts';
import { loadNetworkView } from './view.ts';
import { receiveDocument } from './upload.ts';

const net = (summary: string): object => ({ summary, tags: ['roadmap-network'] });
const sol = (summary: string): object => ({ summary, tags: ['roadmap-solutions'] });
const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 });
const Day = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ maxLength: max });
const Strict = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });
const Created = Type.Object({ id: Type.String() });

export function registerNetworkApi(app: FastifyInstance, deps: AppDeps): void {
  const api = typed(app);
  const admin = (request: Parameters<typeof requireNetworkAdmin>[0]) => {
    const { network, actor } = requireNetworkAdmin(request);
    return { networkId: network.id, actor, t: request.ctx.t };
  };

  api.post(
    '/api/v1/:tenant/reseau/instances',
    {
      schema: {
        ...net('Créer une instance (bureau, commission, groupe de travail)'),
        body: Strict({
          slug: Slug,
          kind: Type.Union([Type.Literal('board'), Type.Literal('commission'), Type.Literal('working_group')]),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          description: Type.Optional(Text(5000)),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.createBody(deps.db, admin(request), request.body)),
  );

  api.post(
    '/api/v1/:tenant/reseau/instances/:body/sieges',
    {
      schema: {
        ...net('Ajouter un siège (une collectivité membre et le rôle de son représentant)'),
        params: Type.Object({ tenant: Type.String(), body: Slug }),
        body: Strict({
          member: Slug,
          seat_role: Type.String({ minLength: 1, maxLength: 120 }),
          holder_name: Type.Optional(Text(200)),
          holder_title: Type.Optional(Text(300)),
          since: Type.Optional(Day),
          until: Type.Optional(Day),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.addSeat(deps.db, admin(request), request.params.body, request.body)),
  );

  api.post(
    '/api/v1/:tenant/reseau/instances/:body/reunions',
    {
      schema: {
        ...net('Ajouter une réunion (ordre du jour, compte rendu)'),
        params: Type.Object({ tenant: Type.String(), body: Slug }),
        body: Strict({
          held_on: Day,
          title: Type.String({ minLength: 1, maxLength: 300 }),
          place: Type.Optional(Text(300)),
          agenda: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 }),
          minutes: Type.Optional(Text(100000)),
          minutes_public: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.addMeeting(deps.db, admin(request), request.params.body, request.body)),
  );

  const Visibility = Type.Union([Type.Literal('members'), Type.Literal('public')]);
  api.post(
    '/api/v1/:tenant/reseau/contributions',
    {
      schema: {
        ...net('Créer une contribution (brouillon)'),
        body: Strict({
          slug: Slug,
          title: Type.String({ minLength: 1, maxLength: 300 }),
          summary: Type.Optional(Text(10000)),
          body: Type.Optional(Text(100000)),
          topics: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30 })),
          visibility: Type.Optional(Visibility),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.createContribution(deps.db, admin(request), request.body)),
  );

  api.post(
    '/api/v1/:tenant/reseau/contributions/:slug/adoption',
    {
      schema: {
        ...net('Adopter une contribution (par une instance, à une date)'),
        params: Type.Object({ tenant: Type.String(), slug: Slug }),
        body: Strict({ body: Slug, adopted_on: Day, visibility: Type.Optional(Visibility) }),
      },
    },
    async (request, reply) => {
      await act.adoptContribution(deps.db, admin(request), request.params.slug, request.body);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/:tenant/reseau/contributions/:slug/versions',
    { schema: { ...net('Déposer une nouvelle version du document (multipart : file, note)'), params: Type.Object({ tenant: Type.String(), slug: Slug }) } },
    async (request, reply) => {
      const a = admin(request);
      const version = await receiveDocument(deps, request, a.networkId, (stored, note) => act.addVersion(deps.db, a, request.params.slug, stored, note));
      return reply.code(201).send(version);
    },
  );

  api.post(
    '/api/v1/:tenant/reseau/evenements',
    {
      schema: {
        ...net('Créer un événement (forum…) et son programme'),
        body: Strict({
          slug: Slug,
          kind: Type.Union([Type.Literal('forum'), Type.Literal('webinar'), Type.Literal('workshop')]),
          title: Type.String({ minLength: 1, maxLength: 300 }),
          description: Type.Optional(Text(10000)),
          starts_on: Day,
          ends_on: Day,
          place: Type.Optional(Text(300)),
          online: Type.Optional(Type.Boolean()),
          sessions: Type.Optional(
            Type.Array(
              Strict({
                starts_at: Type.String({ format: 'date-time' }),
                ends_at: Type.String({ format: 'date-time' }),
                title: Type.String({ minLength: 1, maxLength: 300 }),
                speakers: Type.Optional(Text(1000)),
              }),
              { maxItems: 100 },
            ),
          ),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.createEvent(deps.db, admin(request), request.body)),
  );

  api.post(
    '/api/v1/:tenant/reseau/programmes',
    {
      schema: {
        ...net('Créer un programme d’accompagnement'),
        body: Strict({
          slug: Slug,
          name: Type.String({ minLength: 1, maxLength: 200 }),
          description: Type.Optional(Text(10000)),
          link: Type.Optional(Type.String({ pattern: '^https://', maxLength: 500 })),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await act.createProgramme(deps.db, admin(request), request.body)),
  );

  api.post(
    '/api/v1/:tenant/reseau/invitations',
    { schema: { ...net('Inviter une collectivité à adhérer'), body: Strict({ member: Slug }) } },
    async (request, reply) => {
      await act.inviteMember(deps.db, admin(request), request.body.member);
      return reply.code(204).send();
    },
  );

  api.delete(
    '/api/v1/:tenant/reseau/membres/:member',
    { schema: { ...net('Retirer une collectivité membre'), params: Type.Object({ tenant: Type.String(), member: Slug }) } },
    async (request, reply) => {
      const a = admin(request);
      await act.removeMember(deps.db, { ...a, personId: request.ctx.api ? request.ctx.api.personId : (request.ctx.person?.id ?? null) }, request.params.member);
      return reply.code(204).send();
    },
  );

  api.get('/api/v1/:tenant/reseau/vue', { schema: net('La vue du réseau : feuilles de route publiées des membres, par thème') }, async (request) => {
    const network = requireNetwork(request.ctx);
    const view = await loadNetworkView(deps.db, network.id);
    return {
      members: view.members.map((m) => {
        const tot = view.totals.get(m.id);
        return {
          slug: m.slug,
          name: m.name,
          projects: tot?.projects ?? 0,
          investment: tot?.investment ?? 0,
          operation: tot?.operation ?? 0,
          granted: tot?.granted ?? 0,
          pooled: tot?.pooled ?? 0,
          procedures: tot?.procedures ?? 0,
          datasets: tot?.datasets ?? 0,
          themes: [...(tot?.themes ?? [])],
        };
      }),
      themes: view.themes,
    };
  });

  api.post(
    '/api/v1/:tenant/reseau/solutions',
    {
      schema: {
        ...sol('Ajouter une solution à l’annuaire'),
        body: Strict({
          slug: Slug,
          name: Type.String({ minLength: 1, maxLength: 200 }),
          kind: Type.Union([Type.Literal('software'), Type.Literal('service')]),
          theme: Type.String({ minLength: 1, maxLength: 60 }),
          licence: Type.Optional(Text(100)),
          link: Type.Optional(Type.String({ pattern: '^https://', maxLength: 500 })),
          description: Type.Optional(Text(5000)),
        }),
        response: { 201: Created },
      },
    },
    async (request, reply) => reply.code(201).send(await createSolution(deps.db, admin(request), request.body)),
  );

  // Member side: the member's administrator, at the member's own slug.
  const NetParams = Type.Object({ tenant: Type.String(), network: Slug });
  api.post(
    '/api/v1/:tenant/reseaux/:network/adhesion',
    { schema: { ...net('Accepter l’invitation d’un réseau (adhérer)'), params: NetParams } },
    async (request, reply) => {
      const m = requireMemberAdmin(request);
      await memberJoin(deps.db, { tenantId: m.tenant.id, personId: m.personId }, request.params.network);
      return reply.code(204).send();
    },
  );
  api.delete('/api/v1/:tenant/reseaux/:network/adhesion', { schema: { ...net('Quitter un réseau'), params: NetParams } }, async (request, reply) => {
    const m = requireMemberAdmin(request);
    await memberLeave(deps.db, { tenantId: m.tenant.id, personId: m.personId }, request.params.network);
    return reply.code(204).send();
  });
  const EndorseParams = Type.Object({ tenant: Type.String(), network: Slug, id: Type.String() });
  api.put(
    '/api/v1/:tenant/reseaux/:network/contributions/:id/soutien',
    {
      schema: {
        ...net('Soutenir une contribution adoptée, au nom de sa collectivité'),
        params: EndorseParams,
        body: Type.Optional(Strict({ comment: Type.Optional(Text(2000)) })),
      },
    },
    async (request, reply) => {
      const m = requireMemberAdmin(request);
      if (!isUuid(request.params.id)) throw notFound();
      await endorse(deps.db, { tenantId: m.tenant.id, personId: m.personId }, request.params.network, request.params.id, request.body?.comment ?? '');
      return reply.code(204).send();
    },
  );
  api.delete(
    '/api/v1/:tenant/reseaux/:network/contributions/:id/soutien',
    { schema: { ...net('Retirer son soutien'), params: EndorseParams } },
    async (request, reply) => {
      const m = requireMemberAdmin(request);
      if (!isUuid(request.params.id)) throw notFound();
      await unendorse(deps.db, { tenantId: m.tenant.id, personId: m.personId }, request.params.network, request.params.id);
      return reply.code(204).send();
    },
  );
  api.put(
    '/api/v1/:tenant/reseaux/:network/solutions/:slug',
    {
      schema: {
        ...sol('Déclarer qu’on utilise une solution (référent, avis)'),
        params: Type.Object({ tenant: Type.String(), network: Slug, slug: Slug }),
        body: Strict({
          referent: Type.Optional(Text(200)),
          opinion: Type.Optional(Text(2000)),
          since: Type.Optional(Day),
          public: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request, reply) => {
      const m = requireMemberAdmin(request);
      await declareSolutionUse(deps.db, { tenantId: m.tenant.id, personId: m.personId }, request.params.network, request.params.slug, request.body);
      return reply.code(204).send();
    },
  );
}

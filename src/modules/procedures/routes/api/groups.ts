// API: groups of agents, their members, and a procedure's routing rules (designers only).
import type { FastifyInstance } from 'fastify';
import { typed } from '../../../../core/http/typebox.ts';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../../core/module.ts';
import { doc } from '../api-doc.ts';
import { principalOf, requireAgent } from '../../procedures.policy.ts';
import { listGroupMembers, listGroups, listRules } from '../../routing.repository.ts';
import { findProcedure } from '../../procedures.repository.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { addMember, createGroup, removeMember, setRouting } from '../../actions/manage-groups.ts';

const GroupParams = Type.Object({ group: Type.String() });
const MemberParams = Type.Object({ group: Type.String(), person: Type.String() });
const ProcedureParams = Type.Object({ procedure: Type.String() });
const GroupBody = Type.Object({ name: Type.String(), procedure: Type.Optional(Type.String()) });
const MemberBody = Type.Object({ person: Type.String() });
const RoutingBody = Type.Object({ rules: Type.Array(Type.Object({ condition: Type.Unknown(), group: Type.String() })) });

export function registerGroupApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.get('/api/v1/:tenant/groups', { schema: doc('Lister les groupes d’agents', 'groups') }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    return { items: await db.transaction(p.tenantId, (tx) => listGroups(tx)) };
  });

  api.post(
    '/api/v1/:tenant/groups',
    {
      schema: { ...doc('Créer un groupe d’agents', 'groups'), body: GroupBody },
    },
    async (request, reply) => reply.code(201).send(await createGroup(db, principalOf(request.ctx), request.body)),
  );

  api.post(
    '/api/v1/:tenant/groups/:group/members',
    {
      schema: { ...doc('Ajouter un agent à un groupe', 'groups'), params: GroupParams, body: MemberBody },
    },
    async (request, reply) => reply.code(201).send(await addMember(db, principalOf(request.ctx), request.params.group, request.body.person)),
  );

  api.get('/api/v1/:tenant/groups/:group/members', { schema: { ...doc('Lister les membres d’un groupe', 'groups'), params: GroupParams } }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    const { group } = request.params;
    if (!isUuid(group)) throw notFound();
    return { items: await db.transaction(p.tenantId, (tx) => listGroupMembers(tx, group)) };
  });

  api.delete(
    '/api/v1/:tenant/groups/:group/members/:person',
    { schema: { ...doc('Retirer un agent d’un groupe', 'groups'), params: MemberParams } },
    async (request, reply) => {
      const { group, person } = request.params;
      await removeMember(db, principalOf(request.ctx), group, person);
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/v1/:tenant/procedures/:procedure/routing',
    { schema: { ...doc('Lire les règles de routage', 'groups'), params: ProcedureParams } },
    async (request) => {
      const p = principalOf(request.ctx);
      requireAgent(p);
      return db.transaction(p.tenantId, async (tx) => {
        const procedure = await findProcedure(tx, request.params.procedure);
        if (!procedure) throw notFound();
        return { rules: (await listRules(tx, procedure.id)).map((r) => ({ position: r.position, condition: r.condition, group: r.group_id })) };
      });
    },
  );

  api.put(
    '/api/v1/:tenant/procedures/:procedure/routing',
    {
      schema: { ...doc('Remplacer les règles de routage', 'groups'), params: ProcedureParams, body: RoutingBody },
    },
    async (request) => {
      const count = await setRouting(db, principalOf(request.ctx), request.params.procedure, request.body.rules);
      return { rules: count };
    },
  );
}

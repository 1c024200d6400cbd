// API: groups of agents, their members, and a procedure's routing rules (designers only).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../../core/module.ts';
import { doc } from '../api-doc.ts';
import { principalOf, requireAgent } from '../../procedures.policy.ts';
import { listGroups, listRules } from '../../routing.repository.ts';
import { findProcedure } from '../../procedures.repository.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { addMember, createGroup, removeMember, setRouting } from '../../actions/manage-groups.ts';
import { listGroupMembers } from '../../routing.repository.ts';

export function registerGroupApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;

  app.get('/api/v1/:tenant/groups', { schema: doc('Lister les groupes d’agents', 'groups') }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    return { items: await db.transaction(p.tenantId, (tx) => listGroups(tx)) };
  });

  app.post('/api/v1/:tenant/groups', {
    schema: { ...doc('Créer un groupe d’agents', 'groups'), body: Type.Object({ name: Type.String(), procedure: Type.Optional(Type.String()) }) },
  }, async (request, reply) => reply.code(201).send(await createGroup(db, principalOf(request.ctx), request.body as { name: string })));

  app.post('/api/v1/:tenant/groups/:group/members', {
    schema: { ...doc('Ajouter un agent à un groupe', 'groups'), body: Type.Object({ person: Type.String() }) },
  }, async (request, reply) => {
    const { group } = request.params as { group: string };
    return reply.code(201).send(await addMember(db, principalOf(request.ctx), group, (request.body as { person: string }).person));
  });

  app.get('/api/v1/:tenant/groups/:group/members', { schema: doc('Lister les membres d’un groupe', 'groups') }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    const { group } = request.params as { group: string };
    if (!isUuid(group)) throw notFound();
    return { items: await db.transaction(p.tenantId, (tx) => listGroupMembers(tx, group)) };
  });

  app.delete('/api/v1/:tenant/groups/:group/members/:person', { schema: doc('Retirer un agent d’un groupe', 'groups') }, async (request, reply) => {
    const { group, person } = request.params as { group: string; person: string };
    await removeMember(db, principalOf(request.ctx), group, person);
    return reply.code(204).send();
  });

  app.get('/api/v1/:tenant/procedures/:procedure/routing', { schema: doc('Lire les règles de routage', 'groups') }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    return db.transaction(p.tenantId, async (tx) => {
      const procedure = await findProcedure(tx, (request.params as { procedure: string }).procedure);
      if (!procedure) throw notFound();
      return { rules: (await listRules(tx, procedure.id)).map((r) => ({ position: r.position, condition: r.condition, group: r.group_id })) };
    });
  });

  app.put('/api/v1/:tenant/procedures/:procedure/routing', {
    schema: { ...doc('Remplacer les règles de routage', 'groups'), body: Type.Object({ rules: Type.Array(Type.Object({ condition: Type.Unknown(), group: Type.String() })) }) },
  }, async (request) => {
    const count = await setRouting(db, principalOf(request.ctx), (request.params as { procedure: string }).procedure, (request.body as { rules: unknown }).rules);
    return { rules: count };
  });
}

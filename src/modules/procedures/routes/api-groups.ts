// API: groups of agents, their members, and a procedure's routing rules (designers only).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../core/module.ts';
import { doc } from './api-doc.ts';
import { principalOf, requireAgent } from '../procedures.policy.ts';
import { listGroups, listRules } from '../routing.repository.ts';
import { findProcedure } from '../procedures.repository.ts';
import { notFound } from '../../../core/http/errors.ts';
import { addMember, createGroup, setRouting } from '../actions/manage-groups.ts';

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

// API: procedures (create, list, read, edit the draft, publish, export/import, offer to members).
import type { FastifyInstance } from 'fastify';
import { typed } from '../../../../core/http/typebox.ts';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../../core/module.ts';
import { doc } from '../api-doc.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { canDesign, principalOf, requireDesigner } from '../../procedures.policy.ts';
import { findProcedure, findRevision, listProcedures, type ProcedureRow } from '../../procedures.repository.ts';
import { closeProcedure, createProcedure, publishProcedure, updateProcedureDraft } from '../../actions/create-procedure.ts';
import { exportDefinition, importDefinition, offerToMembers } from '../../actions/share-procedure.ts';
import { settingsWithoutSecrets } from '../../operations/settings.ts';

const FieldSchema = Type.Object(
  {
    key: Type.String(),
    label: Type.String(),
    type: Type.String(),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Type.Unknown())),
  },
  { additionalProperties: true },
);
export const DefinitionSchema = Type.Object(
  {
    title: Type.String(),
    description: Type.Optional(Type.String()),
    fields: Type.Array(FieldSchema),
  },
  { additionalProperties: true },
);
const Params = Type.Object({ tenant: Type.String(), procedure: Type.String() });
const OfferBody = Type.Object({ tenants: Type.Array(Type.String(), { maxItems: 500 }) });

export function procedureJson(p: ProcedureRow, tenantSlug: string) {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    state: p.state,
    revision: p.current_revision,
    url: `/${tenantSlug}/demarches/${p.slug}`,
    updated_at: p.updated_at,
  };
}

export function registerProcedureApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.post(
    '/api/v1/:tenant/procedures',
    { schema: { ...doc('Créer une démarche (brouillon)', 'procedures'), body: DefinitionSchema } },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      const procedure = await createProcedure(db, p, request.body);
      return reply.code(201).send({ ...procedureJson(procedure, request.ctx.tenant!.slug), state: 'draft' });
    },
  );

  api.get('/api/v1/:tenant/procedures', { schema: doc('Lister les démarches', 'procedures') }, async (request) => {
    const p = principalOf(request.ctx);
    const rows = await db.transaction(p.tenantId, (tx) => listProcedures(tx, { publishedOnly: !canDesign(p) }));
    return { items: rows.map((r) => procedureJson(r, request.ctx.tenant!.slug)) };
  });

  api.get('/api/v1/:tenant/procedures/:procedure', { schema: { ...doc('Lire une démarche', 'procedures'), params: Params } }, async (request) => {
    const p = principalOf(request.ctx);
    const ref = request.params.procedure;
    return db.transaction(p.tenantId, async (tx) => {
      const procedure = await findProcedure(tx, ref);
      const designer = canDesign(p);
      if (!procedure || (!designer && procedure.state !== 'published')) throw notFound();
      const revision = procedure.current_revision ? await findRevision(tx, procedure.id, procedure.current_revision) : null;
      return {
        ...procedureJson(procedure, request.ctx.tenant!.slug),
        definition: revision?.definition ?? null,
        ...(designer ? { draft: procedure.draft_definition, settings: settingsWithoutSecrets(procedure.settings) } : {}),
      };
    });
  });

  api.put(
    '/api/v1/:tenant/procedures/:procedure',
    { schema: { ...doc('Modifier le brouillon d’une démarche', 'procedures'), params: Params, body: DefinitionSchema } },
    async (request) => {
      const p = principalOf(request.ctx);
      const procedure = await updateProcedureDraft(db, p, request.params.procedure, request.body);
      return procedureJson(procedure, request.ctx.tenant!.slug);
    },
  );

  api.post(
    '/api/v1/:tenant/procedures/:procedure/publish',
    { schema: { ...doc('Publier une nouvelle révision', 'procedures'), params: Params } },
    async (request) => {
      const p = principalOf(request.ctx);
      const result = await publishProcedure(db, p, request.params.procedure);
      return { ...procedureJson(result.procedure, request.ctx.tenant!.slug), revision: result.revision, created: result.created };
    },
  );

  api.post(
    '/api/v1/:tenant/procedures/:procedure/close',
    { schema: { ...doc('Clore une démarche (plus de nouveaux dossiers)', 'procedures'), params: Params } },
    async (request) => {
      const p = principalOf(request.ctx);
      const ref = request.params.procedure;
      await closeProcedure(db, p, ref);
      return db.transaction(p.tenantId, async (tx) => procedureJson((await findProcedure(tx, ref))!, request.ctx.tenant!.slug));
    },
  );

  api.get(
    '/api/v1/:tenant/procedures/:procedure/export',
    { schema: { ...doc('Exporter la définition (JSON)', 'procedures'), params: Params } },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      const doc = await exportDefinition(db, p, request.params.procedure);
      return reply.header('content-disposition', `attachment; filename="${doc.procedure.slug}.json"`).send(doc.document);
    },
  );

  api.post('/api/v1/:tenant/procedures/import', { schema: doc('Importer une définition (brouillon)', 'procedures') }, async (request, reply) => {
    const p = principalOf(request.ctx);
    const procedure = await importDefinition(db, p, request.body);
    return reply.code(201).send(procedureJson(procedure, request.ctx.tenant!.slug));
  });

  api.post(
    '/api/v1/:tenant/procedures/:procedure/offer',
    {
      schema: { ...doc('Proposer la démarche aux collectivités membres', 'procedures'), params: Params, body: OfferBody },
    },
    async (request) => {
      const p = principalOf(request.ctx);
      requireDesigner(p);
      return { offered: await offerToMembers(deps, p, request.params.procedure, request.body.tenants) };
    },
  );
}

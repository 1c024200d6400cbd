// API: the agents' list of dossiers (filters, full-text search, sort, pages, counts per state) and one
// dossier with its history, messages and files. Both see only the dossiers of the agent's scope
// (procedures.policy.ts): the list through dossierScope, the dossier through loadVisibleDossier.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { typed } from '../../../../core/http/typebox.ts';
import { doc } from '../api-doc.ts';
import { dossierScope, loadVisibleDossier, principalOf, requireAgent } from '../../procedures.policy.ts';
import { findProcedure } from '../../procedures.repository.ts';
import { listAttachments, listMessages, listTransitions } from '../../dossiers.repository.ts';
import { countByState, INBOX_SORTS, listInbox, type InboxSort } from '../../inbox.repository.ts';
import { isDossierState, type DossierState } from '../../dossier-states.ts';
import { dossierJson, NumberParams } from './dossier-json.ts';

const ListQuery = Type.Object(
  {
    procedure: Type.Optional(Type.String()),
    state: Type.Optional(Type.String({ description: 'États, séparés par des virgules' })),
    q: Type.Optional(Type.String({ description: 'Recherche plein texte en français, ou un numéro' })),
    group: Type.Optional(Type.String()),
    assignee: Type.Optional(Type.String({ description: 'Identifiant de personne, ou none' })),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    labels: Type.Optional(Type.String()),
    sort: Type.Optional(Type.String()),
    counts: Type.Optional(Type.String()),
    page: Type.Optional(Type.String()),
    per_page: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
// The list's answer, declared for /api/openapi.json (api-inbox.test.ts checks real answers against it).
// Written by JSON.stringify, not by the serialiser Fastify would compile from the schema: measured on a
// page of 50, the compiled one allocated about 110 KB per answer against 26 KB, mostly while building
// each date string piece by piece, and was no faster (docs/performance.md §3).
const nullable = (schema: { type: string; format?: string }) => Type.Unsafe<unknown>({ ...schema, type: [schema.type, 'null'] });
const InboxItemJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  procedure_id: Type.String({ format: 'uuid' }),
  procedure_title: Type.String(),
  state: Type.String(),
  group_id: nullable({ type: 'string', format: 'uuid' }),
  assignee_id: nullable({ type: 'string', format: 'uuid' }),
  labels: Type.Array(Type.String()),
  applicant_email: nullable({ type: 'string' }),
  submitted_at: nullable({ type: 'string', format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
const InboxPageJson = Type.Object({
  items: Type.Array(InboxItemJson),
  total: Type.Integer(),
  total_capped: Type.Boolean({ description: 'Vrai quand il y a plus de dossiers que total (le comptage s’arrête à 1 000)' }),
  page: Type.Integer(),
  per_page: Type.Integer(),
  counts: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'Dossiers par état (counts=1), chaque nombre plafonné à 1 000' })),
});
export function registerDossierListApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.get(
    '/api/v1/:tenant/dossiers',
    {
      schema: { ...doc('Lister les dossiers (filtres, recherche, pages)', 'dossiers'), querystring: ListQuery, response: { 200: InboxPageJson } },
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    },
    async (request) => {
      const p = principalOf(request.ctx);
      requireAgent(p);
      const q = request.query;
      const states = (q.state ?? '').split(',').filter(Boolean);
      if (!states.every(isDossierState)) throw unprocessable({ state: [p.t('procedures.field.choice')] });
      const dates = (['from', 'to'] as const).filter((k) => q[k] && !/^\d{4}-\d{2}-\d{2}$/.test(q[k]!));
      if (dates.length) throw unprocessable(Object.fromEntries(dates.map((k) => [k, [p.t('procedures.field.date')]])));
      if (q.sort && !(INBOX_SORTS as readonly string[]).includes(q.sort)) throw unprocessable({ sort: [p.t('procedures.field.choice')] });
      return db.transaction(p.tenantId, async (tx) => {
        let procedureId: string | null = null;
        if (q.procedure) {
          const procedure = await findProcedure(tx, q.procedure);
          if (!procedure) throw notFound();
          procedureId = procedure.id;
        }
        const scope = await dossierScope(tx, p);
        const filter = {
          procedureId,
          states: states as DossierState[],
          q: q.q ?? null,
          sort: q.sort as InboxSort | undefined,
          groupId: isUuid(q.group) ? q.group : null,
          assignee: q.assignee === 'none' || isUuid(q.assignee) ? q.assignee : null,
          submittedFrom: q.from ?? null,
          submittedTo: q.to ?? null,
          labels: (q.labels ?? '').split(',').filter(Boolean).slice(0, 20),
          page: Number(q.page) || 1,
          perPage: Number(q.per_page) || 50,
        };
        const page = await listInbox(tx, scope, filter);
        const counts = q.counts === 'true' || q.counts === '1' ? await countByState(tx, scope, filter) : undefined;
        return { items: page.items, total: page.total, total_capped: page.totalCapped, page: page.page, per_page: page.perPage, ...(counts ? { counts } : {}) };
      });
    },
  );

  api.get(
    '/api/v1/:tenant/dossiers/:number',
    { schema: { ...doc('Lire un dossier, son historique et ses messages', 'dossiers'), params: NumberParams } },
    async (request) => {
      const p = principalOf(request.ctx);
      return db.transaction(p.tenantId, async (tx) => {
        const d = await loadVisibleDossier(tx, p, Number(request.params.number));
        const procedure = (await findProcedure(tx, d.procedure_id))!;
        return {
          ...dossierJson(d),
          procedure: procedure.slug,
          history: await listTransitions(tx, d.id),
          messages: await listMessages(tx, d.id, { includePrivate: true }),
          attachments: await listAttachments(tx, d.id),
        };
      });
    },
  );
}

// API: filing dossiers (JSON or multipart with attachments, Idempotency-Key), the agents' list, a
// dossier with its history and messages, state changes, messages, notes, assignment, labels, bulk moves.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../../../core/module.ts';
import { doc } from '../api-doc.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { dossierScope, loadVisibleDossier, principalOf, requireAgent } from '../../procedures.policy.ts';
import { findProcedure, findRevision } from '../../procedures.repository.ts';
import { listAttachments, listMessages, listTransitions, type DossierRow } from '../../dossiers.repository.ts';
import { countByState, INBOX_SORTS, listInbox, type InboxSort } from '../../inbox.repository.ts';
import { isDossierState, type DossierState } from '../../dossier-states.ts';
import { submitDossier } from '../../actions/submit-dossier.ts';
import { bulkTransition, transitionDossier } from '../../actions/transition-dossier.ts';
import { agentMessage } from '../../actions/dossier-messages.ts';
import { assignDossier, setLabels } from '../../actions/assign-dossier.ts';
import { readPostedForm, firstValue, withUploadCleanup } from '../form-body.ts';
import { filingClientOf, filingLimitOf } from '../../actions/filing-limit.ts';
import type { FileAnswer } from '../../fields/values.ts';

const NumberParams = Type.Object({ tenant: Type.String(), number: Type.String({ pattern: '^[0-9]{1,15}$' }) });
const ListQuery = Type.Object({
  procedure: Type.Optional(Type.String()), state: Type.Optional(Type.String({ description: 'États, séparés par des virgules' })),
  q: Type.Optional(Type.String({ description: 'Recherche plein texte en français, ou un numéro' })),
  group: Type.Optional(Type.String()), assignee: Type.Optional(Type.String({ description: 'Identifiant de personne, ou none' })),
  from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })),
  labels: Type.Optional(Type.String()), sort: Type.Optional(Type.String()), counts: Type.Optional(Type.String()),
  page: Type.Optional(Type.String()), per_page: Type.Optional(Type.String()),
}, { additionalProperties: true });
// The list's answer, declared for /api/openapi.json (api-inbox.test.ts checks real answers against it).
// Written by JSON.stringify, not by the serialiser Fastify would compile from the schema: measured on a
// page of 50, the compiled one allocated about 110 KB per answer against 26 KB, mostly while building
// each date string piece by piece, and was no faster (docs/performance.md §3).
const nullable = (schema: { type: string; format?: string }) => Type.Unsafe<unknown>({ ...schema, type: [schema.type, 'null'] });
const InboxItemJson = Type.Object({
  id: Type.String({ format: 'uuid' }), number: Type.Integer(), procedure_id: Type.String({ format: 'uuid' }), procedure_title: Type.String(),
  state: Type.String(), group_id: nullable({ type: 'string', format: 'uuid' }), assignee_id: nullable({ type: 'string', format: 'uuid' }),
  labels: Type.Array(Type.String()), applicant_email: nullable({ type: 'string' }),
  submitted_at: nullable({ type: 'string', format: 'date-time' }), updated_at: Type.String({ format: 'date-time' }),
});
const InboxPageJson = Type.Object({
  items: Type.Array(InboxItemJson), total: Type.Integer(),
  total_capped: Type.Boolean({ description: 'Vrai quand il y a plus de dossiers que total (le comptage s’arrête à 1 000)' }),
  page: Type.Integer(), per_page: Type.Integer(),
  counts: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'Dossiers par état (counts=1), chaque nombre plafonné à 1 000' })),
});
const TransitionBody = Type.Object({ to: Type.String(), motivation: Type.Optional(Type.String()) });

export function dossierJson(d: DossierRow) {
  return {
    id: d.id, number: d.number, state: d.state, procedure_id: d.procedure_id, revision: d.revision, group_id: d.group_id,
    assignee_id: d.assignee_id, labels: d.labels, applicant_email: d.applicant_email, mediation: d.mediation, data: d.data,
    created_at: d.created_at, submitted_at: d.submitted_at, instructed_at: d.instructed_at, decided_at: d.decided_at,
    motivation: d.motivation,
  };
}

const numberOf = (request: FastifyRequest) => Number((request.params as { number: string }).number);

export function registerDossierApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;

  app.post('/api/v1/:tenant/procedures/:procedure/dossiers', {
    schema: { ...doc('Déposer un dossier (invité avec email, ou jeton ; JSON ou multipart avec pièces jointes)', 'dossiers'), body: Type.Object({ email: Type.Optional(Type.String()), data: Type.Unknown() }, { additionalProperties: true }) },
    validatorCompiler: () => () => true,
  }, withUploadCleanup(async (request, reply) => {
    const p = principalOf(request.ctx);
    // Counted before any file is read (the action counts this request once: filing-limit.ts).
    const client = filingClientOf(request);
    filingLimitOf(db).hit(p, client);
    const ref = (request.params as { procedure: string }).procedure;
    const header = request.headers['idempotency-key'];
    let body = (request.body ?? {}) as { email?: unknown; data?: unknown; mediation?: unknown };
    let files: Record<string, FileAnswer[]> | undefined;
    if (request.isMultipart()) {
      const fields = await db.transaction(p.tenantId, async (tx) => {
        const procedure = await findProcedure(tx, ref);
        if (!procedure?.current_revision || procedure.state !== 'published') throw notFound(p.t('procedures.error.not_published'));
        return (await findRevision(tx, procedure.id, procedure.current_revision))!.definition.fields;
      });
      const form = await readPostedForm(request, deps, p.tenantId, fields, p.t);
      if (Object.keys(form.fileErrors).length) throw unprocessable(form.fileErrors);
      let data: unknown;
      try { data = JSON.parse(firstValue(form.body, 'data') || '{}'); } catch { throw unprocessable({ data: [p.t('procedures.field.not_object')] }); }
      body = { email: firstValue(form.body, 'email') || undefined, data };
      files = form.files;
    }
    const result = await submitDossier(deps, p, {
      procedure: ref, data: body.data, email: body.email, files,
      idempotencyKey: typeof header === 'string' ? header : null,
      mediation: body.mediation && typeof body.mediation === 'object' ? body.mediation as Record<string, unknown> : null,
      client,
    });
    const slug = request.ctx.tenant!.slug;
    if (!result.created) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send({
      ...dossierJson(result.dossier), procedure: result.procedure.slug,
      ...(result.trackingCode ? { tracking_code: result.trackingCode, tracking_url: `/${slug}/dossiers/${result.dossier.number}?code=${result.trackingCode}` } : {}),
    });
  }));

  app.get('/api/v1/:tenant/dossiers', { schema: { ...doc('Lister les dossiers (filtres, recherche, pages)', 'dossiers'), querystring: ListQuery, response: { 200: InboxPageJson } }, serializerCompiler: () => (data: unknown) => JSON.stringify(data) }, async (request) => {
    const p = principalOf(request.ctx);
    requireAgent(p);
    const q = request.query as Record<string, string | undefined>;
    const states = (q.state ?? '').split(',').filter(Boolean);
    if (!states.every(isDossierState)) throw unprocessable({ state: [p.t('procedures.field.choice')] });
    const dates = ['from', 'to'].filter((k) => q[k] && !/^\d{4}-\d{2}-\d{2}$/.test(q[k]!));
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
        procedureId, states: states as DossierState[], q: q.q ?? null, sort: q.sort as InboxSort | undefined,
        groupId: isUuid(q.group) ? q.group : null, assignee: q.assignee === 'none' || isUuid(q.assignee) ? q.assignee : null,
        submittedFrom: q.from ?? null, submittedTo: q.to ?? null, labels: (q.labels ?? '').split(',').filter(Boolean).slice(0, 20),
        page: Number(q.page) || 1, perPage: Number(q.per_page) || 50,
      };
      const page = await listInbox(tx, scope, filter);
      const counts = q.counts === 'true' || q.counts === '1' ? await countByState(tx, scope, filter) : undefined;
      return { items: page.items, total: page.total, total_capped: page.totalCapped, page: page.page, per_page: page.perPage, ...(counts ? { counts } : {}) };
    });
  });

  app.get('/api/v1/:tenant/dossiers/:number', { schema: { ...doc('Lire un dossier, son historique et ses messages', 'dossiers'), params: NumberParams } }, async (request) => {
    const p = principalOf(request.ctx);
    return db.transaction(p.tenantId, async (tx) => {
      const d = await loadVisibleDossier(tx, p, numberOf(request));
      const procedure = (await findProcedure(tx, d.procedure_id))!;
      return {
        ...dossierJson(d), procedure: procedure.slug,
        history: await listTransitions(tx, d.id),
        messages: await listMessages(tx, d.id, { includePrivate: true }),
        attachments: await listAttachments(tx, d.id),
      };
    });
  });

  app.post('/api/v1/:tenant/dossiers/:number/transitions', { schema: { ...doc('Changer l’état d’un dossier', 'dossiers'), params: NumberParams, body: TransitionBody } }, async (request) => {
    const p = principalOf(request.ctx);
    const d = await transitionDossier(db, p, numberOf(request), request.body as { to: string; motivation?: string });
    return dossierJson(d);
  });

  app.post('/api/v1/:tenant/dossiers/transitions', {
    schema: { ...doc('Changer l’état de plusieurs dossiers', 'dossiers'), body: Type.Object({ numbers: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }), to: Type.String(), motivation: Type.Optional(Type.String()) }) },
  }, async (request) => {
    const p = principalOf(request.ctx);
    const body = request.body as { numbers: number[]; to: string; motivation?: string };
    return bulkTransition(db, p, body.numbers, body);
  });

  for (const kind of ['messages', 'notes'] as const) {
    app.post(`/api/v1/:tenant/dossiers/:number/${kind}`, {
      schema: { ...doc(kind === 'messages' ? 'Écrire à l’usager' : 'Ajouter une annotation privée', 'dossiers'), params: NumberParams, body: Type.Object({ body: Type.String() }) },
      validatorCompiler: () => () => true,
    }, async (request, reply) => {
      const p = principalOf(request.ctx);
      requireAgent(p);
      let text: unknown = (request.body as { body?: unknown } | undefined)?.body;
      let files: FileAnswer[] = [];
      if (request.isMultipart()) {
        const form = await readPostedForm(request, deps, p.tenantId, [], p.t, ['file', 'files']);
        if (Object.keys(form.fileErrors).length) throw unprocessable(form.fileErrors);
        text = firstValue(form.body, 'body');
        files = [...(form.files.file ?? []), ...(form.files.files ?? [])];
      }
      const message = await agentMessage(db, p, numberOf(request), { body: text, files, private: kind === 'notes' });
      return reply.code(201).send(message);
    });
  }

  app.put('/api/v1/:tenant/dossiers/:number/assignee', {
    schema: { ...doc('Attribuer un dossier', 'dossiers'), params: NumberParams, body: Type.Object({ assignee: Type.Union([Type.String(), Type.Null()]) }) },
  }, async (request) => {
    const p = principalOf(request.ctx);
    return dossierJson(await assignDossier(db, p, numberOf(request), (request.body as { assignee: string | null }).assignee));
  });

  app.put('/api/v1/:tenant/dossiers/:number/labels', {
    schema: { ...doc('Étiqueter un dossier', 'dossiers'), params: NumberParams, body: Type.Object({ labels: Type.Array(Type.String()) }) },
  }, async (request) => {
    const p = principalOf(request.ctx);
    return dossierJson(await setLabels(db, p, numberOf(request), (request.body as { labels: string[] }).labels));
  });
}

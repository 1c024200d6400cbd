// API of the archives (archivist token, or staff token for the communicable units only):
//   GET  /api/v1/<slug>/archives/units?q=&page=&per_page=&rule=&from=&to=   search
//   GET  /api/v1/<slug>/archives/units/<id>                                  a unit, its effective rules and objects
//   POST /api/v1/<slug>/archives/units   (multipart: description fields + `file` parts)   ingest → 201
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { notFound, unprocessable } from '../../../core/base/errors.ts';
import { typed } from '../../../core/http/typebox.ts';
import { isArchivist, principalOf, requireArchivist, requireStaff, today } from '../archives.policy.ts';
import { listObjects, searchUnits } from '../archives.repository.ts';
import { loadUnitView } from '../actions/unit-view.ts';
import { receiveUpload } from './upload.ts';

// Summary and tag for the generated OpenAPI document (Fastify's schema type does not declare them).
const doc = (summary: string): object => ({ summary, tags: ['archives'] });

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ description: 'Recherche plein texte en français (titre, description, mots-clés)' })),
    page: Type.Optional(Type.String()),
    per_page: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String({ description: 'Code d’une règle portée par l’unité' })),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: true },
);

const nullable = (schema: { type: string; format?: string; description?: string }) => Type.Unsafe<unknown>({ ...schema, type: [schema.type, 'null'] });
const UnitItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  level: Type.String(),
  parent_id: nullable({ type: 'string', format: 'uuid' }),
  start_date: nullable({ type: 'string', format: 'date' }),
  end_date: nullable({ type: 'string', format: 'date' }),
  keywords: Type.Array(Type.String()),
  originating_agency: Type.String(),
  access_end: nullable({ type: 'string', description: 'Date de communicabilité (infinity : jamais)' }),
  appraisal_end: nullable({ type: 'string' }),
  appraisal_final: nullable({ type: 'string' }),
  objects: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});
const UnitPage = Type.Object({ items: Type.Array(UnitItem), total: Type.Integer(), page: Type.Integer(), per_page: Type.Integer() });

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerArchivesApi(app: FastifyInstance, deps: AppDeps): void {
  const api = typed(app);

  api.get(
    '/api/v1/:tenant/archives/units',
    { schema: { ...doc('Rechercher des unités d’archives'), querystring: ListQuery, response: { 200: UnitPage } } },
    async (request) => {
      const p = principalOf(request.ctx);
      requireStaff(p);
      const q = request.query;
      const page = /^\d{1,5}$/.test(q.page ?? '') && Number(q.page) > 0 ? Number(q.page) : 1;
      const perPage = /^\d{1,3}$/.test(q.per_page ?? '') ? Math.min(100, Math.max(1, Number(q.per_page))) : 20;
      const bad = (['from', 'to'] as const).filter((k) => q[k] && !DATE.test(q[k]));
      if (bad.length) throw unprocessable(Object.fromEntries(bad.map((k) => [k, [p.t('archives.error.date')]])));
      const { rows, total } = await deps.db.transaction(p.tenantId, (tx) =>
        searchUnits(tx, {
          q: (q.q ?? '').slice(0, 500).trim() || undefined,
          rule: q.rule?.slice(0, 64) || undefined,
          from: q.from,
          to: q.to,
          // Staff who are not archivists never see a unit that is not communicable today.
          communicableOn: isArchivist(p) ? undefined : today(),
          limit: perPage,
          offset: (page - 1) * perPage,
        }),
      );
      return {
        items: rows.map((u) => ({
          id: u.id,
          title: u.title,
          level: u.level,
          parent_id: u.parent_id,
          start_date: u.start_date,
          end_date: u.end_date,
          keywords: u.keywords,
          originating_agency: u.originating_agency,
          access_end: u.access_end,
          appraisal_end: u.appraisal_end,
          appraisal_final: u.appraisal_final,
          objects: u.object_count,
          created_at: u.created_at,
        })),
        total,
        page,
        per_page: perPage,
      };
    },
  );

  api.get('/api/v1/:tenant/archives/units/:id', { schema: doc('Une unité d’archives : métadonnées, règles effectives, objets') }, async (request) => {
    const p = principalOf(request.ctx);
    requireStaff(p);
    const { id } = request.params as { id: string };
    const view = await loadUnitView(deps.db, p, id);
    if (!view) throw notFound();
    // The first 1,000 objects; `object_count` says how many the unit holds.
    const objects = await deps.db.transaction(p.tenantId, (tx) => listObjects(tx, view.unit.id, 1000));
    return { ...view.unit, effective_rules: view.rules, objects };
  });

  api.post('/api/v1/:tenant/archives/units', { schema: doc('Verser des documents avec leur description (multipart)') }, async (request, reply) => {
    const p = principalOf(request.ctx);
    requireArchivist(p);
    const { result } = await receiveUpload(deps, request, p);
    return reply.code(201).send({ id: result.units[0]!.id, ingest: result.id, units: result.units, objects: result.objects });
  });
}

// API of a collectivité's funding (tags funding-matching, funding-applications):
//   GET  /api/v1/<slug>/roadmap/projects/<project>/programmes      ranked programmes with reasons (published project: anyone; draft: staff)
//   GET  /api/v1/<slug>/roadmap/projects/<project>/applications    its applications and funding plan (staff)
//   POST /api/v1/<slug>/roadmap/projects/<project>/applications    {programme, status, amount_asked, …} (tenant_admin) → 201
//   PUT  /api/v1/<slug>/roadmap/applications/<id>                  amounts, dates, status (tenant_admin)
//   POST /api/v1/<slug>/roadmap/applications/<id>/documents        multipart `file`: a document (tenant_admin) → 201
//   GET  /api/v1/<slug>/roadmap/funding-plan                       the roadmap's plan (staff: all; others: obtained on published projects)
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { forbidden, notFound } from '../../../../core/base/errors.ts';
import { typed, validateJsonBodies } from '../../../../core/http/typebox.ts';
import { principalOf, readsDrafts } from '../../roadmap.policy.ts';
import { findProject } from '../../projects.repository.ts';
import { listApplications, type ApplicationRow } from '../applications.repository.ts';
import { createApplication, updateApplication } from '../actions/applications.ts';
import { matchProgrammesFor, matchProjectOf } from '../match.ts';
import { reasonText } from '../matching.ts';
import { fundingPlan } from '../plan.ts';
import { today } from '../programme-search.ts';
import { euros } from '../views/format.ts';
import { doc, MatchItem } from './api-schemas.ts';
import { storeApplicationDocument } from './documents.ts';

const nullable = (type: string) => Type.Unsafe<unknown>({ type: [type, 'null'] });
const ApplicationBody = Type.Object(
  {
    status: Type.Optional(Type.String({ description: 'planned, submitted, granted, refused or withdrawn' })),
    amount_asked: Type.Integer({ description: 'Whole euros' }),
    amount_granted: Type.Optional(nullable('integer')),
    amount_paid: Type.Optional(nullable('integer')),
    submitted_on: Type.Optional(nullable('string')),
    decided_on: Type.Optional(nullable('string')),
    paid_on: Type.Optional(nullable('string')),
    notes: Type.Optional(Type.String({ maxLength: 10000 })),
  },
  { additionalProperties: false },
);
const NewApplicationBody = Type.Composite([Type.Object({ programme: Type.String({ maxLength: 80, description: 'Slug of the programme' }) }), ApplicationBody], {
  additionalProperties: false,
});
const ProjectParams = Type.Object({ tenant: Type.String(), project: Type.String({ maxLength: 80 }) });
const IdParams = Type.Object({ tenant: Type.String(), id: Type.String({ maxLength: 40 }) });
// Described for OpenAPI only: the route reads the multipart parts itself (core/http/receive-upload.ts).
const DocumentUpload = Type.Object({
  file: Type.String({
    format: 'binary',
    description: 'PDF, PNG, JPEG, OpenDocument text or Word, typed from its content; 10 MB at most by default (BASTIDE_FUNDING_MAX_UPLOAD_MB)',
  }),
});
const DocumentItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  content_type: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
});

export function applicationJson(a: ApplicationRow) {
  return {
    id: a.id,
    project: a.project_slug,
    programme: a.programme_slug,
    programme_name: a.programme_name,
    funder: a.funder,
    status: a.status,
    amount_asked: a.amount_asked,
    amount_granted: a.amount_granted,
    amount_paid: a.amount_paid,
    submitted_on: a.submitted_on,
    decided_on: a.decided_on,
    paid_on: a.paid_on,
    notes: a.notes,
  };
}

export function registerApplicationsApi(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const api = typed(app);

  api.get(
    '/api/v1/:tenant/roadmap/projects/:project/programmes',
    {
      schema: {
        ...doc('Programmes mobilisables pour un projet, classés, avec leurs raisons', 'funding-matching'),
        params: ProjectParams,
        response: { 200: Type.Object({ items: Type.Array(MatchItem) }) },
      },
    },
    async (request) => {
      const p = principalOf(request.ctx);
      const tenant = request.ctx.tenant!;
      const matches = await db.transaction(p.tenantId, async (tx) => {
        const project = await findProject(tx, request.params.project, { publishedOnly: !readsDrafts(p) });
        if (!project) throw notFound();
        // Programmes it applied to are listed too (closed since, perhaps), with their reasons; amounts asked stay out of this answer.
        const applied = (await listApplications(tx, { projectId: project.id })).map((a) => a.programme_id);
        return matchProgrammesFor(tx, matchProjectOf(tenant, project), today(), applied);
      });
      return {
        items: matches.map((m) => ({
          programme: { slug: m.programme.slug, name: m.programme.name, funder: m.programme.funder },
          eligible: m.eligible,
          expected: m.expected,
          reasons: m.reasons.map((r) => ({ criterion: r.criterion, ok: r.ok, text: reasonText(p.t, r, (n) => euros(request.ctx, n)) })),
        })),
      };
    },
  );

  api.get(
    '/api/v1/:tenant/roadmap/projects/:project/applications',
    { schema: { ...doc('Les candidatures d’un projet et son plan de financement', 'funding-applications'), params: ProjectParams } },
    async (request) => {
      const p = principalOf(request.ctx);
      if (!readsDrafts(p)) throw forbidden();
      const rows = await db.transaction(p.tenantId, async (tx) => {
        const project = await findProject(tx, request.params.project);
        if (!project) throw notFound();
        return listApplications(tx, { projectId: project.id });
      });
      return { items: rows.map(applicationJson), plan: fundingPlan(rows) };
    },
  );

  api.post(
    '/api/v1/:tenant/roadmap/projects/:project/applications',
    { schema: { ...doc('Enregistrer la candidature d’un projet à un programme', 'funding-applications'), params: ProjectParams, body: NewApplicationBody } },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      const { programme, ...fields } = request.body;
      const created = await createApplication(db, p, request.params.project, programme, fields);
      return reply.code(201).send(created);
    },
  );

  api.put(
    '/api/v1/:tenant/roadmap/applications/:id',
    { schema: { ...doc('Modifier une candidature : état, montants, dates', 'funding-applications'), params: IdParams, body: ApplicationBody } },
    async (request) => {
      const p = principalOf(request.ctx);
      await updateApplication(db, p, request.params.id, request.body);
      return { id: request.params.id };
    },
  );

  api.post(
    '/api/v1/:tenant/roadmap/applications/:id/documents',
    {
      schema: {
        ...doc('Joindre un document à une candidature (multipart : file)', 'funding-applications'),
        description:
          'Même contrôle que la page : le type est lu dans le contenu, la taille bornée ; un fichier refusé ne laisse rien (422 sur « file »). 415 hors multipart.',
        params: IdParams,
        consumes: ['multipart/form-data'],
        body: DocumentUpload,
        response: { 201: DocumentItem },
      },
      // A JSON body is checked against the schema (then refused 415); the multipart parts are read by the route.
      validatorCompiler: validateJsonBodies,
    },
    async (request, reply) => {
      const p = principalOf(request.ctx);
      const document = await storeApplicationDocument(deps, request, p, request.params.id);
      return reply.code(201).send(document);
    },
  );

  api.get('/api/v1/:tenant/roadmap/funding-plan', { schema: doc('Le plan de financement de la feuille de route', 'funding-applications') }, async (request) => {
    const p = principalOf(request.ctx);
    const staff = readsDrafts(p);
    const rows = await db.transaction(p.tenantId, (tx) => listApplications(tx, { publishedOnly: !staff }));
    // Outside the staff, only what was obtained on published projects: amounts asked are the collectivité's business.
    const visible = staff ? rows : rows.filter((a) => a.status === 'granted');
    return { plan: fundingPlan(visible), items: staff ? visible.map(applicationJson) : [] };
  });
}

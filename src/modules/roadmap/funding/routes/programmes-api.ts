// API of funding programmes (read by anyone; written by the host operator's token only):
//   GET  /api/v1/<slug>/roadmap/programmes?q=&theme=&audience=&nature=&open=1&page=   search
//   GET  /api/v1/<slug>/roadmap/programmes/<programme>                                one programme
//   POST /api/v1/<slug>/roadmap/programmes          (host operator)                  create → 201
//   PUT  /api/v1/<slug>/roadmap/programmes/<programme>  (host operator)              replace its fields
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { typed } from '../../../../core/http/typebox.ts';
import { findProgramme, searchProgrammes, type ProgrammeRow } from '../programmes.repository.ts';
import { createProgramme, hostPrincipalOf, updateProgramme } from '../actions/programmes.ts';
import { searchOf } from '../programme-search.ts';
import { doc, ProgrammeBody, ProgrammeItem, ProgrammePage, ProgrammeQuery } from './api-schemas.ts';

export function programmeJson(p: ProgrammeRow) {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    funder: p.funder,
    nature: p.nature,
    description: p.description,
    audiences: p.audiences,
    territory: p.territory,
    themes: p.themes,
    population_min: p.population_min,
    population_max: p.population_max,
    max_rate: p.max_rate,
    max_amount: p.max_amount,
    opens_on: p.opens_on,
    closes_on: p.closes_on,
    recurrence: p.recurrence,
    url: p.url,
  };
}

export const PER_PAGE = 20;

export function registerProgrammesApi(app: FastifyInstance, deps: AppDeps): void {
  const api = typed(app);

  api.get(
    '/api/v1/:tenant/roadmap/programmes',
    { schema: { ...doc('Rechercher des programmes de financement'), querystring: ProgrammeQuery, response: { 200: ProgrammePage } } },
    async (request) => {
      const { search, page } = searchOf(request.query, PER_PAGE);
      const { rows, total } = await deps.db.transaction(null, (tx) => searchProgrammes(tx, search));
      return { items: rows.map(programmeJson), total, page, per_page: PER_PAGE };
    },
  );

  api.get(
    '/api/v1/:tenant/roadmap/programmes/:programme',
    { schema: { ...doc('Un programme de financement'), response: { 200: ProgrammeItem } } },
    async (request) => {
      const slug = (request.params as { programme: string }).programme;
      const row = /^[a-z0-9-]{1,80}$/.test(slug) ? await deps.db.transaction(null, (tx) => findProgramme(tx, slug)) : null;
      if (!row) throw notFound();
      return programmeJson(row);
    },
  );

  api.post(
    '/api/v1/:tenant/roadmap/programmes',
    { schema: { ...doc('Créer un programme de financement (équipe d’hébergement)'), body: ProgrammeBody } },
    async (request, reply) => {
      const p = await hostPrincipalOf(deps.db, request);
      const created = await createProgramme(deps.db, p, request.body);
      return reply.code(201).send(created);
    },
  );

  api.put(
    '/api/v1/:tenant/roadmap/programmes/:programme',
    { schema: { ...doc('Modifier un programme de financement (équipe d’hébergement)'), body: ProgrammeBody } },
    async (request) => {
      const p = await hostPrincipalOf(deps.db, request);
      const slug = (request.params as { programme: string }).programme;
      if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw notFound();
      await updateProgramme(deps.db, p, slug, request.body);
      return { slug };
    },
  );
}

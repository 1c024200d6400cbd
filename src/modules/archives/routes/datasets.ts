// A dataset version sent to the archives (archivist token):
//   POST /api/v1/<slug>/archives/datasets {version, appraisal_rule?, access_rule?} → 201 {id, unit, units, objects}
//   404 for a version this collectivité does not have, 409 when the version is already filed.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import type { AppDeps } from '../../../core/module.ts';
import { principalOf } from '../archives.policy.ts';
import { archiveDatasetVersion } from '../actions/archive-dataset.ts';

const Body = Type.Object(
  {
    version: Type.String({ maxLength: 64, description: 'Identifiant de la version de ressource du catalogue' }),
    appraisal_rule: Type.Optional(Type.String({ maxLength: 64, description: 'Règle de DUA (code de la bibliothèque) ; aucune par défaut' })),
    access_rule: Type.Optional(Type.String({ maxLength: 64, description: 'Règle de communicabilité ; ACC-00, ou ACC-50 si données personnelles' })),
  },
  { additionalProperties: false },
);

export function registerDatasetArchiveApi(app: FastifyInstance, deps: AppDeps): void {
  typed(app).post(
    '/api/v1/:tenant/archives/datasets',
    { schema: { summary: 'Verser une version de jeu de données aux archives (métadonnées DCAT)', tags: ['archives'], body: Body } },
    async (request, reply) => {
      const result = await archiveDatasetVersion(deps, principalOf(request.ctx), request.body);
      return reply.code(201).send(result);
    },
  );
}

// A dataset version sent to the archives (archivist token):
//   POST /api/v1/<slug>/archives/datasets {version, appraisal_rule?, access_rule?} → 201 {id, unit, units, objects}
//   404 for a version this collectivité does not have, 409 when the version is already filed.
// The same from the catalogue's staff dataset page (its "send to the archives" button, archivists only):
//   POST /<slug>/admin/archives/jeux-de-donnees (form: version) → 303 to the new unit's page.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../core/http/typebox.ts';
import type { AppDeps } from '../../../core/module.ts';
import { principalOf } from '../archives.policy.ts';
import { archiveDatasetVersion } from '../actions/archive-dataset.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { requireTenant } from '../../../core/base/context.ts';

const Body = Type.Object(
  {
    version: Type.String({ maxLength: 64, description: 'Identifiant de la version de ressource du catalogue' }),
    appraisal_rule: Type.Optional(Type.String({ maxLength: 64, description: 'Règle de DUA (code de la bibliothèque) ; aucune par défaut' })),
    access_rule: Type.Optional(Type.String({ maxLength: 64, description: 'Règle de communicabilité ; ACC-00, ou ACC-50 si données personnelles' })),
  },
  { additionalProperties: false },
);

const FormBody = Type.Object({ version: Type.String({ maxLength: 64 }), _csrf: Type.Optional(Type.String()) }, { additionalProperties: true });

export function registerDatasetArchiveApi(app: FastifyInstance, deps: AppDeps): void {
  typed(app).post('/:tenant/admin/archives/jeux-de-donnees', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    requireRoles(request, 'archivist');
    const result = await archiveDatasetVersion(deps, principalOf(request.ctx), { version: request.body.version });
    return reply.redirect(`/${requireTenant(request).slug}/admin/archives/unites/${result.unit}?notice=dataset_filed`, 303);
  });
  typed(app).post(
    '/api/v1/:tenant/archives/datasets',
    { schema: { summary: 'Verser une version de jeu de données aux archives (métadonnées DCAT)', tags: ['archives'], body: Body } },
    async (request, reply) => {
      const result = await archiveDatasetVersion(deps, principalOf(request.ctx), request.body);
      return reply.code(201).send(result);
    },
  );
}

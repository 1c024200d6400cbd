// A stable address for the demo deposit's first unit (the page tour needs one; unit ids are random):
// /<slug>/admin/archives/demonstration and …/demonstration/preuve redirect (303) to the root unit of the
// collectivité's demo deposit (seed.ts) and to its proof of integrity. 404 when there is none.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../core/module.ts';
import { requireTenant } from '../../../core/base/context.ts';
import { requireRoles } from '../../../core/auth/require.ts';
import { notFound } from '../../../core/base/errors.ts';
import { STAFF_ROLES } from '../../../core/base/roles.ts';
import { DEMO_REF } from '../seed.ts';

export function registerDemoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const demoUnit = async (request: FastifyRequest): Promise<string> => {
    requireRoles(request, STAFF_ROLES);
    const tenant = requireTenant(request);
    const row = await deps.db.transaction(tenant.id, (tx) =>
      tx.one<{ id: string }>(
        `select u.id from archives_units u join archives_ingests i on i.id = u.ingest_id
          where i.kind = 'upload' and i.source_ref = $1 and u.parent_id is null and u.eliminated_at is null order by u.created_at, u.title collate "C" limit 1`,
        [DEMO_REF],
      ),
    );
    if (!row) throw notFound();
    return `/${tenant.slug}/admin/archives/unites/${row.id}`;
  };
  app.get('/:tenant/admin/archives/demonstration', async (request, reply) => reply.redirect(await demoUnit(request), 303));
  app.get('/:tenant/admin/archives/demonstration/preuve', async (request, reply) => reply.redirect(`${await demoUnit(request)}/preuve`, 303));
}

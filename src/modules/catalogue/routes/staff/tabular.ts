// The staff's action on the tabular store: load a resource's newest valid version again (after a failed
// load, or to rebuild it). The page shows the load's progress (tabular/view.ts).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { principalOf } from '../../catalogue.policy.ts';
import { reloadResource } from '../../actions/load-version.ts';
import { seeOther } from '../../views/common.ts';
import { formOf, one } from '../shared.ts';

export function registerTabularStaff(app: FastifyInstance, deps: AppDeps): void {
  app.post('/:tenant/admin/donnees/:id/ressources/:rid/charger', async (request, reply) => {
    const tenant = requireTenant(request);
    requireRoles(request, ['data_steward']);
    const params = formOf(request.params);
    const id = one(params, 'id');
    await reloadResource(deps.db, principalOf(request.ctx), id, one(params, 'rid'));
    return seeOther(reply, `/${tenant.slug}/admin/donnees/${id}`, 'tabular_reload');
  });
}

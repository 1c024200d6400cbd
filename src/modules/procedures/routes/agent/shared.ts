// What the agent pages share: who may see them, and people's display names.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../../core/module.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { principalOf, type Principal } from '../../procedures.policy.ts';

const AGENT_ROLES = ['agent', 'procedure_admin'] as const;

/** The signed-in agent (or designer) of the request; 403 for anyone else. */
export function agent(request: FastifyRequest): Principal {
  requireRoles(request, AGENT_ROLES);
  return principalOf(request.ctx);
}

/** Display names of people (assignees, authors), keyed by id and by journal actor. */
export async function peopleNames(deps: AppDeps, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter(isUuid))];
  if (!unique.length) return {};
  const rows = await deps.db.transaction(null, (tx) =>
    tx.query<{ id: string; display_name: string; email: string }>('select id, display_name, email from people where id = any($1::uuid[])', [unique]),
  );
  return Object.fromEntries(
    rows.flatMap((r) => [
      [r.id, r.display_name || r.email],
      [`person:${r.id}`, r.display_name || r.email],
    ]),
  );
}

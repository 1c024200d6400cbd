// What every benchmark and fault test starts from: a collectivité with a published 20-field procedure,
// created through the module's own actions (so the rows are exactly what production writes).
import type { Database } from '../../src/core/db/database.ts';
import { createTenant } from '../../src/core/tenancy/create-tenant.ts';
import { createApiToken } from '../../src/core/auth/api-tokens.ts';
import { translator } from '../../src/core/i18n/i18n.ts';
import type { Role } from '../../src/core/base/roles.ts';
import type { ProcedureDefinition } from '../../src/modules/procedures/fields/definition.ts';
import { createProcedure, publishProcedure } from '../../src/modules/procedures/actions/create-procedure.ts';
import { FORM20 } from '../fixtures/form20.ts';

export interface BenchTenant {
  tenantId: string;
  slug: string;
  procedureId: string;
  procedureSlug: string;
  revision: number;
}

let counter = 0;

export async function createBenchTenant(db: Database, options: { slug?: string; definition?: ProcedureDefinition } = {}): Promise<BenchTenant> {
  counter += 1;
  const slug = options.slug ?? `banc-${process.pid}-${counter}`;
  const result = await createTenant(db, { kind: 'syndicate', name: `Banc d’essai ${slug}`, slug, actor: 'cli' });
  if (!result.ok) throw new Error(result.message);
  const tenantId = result.tenant.id;
  const admin = { tenantId, actor: 'cli', personId: null, viaToken: false, roles: ['tenant_admin'] as Role[], t: translator('fr') };
  const procedure = await createProcedure(db, admin, options.definition ?? FORM20);
  const published = await publishProcedure(db, admin, procedure.id);
  return { tenantId, slug, procedureId: procedure.id, procedureSlug: published.procedure.slug, revision: published.revision };
}

/** A bearer token of the collectivité (no person: acts for the whole collectivité). */
export async function benchToken(db: Database, tenantId: string, role: Role = 'agent'): Promise<string> {
  const { token } = await db.transaction(tenantId, (tx) => createApiToken(tx, { role, label: 'bench' }));
  return token;
}

export function submissionPath(t: BenchTenant): string {
  return `/api/v1/${t.slug}/procedures/${t.procedureSlug}/dossiers`;
}

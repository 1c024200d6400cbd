// Test support for the debates kits: a collectivité with its debates team, as a principal for the actions.
import type { Database } from '../../../src/core/db/database.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';
import { translator } from '../../../src/core/i18n/i18n.ts';
import type { Principal } from '../../../src/modules/debates/debates.policy.ts';
import type { Role } from '../../../src/core/base/roles.ts';
import { createTestTenant, createPerson, type TestPerson } from '../../helpers/app.ts';

export interface KitsTenant {
  tenant: Tenant;
  moderator: TestPerson;
  as: (roles?: Role[]) => Principal;
}

export async function kitsTenant(db: Database, input: Parameters<typeof createTestTenant>[1] = {}): Promise<KitsTenant> {
  const tenant = await createTestTenant(db, input);
  const moderator = await createPerson(db, { [tenant.id]: ['moderator'] });
  return {
    tenant,
    moderator,
    as: (roles: Role[] = ['moderator']) => ({
      tenantId: tenant.id,
      actor: `person:${moderator.id}`,
      personId: moderator.id,
      displayName: 'Modération',
      viaToken: false,
      roles,
      t: translator('fr'),
      address: null,
    }),
  };
}

export async function relate(db: Database, tenantId: string, relatedId: string, kind: 'member_of' | 'hosted_by' | 'network_member'): Promise<void> {
  await db.ownerTransaction((tx) =>
    tx.query('insert into tenant_relations (tenant_id, related_tenant_id, kind) values ($1, $2, $3)', [tenantId, relatedId, kind]),
  );
}

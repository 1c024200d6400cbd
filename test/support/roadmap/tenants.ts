// A collectivité ready for roadmap tests: its administrator's API token, an agent's, a citizen's browser
// session, and its slug — plus a helper to call the roadmap API.
import type { LightMyRequestResponse } from 'fastify';
import { apiToken, browserFor, createPerson, createTestTenant, type Browser, type TestApp } from '../../helpers/app.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';

export interface RoadmapTenant {
  tenant: Tenant;
  adminToken: string;
  agentToken: string;
  admin: Browser;
  agent: Browser;
  citizen: Browser;
  api: string;
}

export async function roadmapTenant(t: TestApp): Promise<RoadmapTenant> {
  const tenant = await createTestTenant(t.db);
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  return {
    tenant,
    adminToken: await apiToken(t, tenant.id, 'tenant_admin'),
    agentToken: await apiToken(t, tenant.id, 'agent'),
    admin: await browserFor(t, admin.id),
    agent: await browserFor(t, agent.id),
    citizen: await browserFor(t, citizen.id),
    api: `/api/v1/${tenant.slug}/roadmap`,
  };
}

export function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  token: string | null,
  payload?: unknown,
  locale = 'fr',
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': locale, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload: JSON.stringify(payload) } : {}),
  });
}

export const PROJECT = {
  title: 'Cloud souverain mutualisé',
  theme: 'hosting',
  stage: 'study',
  description: 'Héberger les applications métier dans un cloud public souverain.',
  start_on: '2021-03-01',
  end_on: '2023-12-31',
  budget_investment: 1200000,
  budget_operation: 150000,
};

// Shared by the procedures API tests: a tenant with its admin and agent tokens, a published procedure,
// and JSON request shortcuts. Test support only: imported by *.test.ts files, never by the app.
import type { LightMyRequestResponse } from 'fastify';
import { apiToken, createTestTenant, type TestApp } from '../../helpers/app.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';

export interface ApiTenant {
  tenant: Tenant;
  admin: string;
  agent: string;
}

export async function apiTenant(t: TestApp): Promise<ApiTenant> {
  const tenant = await createTestTenant(t.db);
  return { tenant, admin: await apiToken(t, tenant.id, 'procedure_admin'), agent: await apiToken(t, tenant.id, 'agent') };
}

export async function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  token: string | null,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    payload: payload === undefined ? undefined : JSON.stringify(payload),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
}

export const ROOM_DEFINITION = {
  title: 'Réservation de salle municipale',
  fields: [
    { key: 'salle', label: 'Salle', type: 'dropdown', options: ['Salle des fêtes', 'Petite salle'], required: true },
    { key: 'date', label: 'Date', type: 'date', required: true },
    { key: 'commune', label: 'Commune', type: 'commune', required: true },
    { key: 'objet', label: 'Objet de la réservation', type: 'textarea', required: true },
    { key: 'photo', label: 'Photo', type: 'file', accept: ['image/png'], maxBytes: 100_000 },
  ],
};

export const ROOM_ANSWERS = { salle: 'Petite salle', date: '2026-12-12', commune: '44109', objet: 'Répétition de la chorale des écoles' };

/** Creates and publishes a procedure through the API; returns its slug. */
export async function published(t: TestApp, a: ApiTenant, definition: object = ROOM_DEFINITION): Promise<string> {
  const created = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures`, a.admin, definition);
  if (created.statusCode !== 201) throw new Error(created.body);
  const { slug } = created.json() as { slug: string };
  const pub = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/publish`, a.admin);
  if (pub.statusCode !== 200) throw new Error(pub.body);
  return slug;
}

export async function fileDossier(
  t: TestApp,
  a: ApiTenant,
  slug: string,
  data: object = ROOM_ANSWERS,
  email = 'camille@exemple.fr',
): Promise<{ number: number; tracking_code: string }> {
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/procedures/${slug}/dossiers`, null, { email, data });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
}

export async function countRows(t: TestApp, tenantId: string, table: string): Promise<number> {
  return (await t.db.transaction(tenantId, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`)))!.n;
}

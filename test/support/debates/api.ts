// Shortcuts of the debates tests: a collectivité with its team and participants (API tokens bound to
// people), a debate open for contributions today, JSON calls.
import type { LightMyRequestResponse } from 'fastify';
import { apiToken, createPerson, createTestTenant, type TestApp, type TestPerson } from '../../helpers/app.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';
import { today } from '../../../src/modules/debates/phases.ts';

export interface DebateTenant {
  tenant: Tenant;
  moderator: string;
  mediator: string;
  people: TestPerson[];
  /** Tokens of `people`, same order. */
  tokens: string[];
}

let address = 0;

/** One JSON call; each call comes from its own address unless one is given (per-address limits). */
export function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  token: string | null,
  body?: unknown,
  options: { address?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  address += 1;
  return t.app.inject({
    method,
    url,
    remoteAddress: options.address ?? `10.77.${(address >> 8) & 255}.${address & 255}`,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

export async function debateTenant(t: TestApp, participants = 3): Promise<DebateTenant> {
  const tenant = await createTestTenant(t.db);
  const mod = await createPerson(t.db, { [tenant.id]: ['moderator'] });
  const med = await createPerson(t.db, { [tenant.id]: ['mediator'] });
  const people: TestPerson[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < participants; i++) {
    const person = await createPerson(t.db, { [tenant.id]: ['citizen'] });
    people.push(person);
    tokens.push(await apiToken(t, tenant.id, 'citizen', person.id));
  }
  return {
    tenant,
    moderator: await apiToken(t, tenant.id, 'moderator', mod.id),
    mediator: await apiToken(t, tenant.id, 'mediator', med.id),
    people,
    tokens,
  };
}

function day(offset: number): string {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** A published debate whose contributions phase holds today (or, with `phase: 'information'`, before it). */
export async function openDebate(
  t: TestApp,
  a: DebateTenant,
  options: { moderation?: 'pre' | 'post'; charter?: string; phase?: 'information' | 'contributions' } = {},
): Promise<{ slug: string; id: string }> {
  const shift = options.phase === 'information' ? 10 : 0;
  const res = await call(t, 'POST', `/api/v1/${a.tenant.slug}/debates`, a.moderator, {
    title: `Débat ${Math.random().toString(36).slice(2, 8)}`,
    status: 'published',
    moderation: options.moderation ?? 'post',
    charter: options.charter ?? '',
    phases: [
      { kind: 'information', summary: 'On s’informe.', starts_on: day(-30 + shift), ends_on: day(-1 + shift) },
      { kind: 'contributions', summary: 'On propose.', starts_on: day(shift), ends_on: day(20 + shift) },
      { kind: 'synthesis', starts_on: day(21 + shift), ends_on: day(30 + shift) },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`debate not created: ${res.statusCode} ${res.body}`);
  return { slug: res.json().slug, id: res.json().id };
}

export const debatePath = (a: DebateTenant, slug: string) => `/api/v1/${a.tenant.slug}/debates/${slug}`;

export async function countRows(t: TestApp, tenantId: string, table: string): Promise<number> {
  return (await t.db.transaction(tenantId, (tx) => tx.one<{ n: number }>(`select count(*)::int as n from ${table}`)))!.n;
}

// Shortcuts of the archives tests: a collectivité with an archivist, an agent and a citizen (browsers and
// API tokens), ingesting a tree through the module's action, and the API's multipart deposit.
import type { LightMyRequestResponse } from 'fastify';
import { Readable } from 'node:stream';
import { chmodSync, writeFileSync } from 'node:fs';
import { apiToken, browserFor, createPerson, createTestTenant, type Browser, type TestApp } from '../../helpers/app.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';
import type { Role } from '../../../src/core/base/roles.ts';
import { translator } from '../../../src/core/i18n/i18n.ts';
import { ingestUnits, type IngestResult, type IngestUnitInput } from '../../../src/modules/archives/index.ts';
import type { Principal } from '../../../src/modules/archives/archives.policy.ts';
import { multipart } from '../catalogue/datasets.ts';

export interface ArchivesTenant {
  tenant: Tenant;
  archivistId: string;
  archivist: Browser;
  agent: Browser;
  citizen: Browser;
  archivistToken: string;
  agentToken: string;
  base: string;
  api: string;
}

export async function archivesTenant(t: TestApp, input: Parameters<typeof createTestTenant>[1] = {}): Promise<ArchivesTenant> {
  const tenant = await createTestTenant(t.db, input);
  const archivist = await createPerson(t.db, { [tenant.id]: ['archivist'] });
  const agent = await createPerson(t.db, { [tenant.id]: ['agent'] });
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  return {
    tenant,
    archivistId: archivist.id,
    archivist: await browserFor(t, archivist.id),
    agent: await browserFor(t, agent.id),
    citizen: await browserFor(t, citizen.id),
    archivistToken: await apiToken(t, tenant.id, 'archivist', archivist.id),
    agentToken: await apiToken(t, tenant.id, 'agent', agent.id),
    base: `/${tenant.slug}/admin/archives`,
    api: `/api/v1/${tenant.slug}/archives`,
  };
}

export function principal(tenantId: string, roles: Role[] = ['archivist'], personId: string | null = null): Principal {
  return { tenantId, actor: personId ? `person:${personId}` : 'system', personId, roles, t: translator('fr') };
}

/** Bytes as an object source. */
export function bytes(data: string | Buffer): Readable {
  return Readable.from([Buffer.isBuffer(data) ? data : Buffer.from(data)]);
}

export async function ingest(t: TestApp, tenantId: string, units: IngestUnitInput[], parent: string | null = null): Promise<IngestResult> {
  return ingestUnits(t.deps, principal(tenantId), { kind: 'upload', parent_id: parent, units });
}

export async function deposit(
  t: TestApp,
  a: ArchivesTenant,
  fields: Record<string, string>,
  files: Array<{ name: string; body: string | Buffer }>,
  token = a.archivistToken,
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files.map((f) => ({ name: 'file', value: f.body, filename: f.name, type: 'application/octet-stream' })),
  ]);
  return t.app.inject({ method: 'POST', url: `${a.api}/units`, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
}

/**
 * Rewrites a blob's bytes on disk behind the store's back, as someone holding the server account would:
 * a sealed (0444) blob is made writable first — the mode stops the application's own write paths, not
 * the account (docs/archives.md §2).
 */
export function tamperBlob(path: string, content: string | Buffer): void {
  chmodSync(path, 0o644);
  writeFileSync(path, content);
}
